"""Tests the README's main command: serve_demo writes the mega demo and serves it in TensorBoard-X."""

import json
import os
import subprocess

from absl.testing import absltest

from greeter_plugin import greeter_demo
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
        self.assertCountEqual(os.listdir(logdir), mega_demo.RUNS + (greeter_demo.MARKER,))


    def test_refuses_logdir_spec_naming_the_problem(self):
        result = subprocess.run(
            [SERVE_DEMO, "--logdir_spec=a:" + self.create_tempdir().full_path], capture_output=True, text=True
        )
        self.assertEqual(result.returncode, 1)
        self.assertIn("give --logdir=DIR, not --logdir_spec", result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_refuses_a_logdir_it_did_not_write_and_keeps_the_users_runs(self):
        logdir = self.create_tempdir().full_path
        users_file = self.create_tempfile(
            os.path.join(logdir, mega_demo.SAMPLES_RUN, "events.out.tfevents.mine"), "mine"
        )
        result = subprocess.run([SERVE_DEMO, "--logdir=" + logdir], capture_output=True, text=True)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(
            result.stderr.strip().splitlines()[-1:],
            ["serve_demo: %s holds files the demo did not write; give a new or empty directory, or "
             "--overwrite to replace the runs named as the demo's in it" % logdir],
        )
        self.assertNotIn("Traceback", result.stderr)
        self.assertEqual(users_file.read_text(), "mine")


if __name__ == "__main__":
    absltest.main()
