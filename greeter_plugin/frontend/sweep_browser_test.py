"""The Greeter dashboard in Chromium on a hyperparameter sweep of a thousand runs.

One sweep is generated for the whole target (`sweep/lr<k>/seed<n>`, ten seeds a learning rate), and
served by TensorBoard-X; each test opens its own page.
"""

import json
import os
import tempfile

from absl.testing import absltest
from playwright.sync_api import expect

from greeter_plugin import sweep_demo
from greeter_plugin.frontend import browser_testing
from greeter_tensorboard import server_testing

RUNS = 1000
STEPS = 3


class SweepBrowserTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        logdir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        cls.runs = sweep_demo.write_sweep(logdir, RUNS, STEPS, tags=1)
        cls.url = cls.enterClassContext(server_testing.serve(logdir))
        server_testing.tags_of_every_run(cls.url + "data/plugin/greeter/", cls.runs, timeout_seconds=180)

        cls.browser = browser_testing.chromium_for_class(cls)

    def setUp(self):
        super().setUp()
        greeter = browser_testing.open_greeter(self.browser, self.url)
        self.addCleanup(greeter.page.close)
        self.page = greeter.page
        self.dashboard = greeter.dashboard
        self.run_list = self.dashboard.locator('[data-testid="run-list"]')
        self.run_count = self.dashboard.locator('[data-testid="run-count"]')
        self.checkboxes = self.run_list.locator("input[data-run]")

    def checkbox(self, run):
        return self.run_list.locator("input[data-run=%s]" % json.dumps(run))

    def test_lists_every_run_but_keeps_only_a_screenful_in_the_page(self):
        expect(self.run_count).to_have_text("%d runs, %d selected" % (RUNS, RUNS))
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
        expect(self.run_count).to_have_text("%d of %d runs match, %d selected" % (len(matching), RUNS, RUNS))
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
        expect(self.run_count).to_have_text("1 of %d runs match, %d selected" % (RUNS, RUNS - 1))
        expect(card.locator("tr.greeting")).to_have_count(0)


if __name__ == "__main__":
    absltest.main()
