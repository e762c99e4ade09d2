"""Writes a logdir that exercises every feature of the Greeter plugin.

    bazel run //greeter_plugin:greeter_demo [-- --logdir DIR]

Runs named like hyperparameter sets are written with the TF2 API (`summary.greeting`), one run with
the TF1 graph op (`summary.op`) and one with `summary.pb` and no TensorFlow at all. A last run holds
hostile guests, tag names, display names and descriptions, so that the dashboard's escaping is
exercised. Running the demo again replaces its own runs and leaves anything else in DIR alone.

It writes only into a new or empty directory, or one it wrote before (it leaves a MARKER file there):
in any other, runs of the user's could bear its runs' names. `--overwrite` writes there anyway.
"""

import os
import shutil
import sys

from absl import app
from absl import flags

from greeter_plugin import summary

STEPS = 40

GUESTS = (
    "Ada",
    "Grace",
    "Alan",
    "Zoë",
    "Łukasz",
    "李雷",
    "Nguyễn Văn An",
    "محمد",
    "Ἀριστοτέλης",
    "🦊 the fox",
)

# Text that must reach the page as text: markup, script, event handlers, links and sheer length.
HOSTILE_TEXTS = (
    "<script>window.__greeter_xss = 1</script>",
    '<img src=x onerror="window.__greeter_xss = 1">',
    "javascript:window.__greeter_xss=1",
    '"><svg onload="window.__greeter_xss = 1">',
    "{{constructor.constructor('window.__greeter_xss = 1')()}}",
    "Mr. " + "Very" * 500 + " Long",
)

HYPERPARAMETER_RUNS = ("lr=0.1,batch=32", "lr=0.01,batch=32", "lr=0.01,batch=128")
TF1_RUN = "tf1_graph_op"
PB_RUN = "pb_without_tensorflow"
HOSTILE_RUN = '<img src=x onerror="window.__greeter_xss = 1">'
RUNS = HYPERPARAMETER_RUNS + (TF1_RUN, PB_RUN, HOSTILE_RUN)

ARRIVALS_DESCRIPTION = """Guests greeted as they **arrive**, one per step.

Written with `greeter_plugin.summary.greeting`; see [the Greeter](https://example.com/greeter)."""

HOSTILE_DESCRIPTION = """Markdown with *emphasis*, and HTML that must be sanitised:
<script>window.__greeter_xss = 1</script> <img src=x onerror="window.__greeter_xss = 1">
[a javascript: link](javascript:window.__greeter_xss=1)"""


# The file the demo leaves in a logdir it writes: there, running it again may replace its runs.
MARKER = ".greeter_demo"


class LogdirNotOursError(Exception):
    """The logdir holds files the demo did not write, and overwriting them was not asked for."""


def claim_logdir(logdir, overwrite=False):
    """Makes sure the demo may write its runs into `logdir`, and marks it as the demo's.

    Args:
      logdir: The directory to write into. It may be missing, empty, or marked by an earlier demo.
      overwrite: Whether to write into any other directory too, replacing runs named as the demo's.

    Raises:
      LogdirNotOursError: `logdir` is not a directory, or holds files the demo did not write and
        `overwrite` is False.
    """
    if os.path.exists(logdir) and not os.path.isdir(logdir):
        raise LogdirNotOursError("%s is not a directory" % logdir)
    marker = os.path.join(logdir, MARKER)
    if not overwrite and os.path.isdir(logdir) and os.listdir(logdir) and not os.path.exists(marker):
        raise LogdirNotOursError(
            "%s holds files the demo did not write; give a new or empty directory, or --overwrite "
            "to replace the runs named as the demo's in it" % logdir
        )
    os.makedirs(logdir, exist_ok=True)
    with open(marker, "w", encoding="utf-8") as marker_file:
        marker_file.write("Written by TensorBoard-X's demo, which replaces its own runs here when run again.\n")


def guest_at(step, guests=GUESTS):
    """The guest greeted at `step`, cycling through `guests`."""
    return guests[step % len(guests)]


def write_hyperparameter_run(run_dir, run_index):
    """Writes two tags with the TF2 API; returns {tag: [(step, text), ...]}."""
    import tensorflow as tf

    written = {"arrivals": [], "departures": []}
    writer = tf.summary.create_file_writer(run_dir)
    with writer.as_default():
        for step in range(STEPS):
            arriving = guest_at(step + run_index)
            summary.greeting("arrivals", arriving, step=step, description=ARRIVALS_DESCRIPTION)
            written["arrivals"].append((step, summary.greeting_text(arriving)))
            if step % 4 == 0:
                leaving = guest_at(step + 3)
                summary.greeting("departures", tf.constant(leaving), step=step)
                written["departures"].append((step, summary.greeting_text(leaving)))
    writer.close()
    return written


