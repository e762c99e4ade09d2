"""The run and tag filters in Chromium: no pattern, typed or from a link, freezes the page.

JavaScript's own regular expressions backtrack: `^([a-z0-9/]+)+$` against a long name that almost
matches takes exponential time. The dashboard matches with RE2 (re2js), in time linear in the name.
"""

import json
import os
import urllib.parse

from absl.testing import absltest
from playwright.sync_api import expect

from greeter_tensorboard import tensorboard_x_browser_testing
from greeter_plugin import greeter_demo

# Long sweep names: 40-odd characters of [a-z0-9/] and then a "-", which the pattern below cannot
# match, so that a backtracking engine tries every way to split each name (2**43 of them).
RUNS = ["experiments/resnet50/imagenet/lr%04d/seed%02d-final" % (rate, seed) for rate in (1, 3) for seed in range(3)]
TAGS = ("train", "eval")
CATASTROPHIC = "^([a-z0-9/]+)+$"
# How soon the page must answer a keystroke, whatever the filter: a user notices a second.
ANSWER_MS = 1000


class FilterBrowserTest(tensorboard_x_browser_testing.TensorBoardXBrowserTest):
    plugin_name = "greeter"

    @classmethod
    def write_logdir(cls, logdir):
        for run in RUNS:
            greeter_demo.write_pb_run(os.path.join(logdir, *run.split("/")), [(tag, None, None, ("Ada",)) for tag in TAGS])
        return RUNS

    def open(self, fragment):
        """Opens the Greeter tab at `fragment`, without waiting for a card: a filter may leave none."""
        return self.open_tab(self.url, fragment, wait_for_card=False).dashboard

    def test_a_link_with_a_catastrophic_pattern_opens_a_page_that_answers(self):
        dashboard = self.open("greeter&p.greeter.runFilter=" + urllib.parse.quote(CATASTROPHIC, safe=""))
        run_filter = dashboard.locator('[data-testid="run-filter"]')
        expect(run_filter).to_have_value(CATASTROPHIC)
        # Every name has a "-": none matches, and the dashboard says so.
        expect(dashboard.locator('[data-testid="run-list"]')).to_be_attached()
        expect(dashboard.locator("text=No runs match.")).to_be_visible()
        expect(dashboard.locator('[data-testid="run-filter-error"]')).to_have_count(0)
        # The page answers input at once: a filter that matches one run lists it.
        run_filter.fill("seed01-")
        expect(dashboard.locator("input[data-run]")).to_have_count(2, timeout=ANSWER_MS)
        expect(dashboard.locator("greeter-card.card").first).to_be_visible()

    def test_a_typed_catastrophic_pattern_leaves_the_page_answering(self):
        dashboard = self.open("greeter")
        expect(dashboard.locator("greeter-card.card").first).to_be_visible()
        run_filter = dashboard.locator('[data-testid="run-filter"]')
        tag_filter = dashboard.locator('[data-testid="tag-filter"]')
        run_filter.fill(CATASTROPHIC)
        tag_filter.fill(CATASTROPHIC)
        run_filter.fill("lr0003/seed02")
        expect(dashboard.locator("input[data-run]")).to_have_count(1, timeout=ANSWER_MS)
        expect(dashboard.locator("input[data-run=%s]" % json.dumps(RUNS[-1]))).to_be_checked()

    def test_a_pattern_re2_cannot_run_is_reported_invalid(self):
        dashboard = self.open("greeter")
        run_filter = dashboard.locator('[data-testid="run-filter"]')
        # Lookahead backtracks; RE2 has none. The filter says so and matches everything meanwhile.
        run_filter.fill("seed(?=01)")
        expect(dashboard.locator('[data-testid="run-filter-error"]')).to_be_visible()
        expect(run_filter).to_have_attribute("aria-invalid", "true")
        expect(dashboard.locator("input[data-run]")).to_have_count(len(RUNS))

    def test_patterns_with_optional_or_alternative_text_match_as_re2_does(self):
        # The dashboard sets aside names that lack a pattern's plain text before running RE2: text that
        # a quantifier, a group, a class or an escape makes optional is not required of a name.
        dashboard = self.open("greeter")
        run_filter = dashboard.locator('[data-testid="run-filter"]')
        for pattern, count in [
            ("imagenetx?/lr0003/seed0[12]", 2),  # "x" may be absent.
            ("lr0{3}1/", 3),  # "0" repeated, and no "3" in the names.
            ("lr000(1|3)/seed02", 2),
            ("seed02|lr0001", 4),
            ("\\x6cr0001/seed00", 1),  # "\x6c" is "l".
            ("LR0003/SEED0[12]", 2),  # Case-insensitive, as RE2's match.
            ("resnet5+0/.*seed01-", 2),
        ]:
            run_filter.fill(pattern)
            expect(dashboard.locator("input[data-run]"), pattern).to_have_count(count)


if __name__ == "__main__":
    absltest.main()
