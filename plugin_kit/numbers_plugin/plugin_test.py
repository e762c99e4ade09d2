"""Tests the numbers plugin's routes under both of TensorBoard's loaders, through the kit's route harness."""

import csv
import io
import json
import os
import tempfile

from absl.testing import absltest
from absl.testing import parameterized

from tensorboard.compat.proto import tensor_pb2
from tensorboard.compat.proto import types_pb2

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

    def bad_values_client(self, loader):
        """A client of a logdir whose tag holds numbers at steps 0, 2 and 4, text at steps 1 and 3."""
        logdir = tempfile.mkdtemp(dir=absltest.get_default_test_tmpdir())
        summaries = []
        for step in range(5):
            proto = summary.pb(demo.TAG, float("nan") if step == 4 else step / 2)
            if step % 2:
                proto.value[0].tensor.CopyFrom(
                    tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, string_val=[b"oops %d" % step])
                )
            summaries.append((step, proto))
        route_harness.write_summaries(os.path.join(logdir, RUN), summaries)
        flags = route_harness.tensorboard_flags(logdir, loaders=[plugin.NumbersLoader()])
        data_provider = route_harness.start_data_provider(flags, loader)
        route_harness.wait_for_data(data_provider, NAME, 5)
        return route_harness.plugin_client(plugin.NumbersPlugin, flags, data_provider)

    @parameterized.parameters(*route_harness.LOADERS)
    def test_skips_values_that_are_no_number_with_one_warning(self, loader):
        client = self.bad_values_client(loader)
        with self.assertLogs(plugin.__name__, "WARNING") as logs:
            card = self.get(client, "card", tag=demo.TAG, run=RUN)[RUN]
            rows = self.get(client, "rows", tag=demo.TAG, run=RUN)
            download = client.get(
                "/data/plugin/%s/download" % NAME, query_string={"run": RUN, "tag": demo.TAG, "format": "json"}
            )
        self.assertEqual(card["total"], 3)
        self.assertEqual([row["step"] for row in card["rows"]], [0, 2, 4])
        self.assertEqual(rows, card["rows"])
        self.assertEqual(len(logs.records), 1, logs.output)
        self.assertIn("step 1", logs.output[0])
        # A NaN downloads as the string "NaN": the file is JSON that any strict parser reads.
        self.assertEqual(download.status_code, 200)
        downloaded = json.loads(download.get_data(as_text=True), parse_constant=self.fail)
        self.assertEqual([row["value"] for row in downloaded], [0.0, 1.0, "NaN"])

    def test_has_no_search_and_refuses_bad_requests_in_json(self):
        client = self.client("python")
        self.assertEqual(client.get("/data/plugin/%s/search?q=1" % NAME).status_code, 404)
        status, body = route_harness.get_json(client, NAME, "card", {"tag": demo.TAG})
        self.assertEqual((status, body), (400, {"error": "missing query parameter 'run'"}))


if __name__ == "__main__":
    absltest.main()
