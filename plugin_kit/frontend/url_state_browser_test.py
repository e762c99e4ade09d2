"""Deep links in Chromium: the Greeter's state lives in TensorBoard's URL, as `p.greeter.` hash keys."""

import json
import os
import urllib.parse

from absl.testing import absltest
from playwright.sync_api import expect

from greeter_tensorboard import tensorboard_x_browser_testing
from greeter_plugin import greeter_demo

RUNS = ("alpha", "beta", "gamma")
# Three pages of cards, twelve a page.
TAGS = ["table_%02d" % i for i in range(30)]


class UrlStateBrowserTest(tensorboard_x_browser_testing.TensorBoardXBrowserTest):
    plugin_name = "greeter"

    @classmethod
    def write_logdir(cls, logdir):
        for run in RUNS:
            greeter_demo.write_pb_run(
                os.path.join(logdir, run), [(tag, None, None, ("Ada", "Grace " + run)) for tag in TAGS]
            )
        return RUNS

    def open(self, fragment="greeter"):
        return self.open_tab(self.url, fragment)

    def choose_a_view(self, dashboard):
        """Makes every choice that a link keeps, ending on the second page of cards."""
        dashboard.locator('[data-testid="tag-filter"]').fill("table_[01]")
        dashboard.locator('[data-testid="run-filter"]').fill("^[ab]")
        dashboard.locator("input[data-run=%s]" % json.dumps("beta")).uncheck()
        dashboard.locator('[data-testid="latest-only"]').check()
        dashboard.locator('[data-testid="search"]').fill("grace al")
        dashboard.locator('[data-testid="page-next"]').click()
        expect(dashboard.locator('[data-testid="page-indicator"]')).to_have_text("Page 2 of 2")

    def assert_shows_the_view(self, dashboard):
        expect(dashboard.locator('[data-testid="page-indicator"]')).to_have_text("Page 2 of 2")
        expect(dashboard.locator('[data-testid="tag-filter"]')).to_have_value("table_[01]")
        expect(dashboard.locator('[data-testid="run-filter"]')).to_have_value("^[ab]")
        expect(dashboard.locator('[data-testid="latest-only"]')).to_be_checked()
        expect(dashboard.locator('[data-testid="search"]')).to_have_value("grace al")
        expect(dashboard.locator("tr.search-match")).to_have_count(len(TAGS))
        cards = dashboard.locator("greeter-card.card")
        expect(cards).to_have_count(8)
        self.assertEqual([card.get_attribute("data-tag") for card in cards.all()], TAGS[12:20])
        # Beta is off; gamma is on but filtered out: only alpha's latest greetings show.
        expect(dashboard.locator("tr.greeting[data-run=alpha]")).to_have_count(8)
        expect(dashboard.locator("tr.greeting")).to_have_count(8)
        dashboard.locator('[data-testid="run-filter"]').fill("")
        expect(dashboard.locator("input[data-run=beta]")).not_to_be_checked()
        expect(dashboard.locator("input[data-run=gamma]")).to_be_checked()

    def test_the_state_is_in_the_url_with_greeter_keys(self):
        greeter = self.open()
        self.choose_a_view(greeter.dashboard)
        fragment = urllib.parse.urlsplit(greeter.page.url).fragment
        parts = fragment.split("&")
        self.assertEqual(parts[0], "greeter")
        state = dict(urllib.parse.unquote(part).split("=", 1) for part in parts[1:])
        self.assertEqual(
            state,
            {
                "p.greeter.tagFilter": "table_[01]",
                "p.greeter.runFilter": "^[ab]",
                "p.greeter.deselectedRuns": '["beta"]',
                "p.greeter.latestOnly": "true",
                "p.greeter.page": "2",
                "p.greeter.search": "grace al",
            },
        )

    def test_a_reload_restores_the_state(self):
        greeter = self.open()
        self.choose_a_view(greeter.dashboard)
        greeter.page.reload()
        self.assert_shows_the_view(greeter.dashboard)

    def test_a_copied_url_opens_the_same_view_in_a_new_page(self):
        greeter = self.open()
        self.choose_a_view(greeter.dashboard)
        copied = urllib.parse.urlsplit(greeter.page.url).fragment
        greeter.page.close()
        self.assert_shows_the_view(self.open(copied).dashboard)

    def test_back_returns_to_the_previous_page_of_cards_not_keystrokes(self):
        greeter = self.open()
        indicator = greeter.dashboard.locator('[data-testid="page-indicator"]')
        greeter.dashboard.locator('[data-testid="page-next"]').click()
        greeter.dashboard.locator('[data-testid="page-next"]').click()
        expect(indicator).to_have_text("Page 3 of 3")
        greeter.dashboard.locator('[data-testid="tag-filter"]').fill("table")
        greeter.page.go_back()
        expect(indicator).to_have_text("Page 2 of 3")
        expect(greeter.dashboard.locator('[data-testid="tag-filter"]')).to_have_value("")
        greeter.page.go_back()
        expect(indicator).to_have_text("Page 1 of 3")
        greeter.page.go_forward()
        expect(indicator).to_have_text("Page 2 of 3")

    def test_a_link_with_a_page_past_the_end_shows_the_last(self):
        greeter = self.open("greeter&p.greeter.page=99&p.greeter.deselectedRuns=not%20json")
        expect(greeter.dashboard.locator('[data-testid="page-indicator"]')).to_have_text("Page 3 of 3")
        for run in RUNS:
            expect(greeter.dashboard.locator("input[data-run=%s]" % json.dumps(run))).to_be_checked()


if __name__ == "__main__":
    absltest.main()
