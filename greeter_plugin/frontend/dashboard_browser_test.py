"""The Greeter dashboard in Chromium, served by TensorBoard-X.

Each class has a server, a logdir and a browser of its own; each test opens its own page, so the
dashboard's state starts fresh. DashboardBrowserTest's logdir, which no test writes to, holds the
demo's runs and a run with enough tags to need several pages; ReloadBrowserTest's holds a "live" run
that its tests append to while the page is open.
"""

import json
import os
import tempfile
import time
import urllib.parse

from absl.testing import absltest
from playwright.sync_api import expect

from tensorboard.compat.proto import event_pb2
from tensorboard.summary.writer import event_file_writer

from greeter_plugin import greeter_demo
from greeter_plugin import summary
from greeter_tensorboard import tensorboard_x_browser_testing
from plugin_kit.testing import browser_harness

MANY_TAGS_RUN = "many_tags"
# A second run of MANY_STEPS_TAG: its card stays when MANY_TAGS_RUN is turned off.
MANY_STEPS_RUN = "many_steps_again"
MANY_TAGS = ["page_%02d" % i for i in range(30)]
LIVE_RUN = "live"
LIVE_TAG = "live"
OTHER_RUN = "other"
TAGS_ROUTE = "/data/plugin/greeter/tags"
# What TensorBoard fetches on each reload before it tells plugins.
HOST_RELOAD_ROUTE = "/data/runs"
# Two tags with more greetings than a card shows before "Show every step".
MANY_STEPS_TAG = "many_steps"
MORE_STEPS_TAG = "many_steps_too"
MANY_STEPS = 150
# What a card shows before "Show every step" (ROWS_PER_CARD in card.ts), shared by its runs.
ROWS_PER_CARD = 120
# The rows of a page of every step (STEPS_PER_PAGE in step_window.ts).
STEPS_PER_PAGE = 100
CARD_ROUTE = "/data/plugin/greeter/card?"
ALL_RUNS = greeter_demo.RUNS + (MANY_TAGS_RUN, MANY_STEPS_RUN)
# The demo's seven tags, the thirty of MANY_TAGS_RUN, MANY_STEPS_TAG and MORE_STEPS_TAG, twelve a page.
PAGES = 4

def _write_live_greeting(logdir, step, guest):
    """Appends one greeting to LIVE_RUN, in a new event file as a second writer would."""
    writer = event_file_writer.EventFileWriter(os.path.join(logdir, LIVE_RUN))
    proto = summary.pb(LIVE_TAG, guest, display_name="Live greetings")
    writer.add_event(event_pb2.Event(step=step, wall_time=time.time(), summary=proto))
    writer.close()


class _BrowserTestCase(tensorboard_x_browser_testing.TensorBoardXBrowserTest):
    """Serves a logdir of the class's own (written by `write_logdir`) to a browser of its own."""

    plugin_name = "greeter"
    # Every greeting kept: a card of MANY_STEPS steps has more than it shows until asked.
    server_flags = ("--reload_interval=1", "--samples_per_plugin=greeter=0")
    runs_timeout_seconds = 120

    def setUp(self):
        super().setUp()
        self.greeter = self.open_tab(self.url)
        self.page = self.greeter.page
        self.dialogs = self.greeter.dialogs
        self.dashboard = self.greeter.dashboard
        self.cards = self.dashboard.locator("greeter-card.card")

    def _card(self, tag):
        return self.dashboard.locator("greeter-card.card[data-tag=%s]" % json.dumps(tag))

    def _save_screenshot(self, name):
        outputs = os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR", tempfile.gettempdir())
        self.page.screenshot(path=os.path.join(outputs, name), full_page=True)


