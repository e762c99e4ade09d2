"""What a new user sees in the Greeter tab before any greeting is written, in Chromium."""

from absl.testing import absltest
from playwright.sync_api import expect
from playwright.sync_api import sync_playwright

from greeter_plugin.frontend import browser_testing
from greeter_tensorboard import server_testing


class EmptyStateBrowserTest(absltest.TestCase):
    def test_an_empty_logdir_shows_how_to_write_greetings(self):
        url = self.enterContext(server_testing.serve(self.create_tempdir().full_path))
        playwright = self.enterContext(sync_playwright())
        browser = browser_testing.launch_chromium(playwright)
        self.addCleanup(browser.close)
        page = browser.new_page()
        page.goto(url + "#greeter")
        dashboard = page.frame_locator('iframe[src*="plugin_entry.html?name=greeter"]')
        expect(dashboard.locator('[data-testid="empty-state"]')).to_be_visible(timeout=30000)
        sample = dashboard.locator('[data-testid="empty-state-sample"]')
        expect(sample).to_contain_text("from greeter_plugin import summary")
        expect(sample).to_contain_text('summary.greeting("guests", "Ada", step=0)')
        expect(dashboard.locator("greeter-card")).to_have_count(0)


if __name__ == "__main__":
    absltest.main()
