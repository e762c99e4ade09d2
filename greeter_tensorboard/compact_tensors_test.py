"""Tests that the Python loader, keeping copies of tensors, still serves every greeting."""

from absl.testing import absltest

from tensorboard.backend.event_processing import plugin_event_accumulator

from greeter_plugin import greeter_demo
from greeter_plugin import plugin_testing
from greeter_plugin import summary
from greeter_tensorboard import compact_tensors


class KeepTensorCopiesTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        compact_tensors.keep_tensor_copies()

    def test_the_python_loader_serves_what_was_written(self):
        logdir = self.create_tempdir().full_path
        written = greeter_demo.write_demo(logdir)
        flags = plugin_testing.tensorboard_flags(logdir, "--load_fast=false")
        client = plugin_testing.greeter_client(flags, plugin_testing.start_data_provider(flags, "python"))
        for run in greeter_demo.HYPERPARAMETER_RUNS:
            served = client.get("/data/plugin/greeter/greetings?tag=arrivals&run=" + run).get_json()
            self.assertEqual([(g["step"], g["text"]) for g in served], written[run]["arrivals"])

    def test_keeps_a_copy_of_the_events_tensor(self):
        compact_tensors.keep_tensor_copies()  # Twice, as a second TensorBoard in one process would.
        accumulator = plugin_event_accumulator.EventAccumulator(self.create_tempdir().full_path)
        event_tensor = summary.pb("guests", "Ada").value[0].tensor
        accumulator._ProcessTensor("guests", 1.0, 0, event_tensor)
        (kept,) = accumulator.Tensors("guests")
        self.assertEqual(kept.tensor_proto, event_tensor)
        event_tensor.string_val[0] = b"changed later"
        self.assertEqual(kept.tensor_proto.string_val, [b"Hello, Ada!"])


if __name__ == "__main__":
    absltest.main()
