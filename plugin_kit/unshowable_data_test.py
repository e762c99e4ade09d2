"""A datum that a plugin's `row_of` refuses is skipped with one warning a tag, under both loaders.

The numbers plugin is the plugin: a string under one of its tags, as any writer could put there, must
not make every answer of the tag a 500.
"""

import json
import os
import tempfile

from absl.testing import absltest
from absl.testing import parameterized

from tensorboard.compat.proto import tensor_pb2
from tensorboard.compat.proto import types_pb2

from plugin_kit.numbers_plugin import plugin
from plugin_kit.numbers_plugin import summary
from plugin_kit.testing import route_harness

NAME = plugin.NumbersPlugin.plugin_name
RUN = "run"
TAG = "loss"


class UnshowableDataTest(parameterized.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Numbers at steps 0, 2 and 4 (a NaN), text at steps 1 and 3.
        cls.logdir = tempfile.mkdtemp(dir=absltest.get_default_test_tmpdir())
        summaries = []
        for step in range(5):
            proto = summary.pb(TAG, float("nan") if step == 4 else step / 2)
            if step % 2:
                proto.value[0].tensor.CopyFrom(
                    tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, string_val=[b"oops %d" % step])
                )
            summaries.append((step, proto))
        route_harness.write_summaries(os.path.join(cls.logdir, RUN), summaries)

    @parameterized.parameters(*route_harness.LOADERS)
    def test_skips_values_that_are_no_number_with_one_warning(self, loader):
        flags = route_harness.tensorboard_flags(self.logdir, loaders=[plugin.NumbersLoader()])
        data_provider = route_harness.start_data_provider(flags, loader)
        route_harness.wait_for_data(data_provider, NAME, 5)
        client = route_harness.plugin_client(plugin.NumbersPlugin, flags, data_provider)
        query = {"run": RUN, "tag": TAG}
        with self.assertLogs(plugin.__name__, "WARNING") as logs:
            (card_status, by_run), (rows_status, rows) = (route_harness.get_json(client, NAME, path, query) for path in ("card", "rows"))
            download = client.get("/data/plugin/%s/download" % NAME, query_string={**query, "format": "json"})
        self.assertEqual((card_status, rows_status), (200, 200))
        card = by_run[RUN]
        self.assertEqual(card["total"], 3)
        self.assertEqual([row["step"] for row in card["rows"]], [0, 2, 4])
        self.assertEqual(rows, card["rows"])
        self.assertEqual(len(logs.records), 1, logs.output)
        self.assertIn("step 1", logs.output[0])
        # A NaN downloads as the string "NaN": the file is JSON that any strict parser reads.
        self.assertEqual(download.status_code, 200)
        downloaded = json.loads(download.get_data(as_text=True), parse_constant=self.fail)
        self.assertEqual([row["value"] for row in downloaded], [0.0, 1.0, "NaN"])


if __name__ == "__main__":
    absltest.main()
