"""The dashboard follows what its backend says (the `info` route), not options of its own.

The numbers plugin's bundle says nothing of rows' key or search: served by a backend that calls its
rows "values" and searches them, its cards still show the values, and it shows a search box.
"""
from absl.testing import absltest
from playwright.sync_api import expect

from plugin_kit import series_plugin
from plugin_kit.numbers_plugin import demo
from plugin_kit.numbers_plugin import plugin
from plugin_kit.testing import browser_harness
from plugin_kit.testing import server_harness

(RUN, _) = demo.RUNS


class SearchableValuesPlugin(plugin.NumbersPlugin):
    """The numbers plugin with other settings than its frontend's defaults."""

    tab_name = "Searchable values"
    rows_key = "values"

    def search_text(self, datum):
        return "%.6g" % float(datum.numpy.item())


class SearchableValuesLoader(series_plugin.SeriesLoader):
    plugin_class = SearchableValuesPlugin


class InfoBrowserTest(browser_harness.PluginBrowserTest):
    plugin_name = SearchableValuesPlugin.plugin_name

    @classmethod
    def serve_logdir(cls, logdir):
        return server_harness.serve(logdir, SearchableValuesLoader())

    @classmethod
    def write_logdir(cls, logdir):
        cls.written = demo.write_demo(logdir)
        return {run: [demo.TAG] for run in cls.written}

    def test_shows_the_backends_rows_and_search(self):
        tab = self.open_tab(self.url)
        step, value = self.written[RUN][-1]
        card = tab.dashboard.locator('numbers-card.card[data-tag="%s"]' % demo.TAG)
        row = card.locator('tr.row.value[data-run="%s"][data-step="%d"]' % (RUN, step))
        expect(row.locator("td.cell.value")).to_have_text("%.6g" % value)
        tab.dashboard.locator('[data-testid="search"]').fill("%.6g" % value)
        expect(tab.dashboard.locator('[data-testid="search-count"]')).to_contain_text("1 value contains it")
        self.assertEqual(tab.plugin_frame().title(), "Searchable values")


if __name__ == "__main__":
    absltest.main()
