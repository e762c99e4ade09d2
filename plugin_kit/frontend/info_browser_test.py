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

    def test_asks_for_the_runs_before_info_answers(self):
        # The listing waits for nothing of `info`: asked for only after its answer, the first cards
        # came a round trip later. Here `info` answers only once both listings have been asked for.
        page = self.browser.new_page()
        self.addCleanup(page.close)
        routes = "/data/plugin/%s/" % self.plugin_name
        held = []
        page.route("**" + routes + "info", lambda route: held.append(route))
        asked = set()
        page.on("request", lambda request: asked.add(request.url.partition(routes)[2]))
        page.goto(self.url + "#" + self.plugin_name)
        try:
            for _ in range(150):
                if held and {"tags", "tag_info"} <= asked:
                    break
                page.wait_for_timeout(100)
            self.assertTrue(held, "the dashboard asks for info")
            self.assertLessEqual({"tags", "tag_info"}, asked, "the listing is asked for while info is held")
        finally:
            for route in held:
                route.continue_()
        card = page.frame_locator(browser_harness.frame_selector(self.plugin_name)).locator("numbers-card.card")
        expect(card.first).to_be_visible()


if __name__ == "__main__":
    absltest.main()
