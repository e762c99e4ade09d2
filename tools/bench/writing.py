"""Case 5: greetings written per second, against TensorBoard's text summary written the same ways."""

import os
import time

from tensorboard.compat.proto import event_pb2
from tensorboard.plugins.text import summary_v2 as text_summary
from tensorboard.summary.writer import event_file_writer

from greeter_plugin import summary


def _pb_rate(logdir, make_summary, count):
    writer = event_file_writer.EventFileWriter(logdir)
    started = time.perf_counter()
    for step in range(count):
        writer.add_event(event_pb2.Event(step=step, summary=make_summary(step)))
    writer.close()
    return count / (time.perf_counter() - started)


def _tf2_rate(logdir, write, count):
    import tensorflow as tf

    writer = tf.summary.create_file_writer(logdir)
    with writer.as_default():
        write(0)  # The first call traces and builds; a user pays it once.
        started = time.perf_counter()
        for step in range(1, count + 1):
            write(step)
        writer.flush()
        elapsed = time.perf_counter() - started
    writer.close()
    return count / elapsed


def pb_rates(logdir, count):
    """(greeter, text) summaries per second through `pb` and TensorBoard's event writer."""
    greeter = _pb_rate(os.path.join(logdir, "pb_greeter"), lambda step: summary.pb("g", "guest %d" % step), count)
    text = _pb_rate(
        os.path.join(logdir, "pb_text"),
        lambda step: text_summary.text_pb("t", summary.greeting_text("guest %d" % step)),
        count,
    )
    return greeter, text


def tf2_rates(logdir, count):
    """(greeter, text) summaries per second through the TF2 API."""
    import tensorflow as tf

    greeter = _tf2_rate(
        os.path.join(logdir, "tf2_greeter"),
        lambda step: summary.greeting("g", "guest %d" % step, step=step),
        count,
    )
    text = _tf2_rate(
        os.path.join(logdir, "tf2_text"),
        lambda step: tf.summary.text("t", summary.greeting_text("guest %d" % step), step=step),
        count,
    )
    return greeter, text
