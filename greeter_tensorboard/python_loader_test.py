"""Tests of TensorBoard-X's fixes to TensorBoard's Python loader."""

import io
import os

from absl.testing import absltest

from tensorboard.backend.event_processing import plugin_event_accumulator
from tensorboard.compat.proto import event_pb2
from tensorboard.summary.writer import record_writer

from greeter_plugin import greeter_demo
from greeter_plugin import plugin_testing
from greeter_plugin import summary
from greeter_tensorboard import python_loader

TAG = "guests"


def python_loader_client(logdir, *flags):
    """A client of the Greeter over `logdir`, loaded by the Python loader."""
    tb_flags = plugin_testing.tensorboard_flags(logdir, *flags)
    return plugin_testing.greeter_client(tb_flags, plugin_testing.start_data_provider(tb_flags, "python"))


def served_texts(client, run):
    status, body = plugin_testing.get_json(client, "greetings", {"run": run, "tag": TAG})
    return [greeting["text"] for greeting in body] if status == 200 else None


def write_raw_events(path, events, replace):
    """Writes `events` as one event file, with `replace` applied to each serialised record.

    The records are framed with valid checksums, as a writer in a language that does not check UTF-8
    (C++) would have left them.
    """
    buffer = io.BytesIO()
    writer = record_writer.RecordWriter(buffer)
    for event in events:
        writer.write(event.SerializeToString().replace(*replace))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as events_file:
        events_file.write(buffer.getvalue())


class PythonLoaderTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        python_loader.install()
        python_loader.install()  # Twice, as a second TensorBoard in one process would.

    def test_the_mended_loader_still_serves_what_was_written(self):
        logdir = self.create_tempdir().full_path
        written = greeter_demo.write_demo(logdir)
        client = python_loader_client(logdir)
        for run in greeter_demo.HYPERPARAMETER_RUNS:
            served = client.get("/data/plugin/greeter/greetings?tag=arrivals&run=" + run).get_json()
            self.assertEqual([(g["step"], g["text"]) for g in served], written[run]["arrivals"])

    def test_keeps_a_copy_of_the_events_tensor(self):
        accumulator = plugin_event_accumulator.EventAccumulator(self.create_tempdir().full_path)
        event_tensor = summary.pb(TAG, "Ada").value[0].tensor
        accumulator._ProcessTensor(TAG, 1.0, 0, event_tensor)
        (kept,) = accumulator.Tensors(TAG)
        self.assertEqual(kept.tensor_proto, event_tensor)
        event_tensor.string_val[0] = b"changed later"
        self.assertEqual(kept.tensor_proto.string_val, [b"Hello, Ada!"])

    def test_an_event_with_strings_that_are_not_utf8_costs_that_event_only(self):
        # Python's protobuf refuses to parse an event whose display name is not UTF-8; unpatched,
        # TensorBoard's reload thread ends there and no run is loaded again.
        logdir = self.create_tempdir().full_path
        plugin_testing.write_greetings(os.path.join(logdir, "intact"), TAG, [(0, "Ada")])
        events = [
            event_pb2.Event(step=step, wall_time=1000.0, summary=summary.pb(TAG, guest, display_name="Na-me"))
            for step, guest in enumerate(["Ada", "Grace"])
        ]
        write_raw_events(os.path.join(logdir, "mojibake", "events.out.tfevents.1.x"), events, (b"Na-me", b"Na\xffme"))
        client = python_loader_client(logdir, "--reload_interval", "1")
        plugin_testing.wait_for(lambda: served_texts(client, "intact") == ["Hello, Ada!"], timeout_seconds=60)
        self.assertEqual(plugin_testing.get_json(client, "greetings", {"run": "mojibake", "tag": TAG})[0], 404)

        # The loader still picks up new greetings after it met the event.
        plugin_testing.write_greetings(os.path.join(logdir, "intact"), TAG, [(1, "Zoë")])
        plugin_testing.wait_for(
            lambda: served_texts(client, "intact") == ["Hello, Ada!", "Hello, Zoë!"], timeout_seconds=60
        )


if __name__ == "__main__":
    absltest.main()
