"""Tests the numbers plugin's routes under both of TensorBoard's loaders, through the kit's route harness."""

import csv
import io
import tempfile

from absl.testing import absltest
from absl.testing import parameterized

from plugin_kit.numbers_plugin import demo
from plugin_kit.numbers_plugin import metadata
from plugin_kit.numbers_plugin import plugin
from plugin_kit.numbers_plugin import summary
from plugin_kit.testing import route_harness

NAME = metadata.PLUGIN_NAME
(RUN, OTHER_RUN) = demo.RUNS


class PluginTest(parameterized.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.logdir = tempfile.mkdtemp(dir=absltest.get_default_test_tmpdir())
        cls.written = demo.write_demo(cls.logdir)
        # A tag of a newer version of the plugin, which this one names but cannot read.
        newer = summary.pb("future", 1.0)
        newer.value[0].metadata.plugin_data.content = b'{"version": 99}'
        route_harness.write_summaries(cls.logdir + "/future", [(0, newer)])

    def client(self, loader):
        flags = route_harness.tensorboard_flags(self.logdir, loaders=[plugin.NumbersLoader()])
        data_provider = route_harness.start_data_provider(flags, loader)
        route_harness.wait_for_data(data_provider, NAME, 2 * demo.STEPS + 1)
        return route_harness.plugin_client(plugin.NumbersPlugin, flags, data_provider)

    def get(self, client, path, **query):
        status, body = route_harness.get_json(client, NAME, path, query)
        self.assertEqual(status, 200, body)
        return body

    @parameterized.parameters(*route_harness.LOADERS)
    def test_serves_the_demos_values(self, loader):
        client = self.client(loader)
        self.assertEqual(self.get(client, "tags"), {RUN: [demo.TAG], OTHER_RUN: [demo.TAG]})
        self.assertEqual(self.get(client, "tag_info")[demo.TAG]["display_name"], "Loss")
        card = self.get(client, "card", tag=demo.TAG, run=RUN, latest=2)[RUN]
        self.assertEqual(card["total"], demo.STEPS)
        self.assertEqual([(row["step"], row["value"]) for row in card["rows"]], self.written[RUN][-2:])
        self.assertIn("version 99", self.get(client, "unreadable_tags")["future"]["future"])

    @parameterized.parameters(*route_harness.LOADERS)
    def test_downloads_a_runs_values_as_csv(self, loader):
        response = self.client(loader).get(
            "/data/plugin/%s/download" % NAME, query_string={"run": OTHER_RUN, "tag": demo.TAG, "format": "csv"}
        )
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
        self.assertEqual([(int(r["step"]), float(r["value"])) for r in rows], self.written[OTHER_RUN])

    def test_tells_the_dashboard_what_it_must_agree_on(self):
        self.assertEqual(
            self.get(self.client("python"), "info"),
            {"plugin_name": NAME, "tab_name": "Numbers", "rows_key": "rows", "searchable": False},
        )

    def test_has_no_search_and_refuses_bad_requests_in_json(self):
        client = self.client("python")
        self.assertEqual(client.get("/data/plugin/%s/search?q=1" % NAME).status_code, 404)
        status, body = route_harness.get_json(client, NAME, "card", {"tag": demo.TAG})
        self.assertEqual((status, body), (400, {"error": "missing query parameter 'run'"}))


if __name__ == "__main__":
    absltest.main()
