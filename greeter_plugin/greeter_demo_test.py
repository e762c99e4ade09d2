"""Tests that the demo's event files read back through TensorBoard's own loader as written."""

import collections
import os
import subprocess
import sys

from absl.testing import absltest

from tensorboard.backend.event_processing import event_file_loader
from tensorboard.compat.proto import summary_pb2

from greeter_plugin import greeter_demo
from greeter_plugin import metadata


def read_run(run_dir):
    """{tag: [(step, text, has_metadata)]} of the greeter values in every event file of `run_dir`."""
    greetings = collections.defaultdict(list)
    for name in sorted(os.listdir(run_dir)):
        for event in event_file_loader.EventFileLoader(os.path.join(run_dir, name)).Load():
            for value in event.summary.value:
                has_metadata = value.metadata.plugin_data.plugin_name == metadata.PLUGIN_NAME
                text = value.tensor.string_val[0].decode("utf-8")
                greetings[value.tag].append((event.step, text, has_metadata, value.metadata))
    return greetings


class GreeterDemoTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.logdir = absltest.get_default_test_tmpdir() + "/demo"
        cls.written = greeter_demo.write_demo(cls.logdir)

    def test_writes_every_run(self):
        self.assertCountEqual(os.listdir(self.logdir), greeter_demo.RUNS + (greeter_demo.MARKER,))
        self.assertCountEqual(self.written, greeter_demo.RUNS)

    def test_event_files_hold_what_was_written(self):
        for run, tags in self.written.items():
            with self.subTest(run=run):
                read = read_run(os.path.join(self.logdir, run))
                self.assertCountEqual(read, tags)
                for tag, greetings in tags.items():
                    self.assertEqual([(step, text) for step, text, _, _ in read[tag]], greetings)

    def test_metadata_is_on_the_first_event_of_each_tag(self):
        for run in self.written:
            for tag, greetings in read_run(os.path.join(self.logdir, run)).items():
                with self.subTest(run=run, tag=tag):
                    _, _, has_metadata, first_metadata = greetings[0]
                    self.assertTrue(has_metadata)
                    self.assertEqual(first_metadata.data_class, summary_pb2.DATA_CLASS_TENSOR)

    def test_exercises_unicode_hostile_and_long_guests(self):
        texts = {text for tags in self.written.values() for g in tags.values() for _, text in g}
        self.assertIn("Hello, 李雷!", texts)
        self.assertIn("Hello, <script>window.__greeter_xss = 1</script>!", texts)
        self.assertGreater(max(len(text) for text in texts), 1000)
        self.assertIn(greeter_demo.HOSTILE_RUN, self.written)
        self.assertIn("<script>window.__greeter_xss = 1</script>", self.written[greeter_demo.HOSTILE_RUN])

    def test_running_again_replaces_its_runs_and_keeps_other_files(self):
        logdir = self.create_tempdir().full_path
        greeter_demo.write_demo(logdir)
        os.mkdir(os.path.join(logdir, "my_own_run"))
        written = greeter_demo.write_demo(logdir)
        self.assertCountEqual(os.listdir(logdir), greeter_demo.RUNS + ("my_own_run", greeter_demo.MARKER))
        for run in greeter_demo.RUNS:
            self.assertLen(os.listdir(os.path.join(logdir, run)), 1)
            self.assertEqual(
                {tag: [(s, t) for s, t, _, _ in g] for tag, g in read_run(os.path.join(logdir, run)).items()},
                written[run],
            )


def write_users_run(logdir):
    """Writes a file of the user's into a run named as one of the demo's; returns its path and bytes."""
    path = os.path.join(logdir, greeter_demo.HYPERPARAMETER_RUNS[0], "events.out.tfevents.users_own")
    os.makedirs(os.path.dirname(path))
    content = b"the user's own training logs"
    with open(path, "wb") as users_file:
        users_file.write(content)
    return path, content


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


class UsersLogdirTest(absltest.TestCase):
    def test_refuses_a_directory_it_did_not_write_and_keeps_the_users_files(self):
        logdir = self.create_tempdir().full_path
        path, content = write_users_run(logdir)
        with self.assertRaisesRegex(greeter_demo.LogdirNotOursError, "holds files the demo did not write"):
            greeter_demo.write_demo(logdir)
        self.assertEqual(read_bytes(path), content)
        self.assertCountEqual(os.listdir(logdir), [greeter_demo.HYPERPARAMETER_RUNS[0]])

    def test_the_command_says_what_is_wrong_in_one_line(self):
        logdir = self.create_tempdir().full_path
        path, content = write_users_run(logdir)
        # The demo's command, run as a module on this test's path: as `bazel run` would, wherever it is.
        result = subprocess.run(
            [sys.executable, "-m", greeter_demo.__name__, "--logdir=" + logdir],
            capture_output=True,
            text=True,
            env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)),
        )
        self.assertEqual(result.returncode, 1)
        self.assertEqual(
            result.stderr.strip().splitlines(),
            ["greeter_demo: %s holds files the demo did not write; give a new or empty directory, or "
             "--overwrite to replace the runs named as the demo's in it" % logdir],
        )
        self.assertEqual(read_bytes(path), content)

    def test_overwrite_writes_there_anyway(self):
        logdir = self.create_tempdir().full_path
        path, _ = write_users_run(logdir)
        greeter_demo.write_demo(logdir, overwrite=True)
        self.assertFalse(os.path.exists(path))
        self.assertIn(greeter_demo.MARKER, os.listdir(logdir))

    def test_refuses_a_file(self):
        path = self.create_tempfile().full_path
        with self.assertRaisesRegex(greeter_demo.LogdirNotOursError, "is not a directory"):
            greeter_demo.write_demo(path, overwrite=True)


if __name__ == "__main__":
    absltest.main()
