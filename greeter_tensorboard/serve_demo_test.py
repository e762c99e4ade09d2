"""Tests the README's main command: serve_demo writes the mega demo and serves it in TensorBoard-X."""

import json
import os
import subprocess

from absl.testing import absltest

from greeter_tensorboard import mega_demo
from greeter_tensorboard import server_testing

# A runfiles path relative to the test's working directory, from the BUILD's $(rootpath).
SERVE_DEMO = os.path.abspath(os.environ["SERVE_DEMO"])
DASHBOARDS_WITH_DATA = ("greeter", "scalars", "histograms", "images", "text", "hparams")


class ServeDemoTest(absltest.TestCase):
    def test_serves_the_mega_demo_in_every_dashboard(self):
        logdir = self.create_tempdir().full_path

        with server_testing.serve(logdir, binary=SERVE_DEMO) as url:

            def enabled_dashboards():
                _, _, body = server_testing.get(url + "data/plugins_listing")
                listing = json.loads(body)
                return all(listing[name]["enabled"] for name in DASHBOARDS_WITH_DATA) and listing

            listing = server_testing.wait_for(enabled_dashboards)
            _, _, page = server_testing.get(url)
            _, _, runs = server_testing.get(url + "data/runs")
        self.assertEqual(listing["greeter"]["tab_name"], "Greeter")
        self.assertIn(b"<title>TensorBoard-X</title>", page)
        self.assertCountEqual(json.loads(runs), mega_demo.RUNS)
        self.assertCountEqual(os.listdir(logdir), mega_demo.RUNS)


    def test_refuses_logdir_spec_naming_the_problem(self):
        result = subprocess.run(
            [SERVE_DEMO, "--logdir_spec=a:" + self.create_tempdir().full_path], capture_output=True, text=True
        )
        self.assertEqual(result.returncode, 1)
        self.assertIn("give --logdir=DIR, not --logdir_spec", result.stderr)
        self.assertNotIn("Traceback", result.stderr)


if __name__ == "__main__":
    absltest.main()
