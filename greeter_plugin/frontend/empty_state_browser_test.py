"""What a user sees in the Greeter tab when no greeting can be shown, in Chromium."""

import os

from absl.testing import absltest
from playwright.sync_api import expect
from playwright.sync_api import sync_playwright

from greeter_plugin import plugin_testing
from greeter_tensorboard import server_testing
from plugin_kit.testing import browser_harness


class EmptyStateBrowserTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        playwright = self.enterContext(sync_playwright())
        self.browser = browser_harness.launch_chromium(playwright)
        self.addCleanup(self.browser.close)

    def open_empty_state(self, logdir, unreadable=False):
        """Opens the Greeter tab on `logdir`, once its unreadable tags are read if `unreadable`."""
        url = self.enterContext(server_testing.serve(logdir))
        if unreadable:
            server_testing.wait_for(lambda: server_testing.get_json(url + "data/plugin/greeter/unreadable_tags"))
        page = self.browser.new_page()
        page.goto(url + "#greeter")
        dashboard = page.frame_locator(browser_harness.frame_selector("greeter"))
        empty_state = dashboard.locator('[data-testid="empty-state"]')
        expect(empty_state).to_be_visible()
        return dashboard, empty_state

    def test_an_empty_logdir_shows_how_to_write_greetings(self):
        dashboard, _ = self.open_empty_state(self.create_tempdir().full_path)
        sample = dashboard.locator('[data-testid="empty-state-sample"]')
        expect(sample).to_contain_text("from greeter_plugin import summary")
        expect(sample).to_contain_text('summary.greeting("guests", "Ada", step=0)')
        expect(dashboard.locator("greeter-card")).to_have_count(0)

    def test_greetings_that_cannot_be_read_are_named_with_why(self):
        logdir = self.create_tempdir().full_path
        run_dir = os.path.join(logdir, "from_the_future")

        def newer_version(proto):
            proto.value[0].metadata.plugin_data.content = b'{"version": 99}'

        plugin_testing.write_greetings(run_dir, "guests", [(0, "Ada")], edit=newer_version)
        dashboard, empty_state = self.open_empty_state(logdir, unreadable=True)
        expect(empty_state.locator("h2")).to_have_text("Greetings were found, but none can be read.")
        unreadable = empty_state.locator('[data-testid="unreadable-tags"] li')
        expect(unreadable).to_have_count(1)
        expect(unreadable).to_contain_text("guests in run from_the_future")
        expect(unreadable).to_contain_text("greeter plugin data of version 99 was written by a newer Greeter")
        expect(dashboard.locator('[data-testid="empty-state-sample"]')).to_have_count(0)


if __name__ == "__main__":
    absltest.main()
