"""Writing a plugin's `Summary` with the event writers of PyTorch, tensorboardX and TensorBoard.

A plugin's `add_...` helper (the Greeter's `add_greeting`, a number plugin's `add_number`) builds its
`Summary` without TensorFlow and hands it to `write_summary`, which writes it as the writer's own
`add_text` would. Importing this module imports none of PyTorch, tensorboardX or TensorFlow.
"""

import importlib
import time

from tensorboard.compat.proto import event_pb2
from tensorboard.compat.proto import summary_pb2

# The writers that `write_summary` takes, by the (module, name) of the class that defines them, with the
# module of the `Summary` class their file writer's `add_summary` takes. Matched by name, not
# `isinstance`: checking that way would import PyTorch or tensorboardX (seconds, and gigabytes of
# requirements) for users of neither.
_SUMMARY_WRITERS = {
    ("torch.utils.tensorboard.writer", "SummaryWriter"): "tensorboard.compat.proto.summary_pb2",
    ("tensorboardX.writer", "SummaryWriter"): "tensorboardX.proto.summary_pb2",
}
_EVENT_FILE_WRITER = ("tensorboard.summary.writer.event_file_writer", "EventFileWriter")

_ACCEPTED_WRITERS = (
    "a torch.utils.tensorboard.SummaryWriter, a tensorboardX.SummaryWriter or TensorBoard's "
    "tensorboard.summary.writer.event_file_writer.EventFileWriter"
)


def write_summary(writer, summary, global_step=None, walltime=None, helper_name="write_summary", hint=""):
    """Writes the `Summary` proto `summary` with a PyTorch, tensorboardX or TensorBoard event writer.

    Args:
      writer: A `torch.utils.tensorboard.SummaryWriter`, a `tensorboardX.SummaryWriter` (or a
        subclass of either), or TensorBoard's `EventFileWriter`.
      summary: A `tensorboard.compat.proto.summary_pb2.Summary`.
      global_step: The step, an `int` (or anything `int()` takes). None: as the writer's `add_text`
        does, which writes no step (read back as 0).
      walltime: Seconds since the epoch, a `float`. None: as the writer's `add_text` does, which
        writes the time of the call.
      helper_name: The public function that called this one, named in its errors.
      hint: Said after the error, e.g. which of the plugin's functions a tf.summary writer takes.

    Raises:
      TypeError: `writer` is none of those writers.
    """
    writer_class = _writer_class(writer, helper_name, hint)
    if writer_class == _EVENT_FILE_WRITER:
        # As PyTorch's FileWriter.add_event does, which wraps this same writer.
        event = event_pb2.Event(wall_time=time.time() if walltime is None else walltime, summary=summary)
        if global_step is not None:
            event.step = int(global_step)
        writer.add_event(event)
        return
    # Already imported with the writer; tensorboardX compiles protos of its own, which take ours
    # only as bytes.
    writer_summary_class = importlib.import_module(_SUMMARY_WRITERS[writer_class]).Summary
    if writer_summary_class is not summary_pb2.Summary:
        summary = writer_summary_class.FromString(summary.SerializeToString())
    writer._get_file_writer().add_summary(summary, global_step, walltime)


def _writer_class(writer, helper_name, hint):
    """The (module, name) of the class in `writer`'s MRO that `write_summary` knows how to write to."""
    for cls in type(writer).__mro__:
        key = (cls.__module__, cls.__qualname__)
        if key in _SUMMARY_WRITERS or key == _EVENT_FILE_WRITER:
            return key
    raise TypeError(
        "%s writes with %s, not %s.%s%s"
        % (helper_name, _ACCEPTED_WRITERS, type(writer).__module__, type(writer).__qualname__, hint)
    )
