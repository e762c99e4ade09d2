"""What the kit's dashboard asks again, and when, in Chromium, on the Greeter.

A reload refetches the other names of a tag as many as were shown, in pages the backend takes, even
while "Show more" is in flight; an aborted search's answer never replaces a newer one; a logdir that
the server has read already is not asked for again until TensorBoard's next reload.
"""

import json
import os
import re
import time
import urllib.parse

from absl.testing import absltest
from playwright.sync_api import expect

from greeter_tensorboard import tensorboard_x_browser_testing
from greeter_plugin import greeter_demo
from plugin_kit.testing import browser_harness

TAG = "described"
# Each run names and describes TAG its own way: more other names than one request may ask for (200).
RUNS = ["run_%03d" % index for index in range(230)]
OTHERS = len(RUNS) - 1
# OTHER_METADATA_PER_PAGE in other_metadata.ts: one click's page.
PER_PAGE = 20
OTHER_METADATA = re.compile(r"/data/plugin/greeter/other_metadata\?")
TAGS_ROUTE = "/data/plugin/greeter/tags"
RELOAD_BUTTON = "app-header-reload button.reload-button"

# Makes the frame's fetch answer searches for `query` late, whether or not they were aborted, as a
# proxy or service worker that ignores the abort would.
ANSWER_LATE_DESPITE_ABORT = """([query, delayMs]) => {
  const fetchFromNetwork = window.fetch.bind(window);
  window.fetch = (url, options = {}) => {
    if (!String(url).startsWith('search?') || new URL(url, document.baseURI).searchParams.get('q') !== query) {
      return fetchFromNetwork(url, options);
    }
    const {signal, ...unsignalled} = options;
    const late = (response) => new Promise((resolve) => setTimeout(() => resolve(response), delayMs));
    return fetchFromNetwork(url, unsignalled).then(late);
  };
}"""