def write_tf1_run(run_dir):
    """Writes one tag with the TF1 graph op and a `FileWriter`; returns {tag: [(step, text), ...]}."""
    import tensorflow.compat.v1 as tf

    written = {"graph_greetings": []}
    with tf.Graph().as_default():
        guest = tf.placeholder(tf.string, shape=[])
        greeting_op = summary.op(
            "graph_greetings",
            guest,
            display_name="Greetings from a TF1 graph",
            description="Written by `summary.op` in a `tf.Session`.",
        )
        writer = tf.summary.FileWriter(run_dir)
        with tf.Session() as session:
            for step in range(STEPS):
                name = guest_at(step, GUESTS[::-1])
                writer.add_summary(session.run(greeting_op, feed_dict={guest: name}), step)
                written["graph_greetings"].append((step, summary.greeting_text(name)))
        writer.close()
    return written


def write_pb_run(run_dir, tags_and_guests):
    """Writes `summary.pb` protos with TensorBoard's own event writer, without TensorFlow.

    Args:
      run_dir: The run's directory.
      tags_and_guests: [(tag, display_name, description, guests)], one guest a step.

    Returns:
      {tag: [(step, text), ...]}
    """
    from tensorboard.compat.proto import event_pb2
    from tensorboard.summary.writer import event_file_writer

    written = {}
    writer = event_file_writer.EventFileWriter(run_dir)
    for tag, display_name, description, guests in tags_and_guests:
        written[tag] = []
        for step, guest in enumerate(guests):
            proto = summary.pb(tag, guest, display_name=display_name, description=description)
            writer.add_event(event_pb2.Event(step=step, wall_time=1.7e9 + step, summary=proto))
            written[tag].append((step, summary.greeting_text(guest)))
    writer.close()
    return written


def write_demo(logdir, overwrite=False):
    """Writes the demo's runs into `logdir`, replacing any it wrote before.

    Args:
      logdir: A new or empty directory, or one the demo wrote before.
      overwrite: Whether to write into any other directory too (see `claim_logdir`).

    Returns:
      {run: {tag: [(step, text), ...]}}: every greeting written, by run and tag.

    Raises:
      LogdirNotOursError: as `claim_logdir`.
    """
    claim_logdir(logdir, overwrite)
    for run in RUNS:
        shutil.rmtree(os.path.join(logdir, run), ignore_errors=True)
    written = {}
    for index, run in enumerate(HYPERPARAMETER_RUNS):
        written[run] = write_hyperparameter_run(os.path.join(logdir, run), index)
    written[TF1_RUN] = write_tf1_run(os.path.join(logdir, TF1_RUN))
    written[PB_RUN] = write_pb_run(
        os.path.join(logdir, PB_RUN),
        [("unicode", "Greetings in many scripts", "Every guest of `GUESTS`.", GUESTS * 2)],
    )
    written[HOSTILE_RUN] = write_pb_run(
        os.path.join(logdir, HOSTILE_RUN),
        [
            ("hostile_guests", "Hostile guests", HOSTILE_DESCRIPTION, HOSTILE_TEXTS),
            ("<script>window.__greeter_xss = 1</script>", HOSTILE_TEXTS[1], HOSTILE_DESCRIPTION, GUESTS[:3]),
            ("javascript:window.__greeter_xss=1", None, None, GUESTS[3:6]),
        ],
    )
    return written


def caller_path(path):
    """`path` made absolute as the caller meant it.

    `bazel run` starts binaries in their runfiles: a relative path means the caller's directory.
    """
    return os.path.abspath(os.path.join(os.environ.get("BUILD_WORKING_DIRECTORY", ""), os.path.expanduser(path)))


def main(argv):
    if len(argv) > 1:
        raise app.UsageError("Unexpected arguments: %s" % " ".join(argv[1:]))
    logdir = caller_path(flags.FLAGS.logdir)
    try:
        written = write_demo(logdir, flags.FLAGS.overwrite)
    except LogdirNotOursError as e:
        sys.exit("greeter_demo: %s" % e)
    count = sum(len(greetings) for tags in written.values() for greetings in tags.values())
    print("Wrote %d greetings in %d runs to %s" % (count, len(written), logdir))
    print("View them: bazel run //greeter_tensorboard -- --logdir=%s" % logdir)


if __name__ == "__main__":
    # Defined here, not on import, so that importing the demo leaves TensorBoard's --logdir alone.
    flags.DEFINE_string("logdir", "/tmp/greeter_demo", "Directory to write the demo's runs into.")
    flags.DEFINE_bool(
        "overwrite", False, "Write into a directory the demo did not write, replacing runs named as its own."
    )
    app.run(main)
