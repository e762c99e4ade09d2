"""The numbers plugin's dashboard in Chromium, drawn by the kit's components: its cards show the values."""
from absl.testing import absltest
from playwright.sync_api import expect

from plugin_kit.numbers_plugin import demo
from plugin_kit.numbers_plugin import plugin
from plugin_kit.testing import browser_harness

(RUN, OTHER_RUN) = demo.RUNS


class DashboardBrowserTest(browser_harness.PluginBrowserTest):
    plugin_name = plugin.NumbersPlugin.plugin_name
    plugin_loader = plugin.NumbersLoader()

    @classmethod
    def write_logdir(cls, logdir):
        cls.written = demo.write_demo(logdir)
        return {run: [demo.TAG] for run in cls.written}

    def test_a_card_shows_each_runs_latest_values(self):
        card = self.open_tab(self.url).dashboard.locator('numbers-card.card[data-tag="%s"]' % demo.TAG)
        expect(card.locator("h3.title")).to_have_text("Loss")
        expect(card.locator(".description em")).to_have_text("lower is better")
        for run in (RUN, OTHER_RUN):
            step, value = self.written[run][-1]
            row = card.locator('tr.row.value[data-run="%s"][data-step="%d"]' % (run, step))
            expect(row.locator("td.cell.value")).to_have_text("%.6g" % value)

    def test_an_empty_logdir_shows_how_to_write_values(self):
        url = self.enterContext(self.serve_logdir(self.create_tempdir().full_path))
        dashboard = self.open_tab(url, wait_for_card=False).dashboard
        expect(dashboard.locator('[data-testid="empty-state-sample"]')).to_contain_text("summary.add_number(writer")
        expect(dashboard.locator("numbers-card")).to_have_count(0)


if __name__ == "__main__":
    absltest.main()
