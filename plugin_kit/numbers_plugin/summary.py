"""Writing the numbers plugin's summaries: one number a step, a scalar float64 tensor, without TensorFlow.

- `pb`: a `Summary` protobuf, for any event writer;
- `add_number`: like the `add_scalar` of PyTorch's and tensorboardX's `SummaryWriter`, through one of
  those or TensorBoard's own `EventFileWriter`.
"""

from tensorboard.compat.proto import summary_pb2
from tensorboard.compat.proto import tensor_pb2
from tensorboard.compat.proto import tensor_shape_pb2
from tensorboard.compat.proto import types_pb2

from plugin_kit import summary_writers
from plugin_kit.numbers_plugin import metadata


def pb(tag, value, display_name=None, description=None):
    """Returns a `Summary` protobuf that holds `value`, built without TensorFlow.

    Args:
      tag: The summary's tag, a non-empty `str`.
      value: A real number (`int`, `float`, a NumPy scalar), finite or not.
      display_name: The tag's name in the dashboard; defaults to the tag.
      description: A Markdown description of the tag; defaults to empty.

    Raises:
      TypeError: `tag` is not a `str`, or `value` is not a real number.
      ValueError: `tag` is empty.
    """
    if not isinstance(tag, str):
        raise TypeError("tag must be a str, not %s" % type(tag).__name__)
    if not tag:
        raise ValueError("tag must not be empty")
    # Anything `float()` takes as a number: Python's, NumPy's and PyTorch's scalars, not text.
    if isinstance(value, (str, bytes, bool)) or not hasattr(value, "__float__"):
        raise TypeError("value must be a real number, not %s" % type(value).__name__)
    tensor = tensor_pb2.TensorProto(
        dtype=types_pb2.DT_DOUBLE, tensor_shape=tensor_shape_pb2.TensorShapeProto(), double_val=[float(value)]
    )
    summary = summary_pb2.Summary()
    summary.value.add(tag=tag, metadata=metadata.create_summary_metadata(display_name, description), tensor=tensor)
    return summary


def add_number(writer, tag, value, global_step=None, walltime=None, display_name=None, description=None):
    """Writes `value` with a PyTorch, tensorboardX or TensorBoard event writer, as their `add_scalar` does.

    `add_number(writer, "loss", 0.25, global_step=3)`. The arguments are `pb`'s, and the writer's
    (`summary_writers.write_summary`).
    """
    summary_writers.write_summary(writer, pb(tag, value, display_name, description), global_step, walltime, "add_number")

