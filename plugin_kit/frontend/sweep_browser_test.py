"""The Greeter dashboard in Chromium on a hyperparameter sweep of a thousand runs.

One sweep is generated for the whole target (`sweep/lr<k>/seed<n>`, ten seeds a learning rate), and
served by TensorBoard-X; each test opens its own page.
"""

import json
import os
import tempfile
import re
import urllib.parse

from absl.testing import absltest
from playwright.sync_api import expect

from greeter_tensorboard import tensorboard_x_browser_testing
from greeter_plugin import sweep_demo

RUNS = 1000
# More than a card shows of each run of a full page of runs, so that a card has steps to show on demand.
STEPS = 8
# RUNS_PER_CARD_PAGE and ROWS_PER_CARD in card.ts: 20 runs a card page, 120 rows a card.
RUNS_PER_CARD_PAGE = 20
ROWS_PER_RUN = 120 // RUNS_PER_CARD_PAGE
CARD_ROUTE = "/data/plugin/greeter/card?"
# The most characters a link's Greeter part may take, whatever the run selection (issue 25: 2,000).
MAX_FRAGMENT_CHARS = 2000

# Test-only: records the length of each array of 100 or more items that the dashboard's frame sorts.
COUNT_LONG_SORTS = """
  window.longSorts = [];
  const sort = Array.prototype.sort;
  Array.prototype.sort = function (...args) {
    if (this.length >= 100) window.longSorts.push(this.length);
    return sort.apply(this, args);
  };
"""


