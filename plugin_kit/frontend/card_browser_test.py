"""What a tag's card shows when its runs disagree on its metadata, or when the tag has gone, in Chromium."""

import json
import os
import shutil
import time
import urllib.request

from absl.testing import absltest
from playwright.sync_api import expect

from greeter_tensorboard import tensorboard_x_browser_testing
from plugin_kit import sampling

from greeter_plugin import plugin_testing
from plugin_kit.testing import browser_harness

# A tag that the dashboard is told of, and that has gone by the time it asks for its greetings.
GONE_TAG = "gone"
# A tag of two runs, each longer than the loaders keep by default (sampling.DEFAULT_SAMPLES_PER_TAG).
LONG_TAG = "long"
LONG_RUNS = ("dan", "eve")
LONG_STEPS = sampling.DEFAULT_SAMPLES_PER_TAG + 50
# A tag of two runs, the second of which is deleted while a page shows it.
FLEETING_TAG = "fleeting"
KEPT_RUN, VANISHING_RUN = "fay", "gus"
RELOAD_BUTTON = "app-header-reload button.reload-button"


class CardBrowserTest(tensorboard_x_browser_testing.TensorBoardXBrowserTest):
    plugin_name = "greeter"
    # The server notices a deleted run within a second.
    server_flags = ("--reload_interval=1",)

    @classmethod
    def write_logdir(cls, logdir):
        write = plugin_testing.write_greetings
        write(os.path.join(logdir, "ada"), "guests", [(0, "Ada")], display_name="Guests", description="Who *came*.")
        write(os.path.join(logdir, "bob"), "guests", [(0, "Bob")], display_name="Visitors", description="Who **left**.")
        write(os.path.join(logdir, "cy"), "guests", [(0, "Cy")], display_name="Guests", description="Who *came*.")
        write(os.path.join(logdir, "ada"), "agreed", [(0, "Ada")], display_name="Agreed")
        for run in LONG_RUNS:
            write(os.path.join(logdir, run), LONG_TAG, [(step, "Guest %d" % step) for step in range(LONG_STEPS)])
        for run in (KEPT_RUN, VANISHING_RUN):
            write(os.path.join(logdir, run), FLEETING_TAG, [(0, "Hi %s" % run)])
        return {
            "ada": ["guests", "agreed"], "bob": ["guests"], "cy": ["guests"],
            **dict.fromkeys(LONG_RUNS, [LONG_TAG]), **dict.fromkeys((KEPT_RUN, VANISHING_RUN), [FLEETING_TAG]),
        }

    def open_greeter(self):
        return self.open_tab(self.url)

    def test_a_card_shows_where_runs_disagree_on_the_tags_metadata(self):
        dashboard = self.open_greeter().dashboard
        guests = dashboard.locator('greeter-card.card[data-tag="guests"]')
        expect(guests.locator("h3.title")).to_have_text("Guests")
        expect(guests.locator(".description em").first).to_have_text("came")
        # Counted at once; listed when asked for.
        expect(guests.locator('[data-testid="other-metadata-count"]')).to_contain_text(
            "1 run names or describes this tag otherwise")
        others = guests.locator('[data-testid="other-version"]')
        expect(others).to_have_count(0)
        guests.locator('[data-testid="show-other-metadata"]').click()
        expect(others).to_have_count(1)
        expect(guests.locator('[data-testid="more-other-metadata"]')).to_have_count(0)
        expect(others.locator(".other-name")).to_have_text("Visitors")
        expect(others.locator(".runs")).to_have_text("(bob)")
        expect(others.locator(".description strong")).to_have_text("left")
        agreed = dashboard.locator('greeter-card.card[data-tag="agreed"]')
        expect(agreed.locator("h3.title")).to_have_text("Agreed")
        expect(agreed.locator('[data-testid="other-metadata"]')).to_have_count(0)

    def test_a_run_longer_than_the_sample_bound_says_its_rows_are_a_sample(self):
        dashboard = self.open_greeter().dashboard
        card = dashboard.locator('greeter-card.card[data-tag="%s"]' % LONG_TAG)
        # The card's 120 rows shared by its two runs: 60 each, of the 100 each run keeps.
        dan = card.locator('tr.run-header[data-run="dan"]')
        expect(dan.locator(".hidden-count")).to_have_text(
            "(latest 60 of %d kept, a sample of its steps)" % sampling.DEFAULT_SAMPLES_PER_TAG
        )
        dan.get_by_role("button", name="Show every kept step of dan").click()
        expect(card.locator('tr.greeting[data-run="dan"]')).to_have_count(sampling.DEFAULT_SAMPLES_PER_TAG)
        expect(dan.locator(".hidden-count")).to_have_text(
            "(%d kept, a sample of its steps)" % sampling.DEFAULT_SAMPLES_PER_TAG
        )
        # The latest step is always kept.
        expect(card.locator('tr.greeting[data-run="dan"] td.step').last).to_have_text(str(LONG_STEPS - 1))

    def test_a_tag_gone_since_it_was_listed_costs_only_its_own_card(self):
        page = self.open_greeter().page

        # The tag list the dashboard gets still names a tag that has gone from the logdir since.
        def list_a_gone_tag(route):
            tag_info = route.fetch().json()
            tag_info[GONE_TAG] = dict(tag_info["agreed"], display_name=GONE_TAG)
            route.fulfill(json=tag_info)

        page.route("**/data/plugin/greeter/tag_info", list_a_gone_tag)
        page.reload()
        dashboard = page.frame_locator(browser_harness.frame_selector("greeter"))
        tag_filter = dashboard.locator('[data-testid="tag-filter"]')
        gone = dashboard.locator('greeter-card.card[data-tag="%s"]' % GONE_TAG)
        # Every tag of the page gone, then one of two: the same card, and no error for the page.
        for pattern in ("^%s$" % GONE_TAG, "^(%s|agreed)$" % GONE_TAG):
            tag_filter.fill(pattern)
            expect(gone.locator('[data-testid="no-rows"]')).to_be_visible()
            expect(dashboard.locator('[data-testid="error"]')).to_have_count(0)
        expect(dashboard.locator('greeter-card.card[data-tag="agreed"] tr.greeting')).to_have_count(1)

    def test_a_run_deleted_while_the_page_shows_it_says_it_is_gone(self):
        greeter = self.open_greeter()
        dashboard = greeter.dashboard
        card = dashboard.locator('greeter-card.card[data-tag="%s"]' % FLEETING_TAG)
        expect(card.locator('tr.greeting[data-run="%s"]' % VANISHING_RUN)).to_have_count(1)
        shutil.rmtree(os.path.join(self.logdir, VANISHING_RUN))
        self.wait_until_the_server_no_longer_lists(VANISHING_RUN)
        # The page still lists the run; the card asks again for what it shows (here, the latest rows only).
        dashboard.locator('[data-testid="latest-only"]').check()
        gone = card.locator('tr.run-gone[data-run="%s"]' % VANISHING_RUN)
        expect(gone.get_by_role("status")).to_have_text(
            "Gone since the dashboard listed it (no run '%s' with greetings); it leaves this card at the next reload."
            % VANISHING_RUN
        )
        expect(card.locator('tr.run-header[data-run="%s"] .downloads' % VANISHING_RUN)).to_have_count(0)
        expect(card.locator('tr.greeting[data-run="%s"]' % KEPT_RUN)).to_have_count(1)
        # TensorBoard's next reload lists the runs again: the gone run leaves the card.
        greeter.page.locator(RELOAD_BUTTON).click()
        expect(card.locator('tr.run-header[data-run="%s"]' % VANISHING_RUN)).to_have_count(0)
        expect(card.locator('tr.greeting[data-run="%s"]' % KEPT_RUN)).to_have_count(1)

    def wait_until_the_server_no_longer_lists(self, run, timeout_seconds=30):
        """Waits until the plugin's `tags` route no longer names `run`."""
        deadline = time.monotonic() + timeout_seconds
        while True:
            with urllib.request.urlopen(self.url + "data/plugin/greeter/tags") as answer:
                if run not in json.load(answer):
                    return
            self.assertLess(time.monotonic(), deadline, "the server still lists %r" % run)
            time.sleep(0.2)


if __name__ == "__main__":
    absltest.main()
