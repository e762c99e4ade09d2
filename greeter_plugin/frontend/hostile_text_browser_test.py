"""Hostile display names and descriptions in Chromium: shown as text or as sanitised Markdown, never run.

dashboard_browser_test covers hostile guests, run names and tag names from the demo; this test gives
every card a hostile display name and a description that tries another way into the page, and a
second run that describes each tag with another card's description (the card's other metadata).
"""

import json
import os
import re
import tempfile

from absl.testing import absltest
from playwright.sync_api import expect

from greeter_plugin import greeter_demo
from greeter_plugin import plugin_testing
from greeter_tensorboard import server_testing
from plugin_kit.testing import browser_harness

RUN = "hostile_metadata"
# Sorts after RUN: its names and descriptions are a card's other metadata.
OTHER_RUN = "hostile_other"
SCRIPT = "window.__greeter_xss = 1"

# (description, what Markdown must render, text that must show as text): one a tag.
DESCRIPTIONS = (
    ("*emphasis* <script>%s</script>" % SCRIPT, "em", "<script>%s</script>" % SCRIPT),
    ('<img src=x onerror="%s"> **bold**' % SCRIPT, "strong", None),
    ("[a javascript: link](javascript:%s)" % SCRIPT, "a", None),
    ('<a href="javascript:%s">raw link</a> [safe](https://example.com/)' % SCRIPT, "a", None),
    ('<iframe src="javascript:%s"></iframe> <svg onload="%s"></svg>' % (SCRIPT, SCRIPT), None, "<iframe"),
    ('<style>body{display:none}</style> <form action="javascript:%s"><button>go</button></form>' % SCRIPT, None, "<style>"),
    ("![image](javascript:%s) <javascript:%s>" % (SCRIPT, SCRIPT), None, None),
    ('<div onmouseover="%s">hover</div> [data](data:text/html,<script>%s</script>)' % (SCRIPT, SCRIPT), None, "<div"),
)
# What a sanitised description may contain (TensorBoard's sanitiser allows more; these are enough).
ALLOWED_DESCRIPTION_ELEMENTS = {"p", "em", "strong", "a", "img", "code", "br"}

# Every element of every description, with the attributes that could run or load something.
DESCRIPTION_ELEMENTS = """() => {
  const found = [];
  const visit = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if (element.parentElement && element.parentElement.closest('.description')) {
        found.push({tag: element.tagName.toLowerCase(), href: element.getAttribute('href'),
                    src: element.getAttribute('src'), target: element.getAttribute('target'),
                    rel: element.getAttribute('rel')});
      }
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document.querySelector('greeter-dashboard').shadowRoot);
  return found;
}"""


def tag(index):
    return "hostile_%d" % index


def display_name(index):
    return greeter_demo.HOSTILE_TEXTS[index % len(greeter_demo.HOSTILE_TEXTS)]


class HostileTextBrowserTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        logdir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        for index, (description, _, _) in enumerate(DESCRIPTIONS):
            plugin_testing.write_greetings(
                os.path.join(logdir, RUN), tag(index), [(0, "Ada")], display_name=display_name(index), description=description
            )
            plugin_testing.write_greetings(
                os.path.join(logdir, OTHER_RUN), tag(index), [(0, "Bob")], display_name=display_name(index + 1),
                description=DESCRIPTIONS[(index + 1) % len(DESCRIPTIONS)][0],
            )
        url = cls.enterClassContext(server_testing.serve(logdir))

        def all_tags_served():
            status, _, body = server_testing.get(url + "data/plugin/greeter/tags")
            runs = json.loads(body) if status == 200 else {}
            return all(len(runs.get(run, [])) == len(DESCRIPTIONS) for run in (RUN, OTHER_RUN))

        server_testing.wait_for(all_tags_served, timeout_seconds=120)
        browser = browser_harness.chromium_for_class(cls)
        cls.greeter = browser_harness.open_plugin(browser, url, "greeter")
        cls.addClassCleanup(cls.greeter.page.close)
        cls.cards = cls.greeter.dashboard.locator("greeter-card.card")
        expect(cls.cards).to_have_count(len(DESCRIPTIONS))
        for index in range(len(DESCRIPTIONS)):
            cls.greeter.dashboard.locator(
                'greeter-card.card[data-tag="%s"] [data-testid="show-other-metadata"]' % tag(index)).click()
        expect(cls.greeter.dashboard.locator('[data-testid="other-version"]')).to_have_count(len(DESCRIPTIONS))

    def card(self, index):
        return self.greeter.dashboard.locator('greeter-card.card[data-tag="%s"]' % tag(index))

    def test_display_names_show_as_text(self):
        for index in range(len(DESCRIPTIONS)):
            with self.subTest(display_name=display_name(index)[:60]):
                expect(self.card(index).locator("h3.title")).to_have_text(display_name(index))
                expect(self.card(index).locator(".tag")).to_have_text(tag(index))

    def test_descriptions_render_markdown_and_show_markup_as_text(self):
        for index, (_, rendered, shown) in enumerate(DESCRIPTIONS):
            with self.subTest(description=index):
                description = self.card(index).locator(".description").first
                expect(description).to_be_visible()
                if rendered:
                    expect(description.locator(rendered).first).to_be_attached()
                if shown:
                    expect(description).to_contain_text(shown)
                # The same description, as another run's metadata of the card before.
                other = self.card((index - 1) % len(DESCRIPTIONS)).locator('[data-testid="other-version"] .description')
                if rendered:
                    expect(other.locator(rendered).first).to_be_attached()
                if shown:
                    expect(other).to_contain_text(shown)

    def test_descriptions_hold_only_safe_elements_and_links(self):
        elements = self.greeter.plugin_frame().evaluate(DESCRIPTION_ELEMENTS)
        self.assertNotEmpty(elements)
        for element in elements:
            self.assertIn(element["tag"], ALLOWED_DESCRIPTION_ELEMENTS, element)
            for url in (element["href"], element["src"]):
                if url is not None:
                    self.assertRegex(url, r"^(https?://|[a-z0-9_./-]*$)", element)
        links = [element for element in elements if element["tag"] == "a"]
        self.assertIn("https://example.com/", [link["href"] for link in links])
        for link in links:
            if link["href"] is not None:
                self.assertEqual((link["target"], link["rel"]), ("_blank", "noopener noreferrer"), link)

    def test_nothing_runs_even_when_clicked_or_hovered(self):
        frame = self.greeter.plugin_frame()
        page = self.greeter.page
        # Every link, those left with an address included, in the card's description and in other
        # runs': a click must open that address in a new tab (answered here, offline) and leave the
        # dashboard where it was.
        popups = []
        page.context.route(re.compile(r"^https?://(?!localhost)"), lambda route: route.fulfill(body="elsewhere"))
        page.on("popup", lambda popup: popups.append(popup))
        for index in range(len(DESCRIPTIONS)):
            for description in self.card(index).locator(".description").all():
                description.hover()
                for link in description.locator("a").all():
                    if link.get_attribute("href"):
                        with page.expect_popup(timeout=5000):
                            link.click()
                    else:
                        link.click()
        self.assertNotEmpty(popups)
        for popup in popups:
            popup.wait_for_load_state()
            self.assertRegex(popup.url, r"^https?://", popup.url)
            self.assertTrue(popup.evaluate("window.opener === null"), popup.url)
            popup.close()
        self.assertIn("plugin_entry.html", frame.url)
        expect(self.cards).to_have_count(len(DESCRIPTIONS))
        self.assertEqual(browser_harness.find_injected_markup(frame, "greeter"), [])
        self.assertIsNone(frame.evaluate("window.__greeter_xss"))
        self.assertIsNone(page.evaluate("window.__greeter_xss"))
        self.assertEqual(self.greeter.dialogs, [])


if __name__ == "__main__":
    absltest.main()