def natural_order(runs):
    """Runs as the dashboard sorts them: "seed2" before "seed10"."""
    return sorted(runs, key=lambda run: [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", run)])


class SweepBrowserTest(tensorboard_x_browser_testing.TensorBoardXBrowserTest):
    plugin_name = "greeter"
    runs_timeout_seconds = 180

    @classmethod
    def write_logdir(cls, logdir):
        cls.runs = sweep_demo.write_sweep(logdir, RUNS, STEPS, tags=1)
        return cls.runs

    def setUp(self):
        super().setUp()
        greeter = self.open_tab(self.url)
        self.page = greeter.page
        self.dashboard = greeter.dashboard
        self.run_list = self.dashboard.locator('[data-testid="run-list"]')
        self.run_count = self.dashboard.locator('[data-testid="run-count"]')
        self.checkboxes = self.run_list.locator("input[data-run]")

    def checkbox(self, run):
        return self.run_list.locator("input[data-run=%s]" % json.dumps(run))

    def shown_runs(self, card):
        return card.locator("tr.run-header").evaluate_all("rows => rows.map(row => row.dataset.run)")

    def test_a_card_pages_through_its_runs_with_each_runs_latest_greetings(self):
        runs = natural_order(self.runs)
        # Every request of the Greeter tab from its start: the page is loaded again while recording.
        urls = []
        self.page.on("request", lambda request: urls.append(request.url))
        self.page.reload()
        card = self.dashboard.locator("greeter-card.card").first
        run_range = card.locator('[data-testid="run-range"]')
        expect(run_range).to_have_text("Runs 1–20 of 1,000")
        expect(card.locator("tr.greeting")).to_have_count(RUNS_PER_CARD_PAGE * ROWS_PER_RUN)
        self.assertEqual(self.shown_runs(card), runs[:RUNS_PER_CARD_PAGE])
        first_run = card.locator("tr.run-header").first
        expect(first_run.locator(".hidden-count")).to_have_text("(latest %d of %d)" % (ROWS_PER_RUN, STEPS))
        rows = card.locator("tr.greeting[data-run=%s]" % json.dumps(runs[0]))
        self.assertEqual(
            rows.locator("td.step").all_inner_texts(), [str(step) for step in range(STEPS - ROWS_PER_RUN, STEPS)]
        )
        expect(card.locator('[data-testid="run-page-prev"]')).to_be_disabled()

        card.locator('[data-testid="run-page-next"]').click()
        expect(run_range).to_have_text("Runs 21–40 of 1,000")
        expect(card.locator("tr.greeting[data-run=%s]" % json.dumps(runs[RUNS_PER_CARD_PAGE]))).to_have_count(ROWS_PER_RUN)
        self.assertEqual(self.shown_runs(card), runs[RUNS_PER_CARD_PAGE : 2 * RUNS_PER_CARD_PAGE])
        card.locator('[data-testid="run-page-prev"]').click()
        expect(run_range).to_have_text("Runs 1–20 of 1,000")
        expect(rows).to_have_count(ROWS_PER_RUN)

        # What the page fetched: no request for every greeting, and none of a card for more than a page of runs.
        card_requests = [url for url in urls if CARD_ROUTE in url]
        self.assertNotEmpty(card_requests)
        self.assertEqual([url for url in urls if "greetings_by_" in url], [])
        for url in card_requests:
            self.assertLessEqual(len(urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["run"]), RUNS_PER_CARD_PAGE)

    def test_show_every_step_shows_one_runs_whole_series(self):
        runs = natural_order(self.runs)
        card = self.dashboard.locator("greeter-card.card").first
        rows = card.locator("tr.greeting[data-run=%s]" % json.dumps(runs[1]))
        expect(rows).to_have_count(ROWS_PER_RUN)
        card.locator("tr.run-header[data-run=%s] [data-testid=show-every-step]" % json.dumps(runs[1])).click()
        expect(rows).to_have_count(STEPS)
        self.assertEqual(rows.locator("td.step").all_inner_texts(), [str(step) for step in range(STEPS)])
        expect(card.locator("tr.run-header[data-run=%s] .hidden-count" % json.dumps(runs[1]))).to_have_count(0)
        # The other runs still show their latest greetings only.
        expect(card.locator("tr.greeting[data-run=%s]" % json.dumps(runs[0]))).to_have_count(ROWS_PER_RUN)
        expect(card.locator("tr.greeting")).to_have_count((RUNS_PER_CARD_PAGE - 1) * ROWS_PER_RUN + STEPS)

    def test_lists_every_run_but_keeps_only_a_screenful_in_the_page(self):
        expect(self.run_count).to_have_text("{0:,} runs, {0:,} selected".format(RUNS))
        expect(self.checkbox(self.runs[0])).to_be_checked()
        self.assertLess(self.checkboxes.count(), 100)

        outputs = os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR", tempfile.gettempdir())
        self.page.screenshot(path=os.path.join(outputs, "greeter_sweep.png"))
        self.run_list.evaluate("list => list.scrollTop = list.scrollHeight")
        expect(self.checkbox(self.runs[-1])).to_be_visible()
        expect(self.checkbox(self.runs[0])).to_have_count(0)

    def test_a_filter_over_the_runs_lists_and_shows_only_its_matches(self):
        self.dashboard.locator('[data-testid="run-filter"]').fill("^sweep/lr42/")
        matching = [run for run in self.runs if run.startswith("sweep/lr42/")]
        expect(self.run_count).to_have_text("{:,} of {:,} runs match, {:,} selected".format(len(matching), RUNS, RUNS))
        expect(self.checkboxes).to_have_count(len(matching))
        card = self.dashboard.locator("greeter-card.card").first
        expect(card.locator("tr.greeting")).to_have_count(len(matching) * STEPS)
        shown = set(card.locator("tr.greeting").evaluate_all("rows => rows.map(row => row.dataset.run)"))
        self.assertEqual(shown, set(matching))

    def test_turning_a_run_off_counts_and_hides_it(self):
        self.dashboard.locator('[data-testid="run-filter"]').fill("^sweep/lr7/seed3$")
        card = self.dashboard.locator("greeter-card.card").first
        expect(card.locator("tr.greeting")).to_have_count(STEPS)
        self.checkbox("sweep/lr7/seed3").uncheck()
        expect(self.run_count).to_have_text("1 of {:,} runs match, {:,} selected".format(RUNS, RUNS - 1))
        expect(card.locator("tr.greeting")).to_have_count(0)

    def test_a_keystroke_sorts_no_run_list(self):
        # A page of our own, with the counting script: its frame's CSP forbids inline script otherwise.
        greeter = self.open_tab(self.url, bypass_csp=True)
        greeter.page.context.add_init_script(COUNT_LONG_SORTS)
        greeter.page.reload()
        dashboard = greeter.dashboard
        expect(dashboard.locator("greeter-card.card").first).to_be_visible()
        frame = greeter.plugin_frame()
        # The first load sorts the runs once; the keystrokes after it sort nothing long.
        frame.evaluate("window.longSorts.length = 0")
        run_filter = dashboard.locator('[data-testid="run-filter"]')
        for typed in ("s", "se", "see", "seed", "seed1"):
            run_filter.fill(typed)
        expect(dashboard.locator('[data-testid="run-count"]')).to_contain_text("{:,} of".format(RUNS // 10))
        dashboard.locator('[data-testid="tag-filter"]').fill("greet")
        dashboard.locator('[data-testid="latest-only"]').check()
        expect(dashboard.locator("greeter-card.card tr.greeting")).to_have_count(RUNS_PER_CARD_PAGE)
        self.assertEqual(frame.evaluate("window.longSorts"), [])

    def fragment(self):
        return urllib.parse.urlsplit(self.page.url).fragment

    def test_none_keeps_the_url_short_and_a_link_restores_the_choice(self):
        self.dashboard.locator('[data-testid="select-no-runs"]').click()
        expect(self.run_count).to_have_text("{:,} runs, 0 selected".format(RUNS))
        chosen = natural_order(self.runs)[:3]
        for run in chosen:
            self.checkbox(run).check()
        expect(self.run_count).to_have_text("{:,} runs, 3 selected".format(RUNS))
        # The URL follows once the clicks pause.
        selected = "p.greeter.selectedRuns=" + urllib.parse.quote(json.dumps(chosen, separators=(",", ":")), safe="")
        expect(self.page).to_have_url(re.compile(re.escape(selected)))
        self.assertLessEqual(len(self.fragment()), MAX_FRAGMENT_CHARS)
        self.page.reload()
        expect(self.run_count).to_have_text("{:,} runs, 3 selected".format(RUNS))
        for run in chosen:
            expect(self.checkbox(run)).to_be_checked()
        expect(self.checkbox(natural_order(self.runs)[3])).not_to_be_checked()

    def test_a_selection_too_long_for_a_link_says_so(self):
        self.dashboard.locator('[data-testid="run-filter"]').fill("seed1$")
        self.dashboard.locator('[data-testid="select-no-runs"]').click()
        # A hundred names, each a few dozen characters in the URL: more than a link keeps.
        expect(self.run_count).to_contain_text("{:,} selected".format(RUNS - RUNS // 10))
        expect(self.dashboard.locator('[data-testid="selection-not-in-url"]')).to_be_visible()
        expect(self.page).to_have_url(re.compile(re.escape("p.greeter.runFilter=seed1%24")))
        # The URL follows a tenth of a second after the last change: long past it, it has no runs.
        self.page.wait_for_timeout(500)
        self.assertLessEqual(len(self.fragment()), MAX_FRAGMENT_CHARS)
        self.assertNotIn("Runs", self.fragment())
        self.dashboard.locator('[data-testid="select-all-runs"]').click()
        expect(self.dashboard.locator('[data-testid="selection-not-in-url"]')).to_have_count(0)


if __name__ == "__main__":
    absltest.main()