class ReloadBrowserTest(tensorboard_x_browser_testing.TensorBoardXBrowserTest):
    plugin_name = "greeter"

    @classmethod
    def write_logdir(cls, logdir):
        for index, run in enumerate(RUNS):
            greeter_demo.write_pb_run(
                os.path.join(logdir, run),
                [(TAG, "Name %03d" % index, "Description %03d" % index, ("Guest %03d" % index,))],
            )
        return {run: (TAG,) for run in RUNS}

    def setUp(self):
        super().setUp()
        self.greeter = self.open_tab(self.url)
        self.others = self.greeter.dashboard.locator('[data-testid="other-metadata"]')

    def wait_until(self, predicate, timeout_seconds=30):
        """Lets the page run (and Playwright report its events) until `predicate()` holds."""
        deadline = time.monotonic() + timeout_seconds
        while not predicate():
            self.assertLess(time.monotonic(), deadline, "gave up waiting")
            self.greeter.page.wait_for_timeout(50)

    def record_other_metadata(self):
        """Lists the `other_metadata` requests the page sends (as query dicts) and the statuses answered."""
        asked = {"sent": [], "answered": []}
        page = self.greeter.page

        def sent(request):
            if OTHER_METADATA.search(request.url):
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query)
                asked["sent"].append({key: values[0] for key, values in query.items()})

        page.on("request", sent)
        page.on("response", lambda r: OTHER_METADATA.search(r.url) and asked["answered"].append(r.status))
        return asked

    def show_other_names(self, pages):
        """Clicks "Show" and then "Show more" until `pages` pages of other names show."""
        self.others.locator('[data-testid="show-other-metadata"]').click()
        for page in range(1, pages):
            expect(self.others.locator('[data-testid="other-version"]')).to_have_count(page * PER_PAGE)
            self.others.locator('[data-testid="more-other-metadata"]').click()
        expect(self.others.locator('[data-testid="other-version"]')).to_have_count(pages * PER_PAGE)

    def test_a_reload_refetches_more_other_names_than_one_request_takes(self):
        self.show_other_names(11)
        asked = self.record_other_metadata()
        self.greeter.page.locator(RELOAD_BUTTON).click()
        self.wait_until(lambda: asked["answered"] and len(asked["answered"]) == len(asked["sent"]))
        self.greeter.page.wait_for_timeout(500)
        self.assertEqual(set(asked["answered"]), {200}, asked)
        self.assertTrue(all(int(query["limit"]) <= 200 for query in asked["sent"]), asked)
        expect(self.others.locator('[role="alert"]')).to_have_count(0)
        expect(self.others.locator('[data-testid="other-version"]')).to_have_count(11 * PER_PAGE)

    def test_a_reload_while_show_more_is_in_flight_still_refetches(self):
        self.show_other_names(1)
        held = []
        self.greeter.page.route(OTHER_METADATA, lambda route: held.append(route) if not held else route.continue_())
        asked = self.record_other_metadata()
        self.others.locator('[data-testid="more-other-metadata"]').click()
        self.wait_until(lambda: held)
        with self.greeter.page.expect_request(lambda request: request.url.endswith(TAGS_ROUTE)):
            self.greeter.page.locator(RELOAD_BUTTON).click()
        # The reload's new tag info reaches the card while "Show more" waits for its answer.
        self.greeter.page.wait_for_timeout(1000)
        held[0].continue_()
        self.wait_until(lambda: len(asked["sent"]) >= 2)
        self.assertEqual([query.get("offset") for query in asked["sent"]], [str(PER_PAGE), "0"], asked)
        expect(self.others.locator('[data-testid="other-version"]')).to_have_count(2 * PER_PAGE)

    def test_an_aborted_search_answered_late_leaves_the_newer_result(self):
        frame = self.greeter.plugin_frame()
        frame.evaluate(ANSWER_LATE_DESPITE_ABORT, ["guest", 2000])
        search = self.greeter.dashboard.locator('[data-testid="search"]')
        with self.greeter.page.expect_request(lambda request: "search?q=guest" in request.url):
            search.fill("guest")
        search.fill("guest 007")
        count = self.greeter.dashboard.locator('[data-testid="search-count"]')
        expect(count).to_have_text("1 greeting contains it")
        # Past the time the aborted search's answer comes: the newer result stays.
        self.greeter.page.wait_for_timeout(2500)
        expect(count).to_have_text("1 greeting contains it", timeout=1)
        expect(self.greeter.dashboard.locator("tr.search-match td.text")).to_have_text("Hello, Guest 007!")

    def test_a_logdir_read_already_is_asked_for_once_until_tensorboard_reloads(self):
        page = self.browser.new_page()
        self.addCleanup(page.close)
        asked = []
        page.on("request", lambda request: request.url.endswith(TAGS_ROUTE) and asked.append(request.url))
        page.goto(self.url + "#greeter")
        dashboard = page.frame_locator(browser_harness.frame_selector("greeter"))
        expect(dashboard.locator("greeter-card.card").first).to_be_visible()
        # Longer than the dashboard's follow-up while a logdir grows (GROWING_RELOAD_MS, 2 s).
        page.wait_for_timeout(3500)
        self.assertEqual(len(asked), 1, json.dumps(asked))

    def test_no_request_stays_open_once_the_page_is_shown(self):
        # The readiness check left a 200's body unread: the request stayed open for the page's life,
        # holding one of the browser's six connections to the server.
        page = self.browser.new_page()
        self.addCleanup(page.close)
        open_requests = {}
        page.on("request", lambda request: open_requests.setdefault(id(request), request.url))
        page.on("requestfinished", lambda request: open_requests.pop(id(request), None))
        page.on("requestfailed", lambda request: open_requests.pop(id(request), None))
        page.goto(self.url + "#greeter")
        dashboard = page.frame_locator(browser_harness.frame_selector("greeter"))
        expect(dashboard.locator("greeter-card.card").first).to_be_visible()
        page.wait_for_timeout(2000)
        self.assertEqual(list(open_requests.values()), [])


if __name__ == "__main__":
    absltest.main()
