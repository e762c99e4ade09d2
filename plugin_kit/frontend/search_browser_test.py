"""Searching the greetings' text in Chromium: the server finds greetings that are not on screen."""

import os
import re
import time

from absl.testing import absltest
from playwright.sync_api import expect

from greeter_tensorboard import tensorboard_x_browser_testing
from greeter_plugin import greeter_demo

RUN = "party"
SEARCH_REQUEST = re.compile(r"/data/plugin/greeter/search\?")
# Types each of these into the search box, in one task of the page: no pause between them.
TYPE_WITHOUT_PAUSES = """(texts) => {
  const box = document.querySelector('greeter-dashboard').shadowRoot.querySelector('[data-testid="search"]');
  for (const text of texts) {
    box.value = text;
    box.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
  }
}"""
# Three pages of cards (twelve a page); the needle is on the last one.
TAGS = ["table_%02d" % i for i in range(30)]
NEEDLE_TAG = TAGS[-1]


class SearchBrowserTest(tensorboard_x_browser_testing.TensorBoardXBrowserTest):
    plugin_name = "greeter"
    server_flags = ("--reload_interval=1",)

    @classmethod
    def write_logdir(cls, logdir):
        greeter_demo.write_pb_run(
            os.path.join(logdir, RUN),
            [(tag, None, None, ("Ada", "Grace")) for tag in TAGS[:-1]]
            + [(NEEDLE_TAG, None, None, ("Ada", "Haystack Needle", "Grace"))],
        )
        return [RUN]

    def setUp(self):
        super().setUp()
        self.greeter = self.open_tab(self.url)
        self.dashboard = self.greeter.dashboard

    def test_finds_a_greeting_beyond_the_first_page(self):
        expect(self.dashboard.locator('[data-testid="page-indicator"]')).to_have_text("Page 1 of 3")
        expect(self.dashboard.locator('greeter-card.card[data-tag="%s"]' % NEEDLE_TAG)).to_have_count(0)
        self.dashboard.locator('[data-testid="search"]').fill("NEEDLE")
        matches = self.dashboard.locator("tr.search-match")
        expect(matches).to_have_count(1)
        expect(matches.locator("td.run")).to_have_text(RUN)
        expect(matches.locator("td.tag")).to_have_text(NEEDLE_TAG)
        expect(matches.locator("td.step")).to_have_text("1")
        expect(matches.locator("td.text")).to_have_text("Hello, Haystack Needle!")
        expect(self.dashboard.locator('[data-testid="search-count"]')).to_have_text("1 greeting contains it")

    def test_counts_every_match_and_clears(self):
        search = self.dashboard.locator('[data-testid="search"]')
        search.fill("grace")
        expect(self.dashboard.locator("tr.search-match")).to_have_count(len(TAGS))
        search.fill("nobody came")
        expect(self.dashboard.locator('[data-testid="search-none"]')).to_be_visible()
        search.fill("")
        expect(self.dashboard.locator('[data-testid="search-results"]')).to_have_count(0)

    def wait_until(self, predicate, timeout_seconds=30):
        """Lets the page run (and Playwright report its events) until `predicate()` holds."""
        deadline = time.monotonic() + timeout_seconds
        while not predicate():
            self.assertLess(time.monotonic(), deadline, "gave up waiting")
            self.greeter.page.wait_for_timeout(50)

    def record_searches(self):
        """Lists the search requests the page sends, those that fail (aborted), and the statuses answered."""
        searches = {"sent": [], "failed": [], "answered": []}
        page = self.greeter.page
        page.on("request", lambda r: SEARCH_REQUEST.search(r.url) and searches["sent"].append(r.url.split("?q=")[1]))
        page.on("requestfailed",
                lambda r: SEARCH_REQUEST.search(r.url) and searches["failed"].append(r.url.split("?q=")[1]))
        page.on("response",
                lambda r: SEARCH_REQUEST.search(r.url) and searches["answered"].append(r.status))
        return searches

    def test_sends_one_request_per_pause_and_aborts_the_superseded_one(self):
        searches = self.record_searches()
        held = []

        def hold_the_first(route):
            # The first search stays unanswered until the user has typed on.
            if held:
                route.continue_()
            else:
                held.append(route)

        self.greeter.page.route(SEARCH_REQUEST, hold_the_first)
        self.greeter.plugin_frame().evaluate(TYPE_WITHOUT_PAUSES, ["h", "ha", "hay"])
        self.wait_until(lambda: searches["sent"] == ["hay"])
        self.greeter.plugin_frame().evaluate(TYPE_WITHOUT_PAUSES, ["hays", "haysta", "haystack"])
        matches = self.dashboard.locator("tr.search-match")
        expect(matches).to_have_count(1)
        expect(matches.locator("td.text")).to_have_text("Hello, Haystack Needle!")
        self.assertEqual(searches["sent"], ["hay", "haystack"])
        self.assertEqual(searches["failed"], ["hay"])

    def test_a_reload_does_not_search_again_when_nothing_changed(self):
        searches = self.record_searches()
        self.dashboard.locator('[data-testid="search"]').fill("needle")
        expect(self.dashboard.locator("tr.search-match")).to_have_count(1)
        self.greeter.page.locator("app-header-reload button.reload-button").click()
        self.wait_until(lambda: len(searches["answered"]) == 2)
        self.assertEqual(searches["answered"], [200, 304])
        expect(self.dashboard.locator("tr.search-match")).to_have_count(1)

    def test_tensorboard_reload_searches_again(self):
        self.dashboard.locator('[data-testid="search"]').fill("latecomer")
        expect(self.dashboard.locator('[data-testid="search-none"]')).to_be_visible()
        greeter_demo.write_pb_run(os.path.join(self.logdir, "late"), [(TAGS[0], None, None, ("Latecomer",))])
        matches = self.dashboard.locator("tr.search-match")
        deadline = time.monotonic() + 25
        while matches.count() == 0 and time.monotonic() < deadline:
            self.greeter.page.locator("app-header-reload button.reload-button").click()
            time.sleep(2)
        # Briefly: a longer wait would let the dashboard's fallback polling pass the test.
        expect(matches).to_have_count(1, timeout=1000)
        expect(matches.locator("td.run")).to_have_text("late")


if __name__ == "__main__":
    absltest.main()