class DashboardBrowserTest(_BrowserTestCase):
    @classmethod
    def write_logdir(cls, logdir):
        greeter_demo.write_demo(logdir)
        many_steps = ["Guest %d" % step for step in range(MANY_STEPS)]
        greeter_demo.write_pb_run(
            os.path.join(logdir, MANY_TAGS_RUN),
            [(tag, None, None, ("Ada",)) for tag in MANY_TAGS]
            + [(MANY_STEPS_TAG, None, None, many_steps), (MORE_STEPS_TAG, None, None, many_steps)],
        )
        greeter_demo.write_pb_run(os.path.join(logdir, MANY_STEPS_RUN), [(MANY_STEPS_TAG, None, None, many_steps)])
        return ALL_RUNS

    def _rows(self, run):
        return self.dashboard.locator("tr.greeting[data-run=%s]" % json.dumps(run))

    def test_lists_every_run_and_shows_greetings(self):
        for run in ALL_RUNS:
            expect(self.dashboard.locator("input[data-run=%s]" % json.dumps(run))).to_be_checked()
        arrivals = self.dashboard.locator('greeter-card.card[data-tag="arrivals"]')
        expect(arrivals.locator("h3.title")).to_have_text("arrivals")
        expect(arrivals.locator(".description strong")).to_have_text("arrive")
        first_run = greeter_demo.HYPERPARAMETER_RUNS[0]
        rows = arrivals.locator("tr.greeting[data-run=%s]" % json.dumps(first_run))
        expect(rows).to_have_count(greeter_demo.STEPS)
        expect(rows.first.locator("td.text")).to_have_text("Hello, Ada!")
        expect(rows.first.locator("td.step")).to_have_text("0")
        self._save_screenshot("greeter_dashboard.png")

    def test_a_description_link_opens_a_new_tab_and_keeps_the_dashboard(self):
        link = self._card("arrivals").locator(".description a")
        expect(link).to_have_attribute("href", "https://example.com/greeter")
        # The linked page, answered here: the test machine is offline.
        self.page.context.route("https://example.com/**", lambda route: route.fulfill(body="elsewhere"))
        with self.page.expect_popup(timeout=10000) as popup_info:
            link.click()
        popup = popup_info.value
        popup.wait_for_load_state()
        self.assertEqual(popup.url, "https://example.com/greeter")
        self.assertTrue(popup.evaluate("window.opener === null"))
        popup.close()
        self.assertIn("plugin_entry.html", self.greeter.plugin_frame().url)
        expect(self._card("arrivals").locator("tr.greeting").first).to_be_visible()

    def test_latest_only_shows_one_greeting_a_run(self):
        arrivals = self.dashboard.locator('greeter-card.card[data-tag="arrivals"]')
        self.dashboard.locator('[data-testid="latest-only"]').check()
        rows = arrivals.locator("tr.greeting")
        expect(rows).to_have_count(len(greeter_demo.HYPERPARAMETER_RUNS))
        expect(rows.first.locator("td.step")).to_have_text(str(greeter_demo.STEPS - 1))

    def test_unchecking_a_run_hides_its_greetings(self):
        run = greeter_demo.HYPERPARAMETER_RUNS[0]
        other = greeter_demo.HYPERPARAMETER_RUNS[1]
        checkbox = self.dashboard.locator("input[data-run=%s]" % json.dumps(run))
        expect(self._rows(run).first).to_be_visible()
        checkbox.uncheck()
        expect(self._rows(run)).to_have_count(0)
        expect(self._rows(other).first).to_be_visible()
        checkbox.check()
        expect(self._rows(run).first).to_be_visible()

    def _steps(self, rows):
        return [int(step) for step in rows.locator("td.step").all_inner_texts()]

    def test_a_card_shows_the_latest_greetings_until_asked_for_every_step(self):
        self.dashboard.locator('[data-testid="tag-filter"]').fill("^%s$" % MORE_STEPS_TAG)
        card = self._card(MORE_STEPS_TAG)
        rows = card.locator("tr.greeting")
        expect(rows).to_have_count(ROWS_PER_CARD)
        expect(rows.first.locator("td.step")).to_have_text(str(MANY_STEPS - ROWS_PER_CARD))
        expect(card.locator(".hidden-count")).to_have_text("(latest %d of %d)" % (ROWS_PER_CARD, MANY_STEPS))
        card.locator('[data-testid="show-every-step"]').click()
        # A page of every step at a time, from the first.
        step_range = card.locator('[data-testid="step-range"]')
        expect(step_range).to_have_text("Rows 1–%d of %d" % (STEPS_PER_PAGE, MANY_STEPS))
        self.assertEqual(self._steps(rows), list(range(STEPS_PER_PAGE)))
        expect(card.locator('[data-testid="show-every-step"]')).to_have_count(0)
        expect(card.locator('[data-testid="steps-older"]')).to_be_disabled()
        card.locator('[data-testid="steps-newer"]').click()
        expect(step_range).to_have_text("Rows %d–%d of %d" % (STEPS_PER_PAGE + 1, MANY_STEPS, MANY_STEPS))
        self.assertEqual(self._steps(rows), list(range(STEPS_PER_PAGE, MANY_STEPS)))
        expect(card.locator('[data-testid="steps-newer"]')).to_be_disabled()
        # Any step, straight from the step box; then the page before it.
        card.locator('[data-testid="step-input"]').fill("42")
        card.locator('[data-testid="step-go"]').click()
        expect(step_range).to_have_text("Rows 43–%d of %d" % (42 + STEPS_PER_PAGE, MANY_STEPS))
        self.assertEqual(self._steps(rows), list(range(42, 42 + STEPS_PER_PAGE)))
        card.locator('[data-testid="steps-older"]').click()
        expect(step_range).to_have_text("Rows 1–42 of %d" % MANY_STEPS)
        card.locator('[data-testid="steps-latest"]').click()
        expect(step_range).to_have_text("Rows %d–%d of %d" % (MANY_STEPS - STEPS_PER_PAGE + 1, MANY_STEPS, MANY_STEPS))
        card.locator('[data-testid="show-latest-steps"]').click()
        expect(rows).to_have_count(ROWS_PER_CARD)
        expect(card.locator('[data-testid="show-every-step"]')).to_be_visible()

    def test_every_step_stays_with_the_tag_it_was_asked_for(self):
        tag_filter = self.dashboard.locator('[data-testid="tag-filter"]')
        tag_filter.fill("^%s$" % MORE_STEPS_TAG)
        self._card(MORE_STEPS_TAG).locator('[data-testid="show-every-step"]').click()
        expect(self._card(MORE_STEPS_TAG).locator("tr.greeting")).to_have_count(STEPS_PER_PAGE)
        # Another tag takes the first card's place: it shows its latest rows and the buttons.
        tag_filter.fill("^%s$" % MANY_STEPS_TAG)
        expect(self._card(MANY_STEPS_TAG).locator("tr.greeting")).to_have_count(ROWS_PER_CARD)
        expect(self._card(MANY_STEPS_TAG).locator('[data-testid="show-every-step"]')).to_have_count(2)

    def _show_every_step_of_many_tags_run(self):
        """Shows every step of MANY_TAGS_RUN in MANY_STEPS_TAG's card, beside MANY_STEPS_RUN's latest."""
        self.dashboard.locator('[data-testid="tag-filter"]').fill("^%s$" % MANY_STEPS_TAG)
        card = self._card(MANY_STEPS_TAG)
        header = card.locator("tr.run-header[data-run=%s]" % json.dumps(MANY_TAGS_RUN))
        header.locator('[data-testid="show-every-step"]').click()
        return card

    def _reload_tensorboard(self):
        """Clicks TensorBoard's reload and waits until the dashboard has asked for its runs again."""
        with self.page.expect_request(lambda request: request.url.endswith(TAGS_ROUTE)):
            self.page.locator("app-header-reload button.reload-button").click()

    def test_every_step_lets_go_of_a_run_turned_off(self):
        card = self._show_every_step_of_many_tags_run()
        expect(card.locator("tr.greeting[data-run=%s][data-step='0']" % json.dumps(MANY_TAGS_RUN))).to_be_visible()
        asked_for_the_run = []

        def record(request):
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query)
            if CARD_ROUTE in request.url and MANY_TAGS_RUN in query.get("run", []):
                asked_for_the_run.append(request.url)

        self.page.on("request", record)
        self.dashboard.locator("input[data-run=%s]" % json.dumps(MANY_TAGS_RUN)).uncheck()
        for _ in range(2):
            # The card asks again for what it shows on each reload: the other run's latest only.
            with self.page.expect_request(lambda request: CARD_ROUTE in request.url):
                self._reload_tensorboard()
        self.page.wait_for_timeout(500)
        self.assertEqual(asked_for_the_run, [])
        # Turned on again, the run shows its latest greetings, as any run not asked for in full.
        self.dashboard.locator("input[data-run=%s]" % json.dumps(MANY_TAGS_RUN)).check()
        expect(card.locator('[data-testid="show-every-step"]')).to_have_count(2)
        expect(card.locator('[data-testid="step-controls"]')).to_have_count(0)

    def test_a_failing_every_step_page_spares_the_cards_other_runs(self):
        def answer_every_step_as_a_deleted_run(route):
            # The card asks for its page of runs' latest greetings together, and for one run's steps alone.
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(route.request.url).query)
            if query["run"] == [MANY_TAGS_RUN]:
                route.fulfill(status=404, json={"error": "no run %r with greetings" % MANY_TAGS_RUN})
            else:
                route.continue_()

        self.page.route("**" + CARD_ROUTE + "*", answer_every_step_as_a_deleted_run)
        with self.page.expect_response(lambda response: CARD_ROUTE in response.url and response.status == 404):
            card = self._show_every_step_of_many_tags_run()
        self.page.wait_for_timeout(500)
        # The other run's rows stay, and the failure shows where the run's steps would.
        expect(card.locator('[data-testid="card-error"]')).to_have_count(0)
        other_rows = card.locator("tr.greeting[data-run=%s]" % json.dumps(MANY_STEPS_RUN))
        expect(other_rows).to_have_count(ROWS_PER_CARD // 2)
        expect(card.locator('[data-testid="every-step-error"]')).to_contain_text("HTTP 404")
        # A reload answers both again, in either order: each keeps to its own place.
        self._reload_tensorboard()
        self.page.wait_for_timeout(1000)
        expect(card.locator('[data-testid="card-error"]')).to_have_count(0)
        expect(other_rows).to_have_count(ROWS_PER_CARD // 2)
        expect(card.locator('[data-testid="every-step-error"]')).to_contain_text("HTTP 404")

    def test_none_and_all_act_on_the_filtered_runs(self):
        self.dashboard.locator('[data-testid="run-filter"]').fill("^lr=")
        expect(self.dashboard.locator("input[data-run]")).to_have_count(len(greeter_demo.HYPERPARAMETER_RUNS))
        self.dashboard.locator('[data-testid="select-no-runs"]').click()
        self.dashboard.locator('[data-testid="run-filter"]').fill("")
        for run in greeter_demo.HYPERPARAMETER_RUNS:
            expect(self.dashboard.locator("input[data-run=%s]" % json.dumps(run))).not_to_be_checked()
        expect(self.dashboard.locator("input[data-run=%s]" % json.dumps(MANY_TAGS_RUN))).to_be_checked()
        expect(self.dashboard.locator('greeter-card.card[data-tag="arrivals"]')).to_have_count(0)
        self.dashboard.locator('[data-testid="select-all-runs"]').click()
        expect(self.dashboard.locator('greeter-card.card[data-tag="arrivals"]')).to_have_count(1)

    def test_tag_filter_narrows_cards_and_reports_invalid_expressions(self):
        tag_filter = self.dashboard.locator('[data-testid="tag-filter"]')
        tag_filter.fill("^(arrivals|departures)$")
        expect(self.cards).to_have_count(2)
        self.assertEqual(
            [card.get_attribute("data-tag") for card in self.cards.all()], ["arrivals", "departures"]
        )
        tag_filter.fill("arrivals(")
        expect(self.dashboard.locator('[data-testid="tag-filter-error"]')).to_be_visible()
        expect(tag_filter).to_have_attribute("aria-invalid", "true")
        tag_filter.fill("no tag is called this")
        expect(self.dashboard.locator('[data-testid="tag-filter-error"]')).to_have_count(0)
        expect(self.cards).to_have_count(0)
        expect(self.dashboard.locator('[data-testid="no-matches"]')).to_be_visible()

    def test_pagination_moves_between_pages_and_stays_valid_when_filtered(self):
        indicator = self.dashboard.locator('[data-testid="page-indicator"]')
        expect(indicator).to_have_text("Page 1 of %d" % PAGES)
        expect(self.cards).to_have_count(12)
        first_tags = [card.get_attribute("data-tag") for card in self.cards.all()]
        self.dashboard.locator('[data-testid="page-next"]').click()
        expect(indicator).to_have_text("Page 2 of %d" % PAGES)
        expect(self.cards).to_have_count(12)
        second_tags = [card.get_attribute("data-tag") for card in self.cards.all()]
        self.assertEmpty(set(first_tags) & set(second_tags))
        self.dashboard.locator('[data-testid="page-next"]').click()
        self.dashboard.locator('[data-testid="page-next"]').click()
        expect(indicator).to_have_text("Page %d of %d" % (PAGES, PAGES))
        expect(self.dashboard.locator('[data-testid="page-next"]')).to_be_disabled()
        self.dashboard.locator('[data-testid="tag-filter"]').fill("^page_0")
        expect(self.cards).to_have_count(10)
        expect(indicator).to_have_count(0)
        self.dashboard.locator('[data-testid="tag-filter"]').fill("^page_")
        expect(indicator).to_have_text("Page 1 of 3")
        expect(self.dashboard.locator('[data-testid="page-prev"]')).to_be_disabled()

    def test_hostile_names_and_guests_are_text_and_run_no_script(self):
        hostile_run = greeter_demo.HOSTILE_RUN
        expect(self.dashboard.locator("input[data-run=%s]" % json.dumps(hostile_run))).to_be_attached()
        guests = self.dashboard.locator('greeter-card.card[data-tag="hostile_guests"] td.text')
        expect(guests).to_have_count(len(greeter_demo.HOSTILE_TEXTS))
        self.assertEqual(
            guests.all_inner_texts(), ["Hello, %s!" % text for text in greeter_demo.HOSTILE_TEXTS]
        )
        script_tag = "<script>window.__greeter_xss = 1</script>"
        card = self.dashboard.locator("greeter-card.card[data-tag=%s]" % json.dumps(script_tag))
        expect(card.locator("h3.title")).to_have_text(greeter_demo.HOSTILE_TEXTS[1])
        expect(card.locator(".tag")).to_have_text(script_tag)
        expect(card.locator("tr.run-header .run")).to_have_text(hostile_run)
        self.assertEqual(browser_harness.find_injected_markup(self.greeter.plugin_frame(), "greeter"), [])
        self.assertIsNone(self.greeter.plugin_frame().evaluate("window.__greeter_xss"))
        self.assertIsNone(self.page.evaluate("window.__greeter_xss"))
        self.assertEqual(self.dialogs, [])

    def test_dark_mode_follows_tensorboard(self):
        dashboard = self.dashboard.locator("greeter-dashboard")
        self.page.evaluate("document.body.classList.add('dark-mode')")
        expect(dashboard).to_have_attribute("dark", "")
        self._save_screenshot("greeter_dashboard_dark.png")
        self.page.evaluate("document.body.classList.remove('dark-mode')")
        expect(dashboard).not_to_have_attribute("dark", "")



class ReloadBrowserTest(_BrowserTestCase):
    @classmethod
    def write_logdir(cls, logdir):
        _write_live_greeting(logdir, step=0, guest="Ada")
        greeter_demo.write_pb_run(os.path.join(logdir, OTHER_RUN), [(LIVE_TAG, None, None, ("Grace",))])
        return (LIVE_RUN, OTHER_RUN)

    def test_reload_shows_new_greetings_and_keeps_choices(self):
        tag_filter = self.dashboard.locator('[data-testid="tag-filter"]')
        tag_filter.fill("^%s$" % LIVE_TAG)
        other_run = self.dashboard.locator("input[data-run=%s]" % json.dumps(OTHER_RUN))
        other_run.uncheck()
        live_rows = self._card(LIVE_TAG).locator("tr.greeting")
        expect(live_rows).to_have_count(1)

        _write_live_greeting(self.logdir, step=1, guest="Reloaded")
        # Less than the dashboard's fallback polling period: only TensorBoard's reload can do it.
        deadline = time.monotonic() + 25
        while live_rows.count() < 2 and time.monotonic() < deadline:
            self.page.locator("app-header-reload button.reload-button").click()
            time.sleep(2)
        # Briefly: a longer wait would let the fallback polling pass the test.
        expect(live_rows).to_have_count(2, timeout=1000)
        expect(live_rows.last.locator("td.text")).to_have_text("Hello, Reloaded!")
        expect(tag_filter).to_have_value("^%s$" % LIVE_TAG)
        expect(other_run).not_to_be_checked()

    def test_a_removed_dashboard_stops_following_reloads(self):
        requests = []
        self.page.on("request", lambda request: requests.append(request.url))
        reload_button = self.page.locator("app-header-reload button.reload-button")
        # On the page, the dashboard refetches its tags on each of TensorBoard's reloads...
        with self.page.expect_request(lambda request: request.url.endswith(TAGS_ROUTE)):
            reload_button.click()
        self.greeter.plugin_frame().evaluate("document.querySelector('greeter-dashboard').remove()")
        requests.clear()
        # ...and once removed, no more: TensorBoard's next reload, answered in full, reaches nothing.
        with self.page.expect_response(lambda response: response.url.endswith(HOST_RELOAD_ROUTE)):
            reload_button.click()
        self.page.wait_for_timeout(2000)
        self.assertEqual([url for url in requests if url.endswith(TAGS_ROUTE)], [])


if __name__ == "__main__":
    absltest.main()
