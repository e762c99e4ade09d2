"""Searching the greetings' text in Chromium: the server finds greetings that are not on screen."""

import os
import tempfile
import time

from absl.testing import absltest
from playwright.sync_api import expect

from greeter_plugin import greeter_demo
from greeter_plugin.frontend import browser_testing
from greeter_tensorboard import server_testing

RUN = "party"
# Three pages of cards (twelve a page); the needle is on the last one.
TAGS = ["table_%02d" % i for i in range(30)]
NEEDLE_TAG = TAGS[-1]


class SearchBrowserTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        logdir = cls.logdir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        greeter_demo.write_pb_run(
            os.path.join(logdir, RUN),
            [(tag, None, None, ("Ada", "Grace")) for tag in TAGS[:-1]]
            + [(NEEDLE_TAG, None, None, ("Ada", "Haystack Needle", "Grace"))],
        )
        cls.url = cls.enterClassContext(server_testing.serve(logdir, "--reload_interval=1"))
        server_testing.tags_of_every_run(cls.url + "data/plugin/greeter/", [RUN])
        cls.browser = browser_testing.chromium_for_class(cls)

    def setUp(self):
        super().setUp()
        self.greeter = browser_testing.open_greeter(self.browser, self.url)
        self.addCleanup(self.greeter.page.close)
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
