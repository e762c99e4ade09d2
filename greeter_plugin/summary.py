"""Writing greetings: "Hello, <guest>!" as string-tensor summaries of the greeter plugin.

Four ways to write the same summary value (tag, scalar string tensor, metadata). An empty display
name, the default, means that the dashboard shows the tag:

- `op`: a TF1-style graph op, for `tf.compat.v1` graphs and `FileWriter`s;
- `greeting`: the TF2 style, like `tf.summary.text`, writing to the default summary writer;
- `pb`: a `Summary` protobuf, built without TensorFlow;
- `add_greeting`: like the `add_text` of PyTorch's and tensorboardX's `SummaryWriter`, through one of
  those or TensorBoard's own `EventFileWriter` (what JAX users write with).

Importing this module imports none of TensorFlow, PyTorch or tensorboardX; `op` and `greeting`
import TensorFlow when called, and `add_greeting` uses the modules its writer came from.
"""

from tensorboard.compat.proto import summary_pb2
from tensorboard.compat.proto import tensor_pb2
from tensorboard.compat.proto import tensor_shape_pb2
from tensorboard.compat.proto import types_pb2

from greeter_plugin import metadata
from plugin_kit import summary_writers


def greeting_text(guest):
    """Returns the greeting for `guest`, a `str`: "Hello, <guest>!".

    Raises:
      TypeError: `guest` is not a `str`.
    """
    if not isinstance(guest, str):
        raise TypeError("guest must be a str, not %s" % type(guest).__name__)
    return "Hello, %s!" % guest


def op(name, guest, display_name=None, description=None, collections=None):
    """Creates a TF1-style summary op that greets `guest`.

    Args:
      name: The summary's name, and its tag (under any enclosing name scope).
      guest: Whom to greet: a `str` or a scalar string `Tensor`.
      display_name: The tag's name in the dashboard; defaults to the tag.
      description: A Markdown description of the tag; defaults to empty.
      collections: Graph collections to add the summary to; defaults to `[GraphKeys.SUMMARIES]`.

    Returns:
      A scalar string `Tensor` holding a serialized `Summary` protobuf.

    Raises:
      TypeError: `guest` is neither a `str` nor a string tensor.
      ValueError: `guest` is a string tensor whose shape is known and not scalar.
    """
    import tensorflow.compat.v1 as tf

    summary_metadata = metadata.create_summary_metadata(
        display_name=display_name, description=description
    )
    return tf.summary.tensor_summary(
        name=name,
        tensor=_greeting_tensor(tf, guest),
        summary_metadata=summary_metadata,
        collections=collections,
    )


def greeting(name, guest, step=None, description=None):
    """Writes a greeting for `guest` to the default `tf.summary` writer (TF2 style).

    Args:
      name: The summary's name, and its tag (under any enclosing name scope).
      guest: Whom to greet: a `str` or a scalar string `Tensor`.
      step: The step, an `int64`-castable value; defaults to `tf.summary.experimental.get_step()`.
      description: A Markdown description of the tag; defaults to empty.

    Returns:
      True on success, False when no default summary writer is set (as `tf.summary.text` does).

    Raises:
      TypeError: `guest` is neither a `str` nor a string tensor.
      ValueError: `guest` is a string tensor of another shape than scalar, or there is a default
        writer but neither `step` nor a default step.
    """
    import tensorflow as tf

    summary_metadata = metadata.create_summary_metadata(
        display_name=None, description=description
    )
    with tf.summary.experimental.summary_scope(name, "greeter_summary", values=[guest, step]) as (
        tag,
        _,
    ):
        return tf.summary.write(
            tag=tag, tensor=_greeting_tensor(tf, guest), step=step, metadata=summary_metadata
        )


def pb(tag, guest, display_name=None, description=None):
    """Returns a `Summary` protobuf that greets `guest`, built without TensorFlow.

    Args:
      tag: The summary's tag, a non-empty `str`.
      guest: Whom to greet, a `str`.
      display_name: The tag's name in the dashboard; defaults to the tag.
      description: A Markdown description of the tag; defaults to empty.

    Raises:
      TypeError: `tag` or `guest` is not a `str`.
      ValueError: `tag` is empty.
    """
    if not isinstance(tag, str):
        raise TypeError("tag must be a str, not %s" % type(tag).__name__)
    if not tag:
        raise ValueError("tag must not be empty")
    tensor = tensor_pb2.TensorProto(
        dtype=types_pb2.DT_STRING,
        tensor_shape=tensor_shape_pb2.TensorShapeProto(),
        string_val=[greeting_text(guest).encode("utf-8")],
    )
    summary_metadata = metadata.create_summary_metadata(
        display_name=display_name, description=description
    )
    summary = summary_pb2.Summary()
    summary.value.add(tag=tag, metadata=summary_metadata, tensor=tensor)
    return summary


def add_greeting(
    writer, tag, guest, global_step=None, walltime=None, display_name=None, description=None
):
    """Writes a greeting for `guest` with a PyTorch, tensorboardX or TensorBoard event writer.

    Called like the writers' own `add_text`, and defaults as it does:
    `add_greeting(writer, "guests", "Ada", global_step=3)`.

    Args:
      writer: A `torch.utils.tensorboard.SummaryWriter`, a `tensorboardX.SummaryWriter` (or a
        subclass of either), or TensorBoard's `EventFileWriter`.
      tag: The summary's tag, a non-empty `str`.
      guest: Whom to greet, a `str`.
      global_step: The step, an `int` (or anything `int()` takes). None: as the writer's `add_text`
        does, which writes no step (read back as 0).
      walltime: Seconds since the epoch, a `float`. None: as the writer's `add_text` does, which
        writes the time of the call.
      display_name: The tag's name in the dashboard; defaults to the tag.
      description: A Markdown description of the tag; defaults to empty.

    Raises:
      TypeError: `writer` is none of those writers; `tag` or `guest` is not a `str`.
      ValueError: `tag` is empty.
    """
    summary = pb(tag, guest, display_name=display_name, description=description)
    summary_writers.write_summary(
        writer, summary, global_step, walltime, "add_greeting",
        hint=" (for tf.summary writers use summary.greeting or summary.op)",
    )


def _greeting_tensor(tf, guest):
    """The greeting for `guest` as a scalar string tensor, refusing anything else with a clear error."""
    if isinstance(guest, str):
        # Joined in Python: one constant is cheaper to build and write than a join op.
        return tf.constant(greeting_text(guest), dtype=tf.string)
    if tf.is_tensor(guest) and guest.dtype == tf.string:
        if not guest.shape.is_compatible_with([]):
            raise ValueError("guest must be a scalar string tensor, not one of shape %s" % guest.shape)
        # A shape known only when run is checked then.
        return tf.strings.join(["Hello, ", tf.ensure_shape(guest, []), "!"])
    raise TypeError(
        "guest must be a str or a string tensor, not %s"
        % (("a %s tensor" % guest.dtype.name) if tf.is_tensor(guest) else type(guest).__name__)
    )
