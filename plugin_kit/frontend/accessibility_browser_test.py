"""The Greeter tab's accessibility in Chromium: axe-core's rules in both themes, and the keyboard.

axe-core (npm, in package-lock.json) runs inside the plugin's frame, on the dashboard with the demo's
runs (hostile descriptions, images without alt text included) and enough tags for the pager. The
frame's Content-Security-Policy forbids the inline script that injects axe, so the browser context
bypasses CSP; nothing else in these tests depends on that.
"""

import os

from absl.testing import absltest
from playwright.sync_api import expect

from greeter_tensorboard import tensorboard_x_browser_testing
from greeter_plugin import greeter_demo
from plugin_kit.testing import browser_harness

MANY_TAGS_RUN = "many_tags"
# Two pages of cards with the demo's seven tags.
MANY_TAGS = ["page_%02d" % i for i in range(12)]


class AccessibilityBrowserTest(tensorboard_x_browser_testing.TensorBoardXBrowserTest):
    plugin_name = "greeter"

    @classmethod
    def write_logdir(cls, logdir):
        greeter_demo.write_demo(logdir)
        greeter_demo.write_pb_run(
            os.path.join(logdir, MANY_TAGS_RUN), [(tag, None, None, ("Ada",)) for tag in MANY_TAGS]
        )
        return {**dict.fromkeys(greeter_demo.RUNS, ()), MANY_TAGS_RUN: MANY_TAGS}

    def setUp(self):
        super().setUp()
        self.greeter = self.open_tab(self.url, bypass_csp=True)
        self.frame = self.greeter.plugin_frame()

    def assert_no_serious_violation(self):
        violations = browser_harness.serious_accessibility_violations(self.frame)
        self.assertEqual([rule for rule, _ in violations], [], violations)

    def show_every_part(self):
        """Puts on screen what only some choices show: search results and a filter's error."""
        self.greeter.dashboard.locator('[data-testid="search"]').fill("Ada")
        expect(self.greeter.dashboard.locator("tr.search-match").first).to_be_visible()
        self.greeter.dashboard.locator('[data-testid="run-filter"]').fill("(")
        expect(self.greeter.dashboard.locator('[data-testid="run-filter-error"]')).to_be_visible()

    def test_axe_finds_no_serious_violation_in_the_light_theme(self):
        self.show_every_part()
        self.assert_no_serious_violation()

    def test_axe_finds_no_serious_violation_in_the_dark_theme(self):
        self.greeter.page.evaluate("document.body.classList.add('dark-mode')")
        expect(self.greeter.dashboard.locator("greeter-dashboard")).to_have_attribute("dark", "")
        self.show_every_part()
        self.assert_no_serious_violation()

    def test_the_frame_has_a_title_and_a_language(self):
        self.assertEqual(self.frame.evaluate("document.title"), "Greeter")
        self.assertEqual(self.frame.evaluate("document.documentElement.lang"), "en")

    def test_the_keyboard_reaches_every_kind_of_control_with_visible_focus(self):
        self.greeter.dashboard.locator('[data-testid="search"]').focus()
        reached = []
        for _ in range(400):
            focused = self.frame.evaluate(browser_harness.FOCUSED)
            if focused is None:
                break
            self.assertTrue(focused["outline"], "no visible focus on %s" % focused)
            reached.append(focused["testId"])
            self.greeter.page.keyboard.press("Tab")
        for expected in ("search", "tag-filter", "latest-only", "run-filter", "select-all-runs",
                         greeter_demo.HYPERPARAMETER_RUNS[0], "download-csv", "download-json", "page-next"):
            self.assertIn(expected, reached)
        self.greeter.dashboard.locator('[data-testid="page-next"]').focus()
        self.greeter.page.keyboard.press("Enter")
        expect(self.greeter.dashboard.locator('[data-testid="page-indicator"]')).to_have_text("Page 2 of 2")


if __name__ == "__main__":
    absltest.main()
