"""Tests of when the projector looks for embeddings in every run."""

import os
import time
from unittest import mock

from absl.testing import absltest

from tensorboard.plugins import base_plugin
from tensorboard.plugins.projector import projector_plugin

from greeter_tensorboard import projector_scan

RELOAD_INTERVAL_SECONDS = 1.0


class ProjectorScanTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        patch = mock.patch.object(projector_plugin.ProjectorPlugin, "is_active", projector_plugin.ProjectorPlugin.is_active)
        patch.start()
        self.addCleanup(patch.stop)
        self.enter_context(mock.patch.object(projector_scan, "DELAY_SECONDS", 0.3))
        logdir = self.create_tempdir().full_path
        # An embedding at the logdir's root: a TSV of vectors named by projector_config.pbtxt.
        with open(os.path.join(logdir, "vectors.tsv"), "w") as vectors:
            vectors.write("0.1\t0.2\n0.3\t0.4\n")
        with open(os.path.join(logdir, "projector_config.pbtxt"), "w") as config:
            config.write('embeddings { tensor_name: "points" tensor_path: "vectors.tsv" }\n')
        data_provider = mock.Mock()
        data_provider.list_runs.return_value = []
        self.plugin = projector_plugin.ProjectorPlugin(base_plugin.TBContext(logdir=logdir, data_provider=data_provider))
        self.looks = []
        update_configs = self.plugin._update_configs
        self.plugin._update_configs = lambda: (self.looks.append(time.monotonic()), update_configs())

    def wait_until_active(self):
        deadline = time.monotonic() + 10
        while not self.plugin._is_active:
            self.assertLess(time.monotonic(), deadline, "the projector never found its embedding")
            time.sleep(0.02)

    def test_a_look_starts_after_the_pages_first_requests_and_finds_the_embedding(self):
        projector_scan.install(RELOAD_INTERVAL_SECONDS)
        asked = time.monotonic()
        self.assertFalse(self.plugin.is_active())
        time.sleep(0.1)
        self.assertEqual(self.looks, [], "the look started while the page's first requests ran")
        self.wait_until_active()
        self.assertGreaterEqual(self.looks[0] - asked, 0.3)
        self.assertTrue(self.plugin.is_active())

    def test_pages_opened_within_a_reload_interval_share_one_look(self):
        projector_scan.install(RELOAD_INTERVAL_SECONDS)
        self.plugin._update_configs = lambda: self.looks.append(time.monotonic())  # Finds nothing.
        for _ in range(5):
            self.assertFalse(self.plugin.is_active())
            time.sleep(0.1)
        time.sleep(0.5)
        self.assertLen(self.looks, 1)
        time.sleep(RELOAD_INTERVAL_SECONDS)
        self.assertFalse(self.plugin.is_active())
        time.sleep(0.6)
        self.assertLen(self.looks, 2)

    def test_a_logdir_known_to_hold_no_projector_file_is_not_looked_at(self):
        projector_scan.install(RELOAD_INTERVAL_SECONDS, nothing_to_find=lambda logdir: logdir == self.plugin.logdir)
        self.assertFalse(self.plugin.is_active())
        time.sleep(0.6)
        self.assertEqual(self.looks, [])


if __name__ == "__main__":
    absltest.main()
