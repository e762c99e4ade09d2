"""Tests that the demo's event files read back through TensorBoard's own loader as written."""

import collections
import os

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
        self.assertCountEqual(os.listdir(self.logdir), greeter_demo.RUNS)
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
        self.assertCountEqual(os.listdir(logdir), greeter_demo.RUNS + ("my_own_run",))
        for run in greeter_demo.RUNS:
            self.assertLen(os.listdir(os.path.join(logdir, run)), 1)
            self.assertEqual(
                {tag: [(s, t) for s, t, _, _ in g] for tag, g in read_run(os.path.join(logdir, run)).items()},
                written[run],
            )


if __name__ == "__main__":
    absltest.main()
