"""Tests that the mega demo's logdir gives every dashboard of TensorBoard-X data to show."""

import json
import os
import urllib.parse

from absl.testing import absltest
from werkzeug import test as werkzeug_test

from tensorboard.backend import application

from greeter_plugin import greeter_demo
from greeter_plugin import plugin_testing
from greeter_tensorboard import main
from greeter_tensorboard import mega_demo

# The dashboards the mega demo fills: a tab a user finds empty without it.
DASHBOARDS = ("greeter", "scalars", "histograms", "distributions", "images", "text", "hparams", "timeseries")


class MegaDemoTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.logdir = os.path.join(absltest.get_default_test_tmpdir(), "mega_demo")
        cls.runs = mega_demo.write_mega_demo(cls.logdir)
        flags = plugin_testing.tensorboard_flags(cls.logdir)
        data_provider = plugin_testing.start_data_provider(flags, "python")
        app = application.TensorBoardWSGIApp(flags, main.plugins(), data_provider, main.assets_zip)
        cls.client = werkzeug_test.Client(app)

    def get_json(self, path, **kwargs):
        response = self.client.open(path, **kwargs)
        self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
        return json.loads(response.get_data())

    def test_every_dashboard_is_enabled(self):
        listing = self.get_json("/data/plugins_listing")
        self.assertEqual({name: listing[name]["enabled"] for name in DASHBOARDS}, dict.fromkeys(DASHBOARDS, True))

    def test_writes_its_runs_beside_the_greeter_demos(self):
        self.assertCountEqual(os.listdir(self.logdir), self.runs + (greeter_demo.MARKER,))
        self.assertIn(mega_demo.SAMPLES_RUN, self.runs)

    def test_training_runs_have_a_loss_curve_each(self):
        for run in mega_demo.TRAINING_RUNS:
            query = urllib.parse.urlencode({"run": run, "tag": "loss"})
            with self.subTest(run=run):
                scalars = self.get_json("/data/plugin/scalars/scalars?" + query)
                self.assertEqual([step for _, step, _ in scalars], list(range(mega_demo.STEPS)))

    def test_hparams_relates_learning_rate_and_batch_to_the_metrics(self):
        experiment = self.get_json(
            "/data/plugin/hparams/experiment",
            method="POST",
            data=json.dumps({"experimentName": ""}),
            content_type="application/json",
        )
        self.assertCountEqual([h["name"] for h in experiment["hparamInfos"]], ["lr", "batch"])
        metric_tags = {m["name"]["tag"] for m in experiment["metricInfos"]}
        self.assertTrue({"loss", "accuracy"} <= metric_tags, metric_tags)

    def test_images_and_text_have_every_step(self):
        run = mega_demo.SAMPLES_RUN
        images = self.get_json("/data/plugin/images/images?" + urllib.parse.urlencode({"run": run, "tag": "gradient"}))
        texts = self.get_json("/data/plugin/text/text?" + urllib.parse.urlencode({"run": run, "tag": "notes"}))
        self.assertEqual([image["step"] for image in images], list(range(mega_demo.IMAGE_STEPS)))
        self.assertEqual([text["step"] for text in texts], list(range(mega_demo.IMAGE_STEPS)))
        self.assertIn("<table>", texts[0]["text"])

    def test_running_again_replaces_its_runs_and_keeps_other_runs(self):
        logdir = self.create_tempdir().full_path
        mega_demo.write_mega_demo(logdir)
        os.mkdir(os.path.join(logdir, "my_own_run"))
        self.assertEqual(mega_demo.write_mega_demo(logdir), self.runs)
        self.assertCountEqual(os.listdir(logdir), self.runs + ("my_own_run", greeter_demo.MARKER))
        self.assertLen(os.listdir(os.path.join(logdir, mega_demo.SAMPLES_RUN)), 1)

    def test_refuses_a_directory_it_did_not_write_and_keeps_the_users_runs(self):
        logdir = self.create_tempdir().full_path
        users_file = self.create_tempfile(
            os.path.join(logdir, mega_demo.SAMPLES_RUN, "events.out.tfevents.mine"), "mine"
        )
        with self.assertRaisesRegex(greeter_demo.LogdirNotOursError, "holds files the demo did not write"):
            mega_demo.write_mega_demo(logdir)
        self.assertEqual(users_file.read_text(), "mine")
        self.assertEqual(os.listdir(logdir), [mega_demo.SAMPLES_RUN])

if __name__ == "__main__":
    absltest.main()
