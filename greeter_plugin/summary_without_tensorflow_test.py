"""Tests that `greeter_plugin.summary` imports, and `pb` and `add_greeting` work, where TensorFlow cannot be
imported: as for PyTorch and JAX users who write with tensorboardX or TensorBoard's own event writer."""

import os
import sys
import time

from greeter_plugin import without_tensorflow

without_tensorflow.refuse()

from absl.testing import absltest  # noqa: E402 (TensorFlow must be refused first)

from greeter_plugin import summary  # noqa: E402

# What importing the summary API loaded of the writers' frameworks, before any test imports one.
FRAMEWORKS_LOADED_BY_IMPORT = sorted(
    {name.split(".")[0] for name in sys.modules} & {"tensorflow", "torch", "tensorboardX"}
)

import tensorboardX  # noqa: E402

from tensorboard.backend.event_processing import event_file_loader  # noqa: E402
from tensorboard.summary.writer import event_file_writer  # noqa: E402

GUESTS = ("Ada", "Zoë", "李雷", "🦊", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "", "x" * 10000)


def read_events(run_dir):
    """[(step, wall_time, value)] of the summary values in `run_dir`'s event files, as TensorBoard reads them."""
    return [
        (event.step, event.wall_time, value)
        for name in sorted(os.listdir(run_dir))
        for event in event_file_loader.EventFileLoader(os.path.join(run_dir, name)).Load()
        for value in event.summary.value
    ]


class WithoutTensorFlowTest(absltest.TestCase):
    def test_tensorflow_cannot_be_imported_here(self):
        with self.assertRaises(ModuleNotFoundError):
            import tensorflow  # noqa: F401

    def test_importing_the_summary_api_loaded_no_tensorflow_torch_or_tensorboardx(self):
        self.assertEqual(FRAMEWORKS_LOADED_BY_IMPORT, [])

    def test_pb_writes_a_greeting(self):
        (value,) = summary.pb("guests", "Zoë", description="*Who* came").value
        self.assertEqual(value.tag, "guests")
        self.assertEqual(value.tensor.string_val, ["Hello, Zoë!".encode("utf-8")])
        self.assertEqual(value.metadata.plugin_data.plugin_name, "greeter")
        self.assertEqual(value.metadata.summary_description, "*Who* came")

    def test_the_tensorflow_apis_say_what_is_missing(self):
        with self.assertRaisesRegex(ModuleNotFoundError, "tensorflow"):
            summary.greeting("guests", "Ada", step=0)


class AddGreetingTest(absltest.TestCase):
    """`add_greeting` with the real tensorboardX and TensorBoard writers; PyTorch's is not installed here."""

    def writers(self):
        """{name: (writer, its run directory)} of a new tensorboardX and EventFileWriter each."""
        logdir = self.create_tempdir().full_path
        tensorboardx_dir = os.path.join(logdir, "tensorboardx")
        event_file_dir = os.path.join(logdir, "event_file_writer")
        return {
            "tensorboardX": (tensorboardX.SummaryWriter(tensorboardx_dir), tensorboardx_dir),
            "EventFileWriter": (event_file_writer.EventFileWriter(event_file_dir), event_file_dir),
        }

    def test_writes_what_pb_builds_at_the_given_step_and_time(self):
        for name, (writer, run_dir) in self.writers().items():
            with self.subTest(writer=name):
                for step, guest in enumerate(GUESTS):
                    summary.add_greeting(
                        writer, "guests", guest, global_step=step, walltime=1.7e9 + step,
                        display_name="Guests", description="Who *came*.",
                    )
                writer.close()
                expected = [
                    (step, 1.7e9 + step, summary.pb("guests", guest, "Guests", "Who *came*.").value[0])
                    for step, guest in enumerate(GUESTS)
                ]
                # The whole value: tensorboardX's protos lack `data_class`, which must survive them.
                self.assertEqual(read_events(run_dir), expected)

    def test_defaults_to_no_step_and_the_time_of_the_call_as_add_text_does(self):
        writer, run_dir = self.writers()["tensorboardX"]
        before = time.time()
        writer.add_text("text", "Ada")
        summary.add_greeting(writer, "guests", "Ada")
        after = time.time()
        writer.close()
        (text_step, text_time, _), (step, wall_time, _) = read_events(run_dir)
        self.assertEqual((step, text_step), (0, 0))
        self.assertTrue(before <= text_time <= wall_time <= after, (before, text_time, wall_time, after))

    def test_event_file_writer_defaults_to_no_step_and_the_time_of_the_call(self):
        writer, run_dir = self.writers()["EventFileWriter"]
        before = time.time()
        summary.add_greeting(writer, "guests", "Ada")
        after = time.time()
        writer.close()
        ((step, wall_time, _),) = read_events(run_dir)
        self.assertEqual(step, 0)
        self.assertTrue(before <= wall_time <= after, (before, wall_time, after))

    def test_takes_a_subclass_of_a_writer(self):
        class MyWriter(tensorboardX.SummaryWriter):
            pass

        run_dir = self.create_tempdir().full_path
        writer = MyWriter(run_dir)
        summary.add_greeting(writer, "guests", "Ada", global_step=2)
        writer.close()
        self.assertEqual([(step, value.tag) for step, _, value in read_events(run_dir)], [(2, "guests")])

    def test_refuses_other_writers_naming_those_it_takes(self):
        file_writer = tensorboardX.FileWriter(self.create_tempdir().full_path)
        self.addCleanup(file_writer.close)
        for writer in (None, "/tmp/logs", object(), file_writer):
            with self.subTest(writer=type(writer).__name__):
                with self.assertRaisesRegex(
                    TypeError,
                    r"add_greeting writes with a torch\.utils\.tensorboard\.SummaryWriter, a tensorboardX\.SummaryWriter "
                    r"or TensorBoard's tensorboard\.summary\.writer\.event_file_writer\.EventFileWriter, not "
                    + type(writer).__module__ + r"\." + type(writer).__qualname__,
                ):
                    summary.add_greeting(writer, "guests", "Ada")

    def test_refuses_bad_input_as_pb_does_and_writes_nothing(self):
        writer, run_dir = self.writers()["EventFileWriter"]
        with self.assertRaisesRegex(TypeError, "guest must be a str"):
            summary.add_greeting(writer, "guests", b"Ada")
        with self.assertRaisesRegex(ValueError, "tag must not be empty"):
            summary.add_greeting(writer, "", "Ada")
        writer.close()
        self.assertEqual(read_events(run_dir), [])


if __name__ == "__main__":
    absltest.main()
