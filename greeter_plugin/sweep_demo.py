"""Writes a logdir shaped like a hyperparameter sweep: `sweep/lr<k>/seed<n>` runs of greetings.

    bazel run //greeter_plugin:sweep_demo -- --logdir DIR [--runs 1000] [--steps 5] [--tags 1]

Where users meet TensorBoard's limits: thousands of runs. It writes into a new or empty directory
only, and never deletes anything.
"""

import os

from absl import app
from absl import flags

from tensorboard.compat.proto import event_pb2
from tensorboard.summary.writer import record_writer

from greeter_plugin import greeter_demo
from greeter_plugin import summary

SEEDS_PER_RATE = 10
WALL_TIME_START = 1.7e9


def run_name(index):
    """The run of the sweep's `index`-th trial: ten seeds of each learning rate."""
    return "sweep/lr%d/seed%d" % (index // SEEDS_PER_RATE, index % SEEDS_PER_RATE)


def tag_name(index):
    return "greetings_%d" % index


def guest(run_index, step):
    return "%s of trial %d" % (greeter_demo.guest_at(step), run_index)


def write_sweep(logdir, runs, steps, tags, description_of=None):
    """Writes `runs` runs, each with `steps` steps of a greeting under each of `tags` tags.

    `description_of(run_index)`: the run's description of its tags (Markdown); None: none.

    Returns the run names. One event file a run, written directly as records: a sweep of thousands
    of runs takes seconds rather than a writer thread per run.
    """
    names = []
    for run_index in range(runs):
        name = run_name(run_index)
        run_dir = os.path.join(logdir, *name.split("/"))
        os.makedirs(run_dir)
        with open(os.path.join(run_dir, "events.out.tfevents.%d.sweep" % WALL_TIME_START), "wb") as f:
            writer = record_writer.RecordWriter(f)
            writer.write(event_pb2.Event(wall_time=WALL_TIME_START, file_version="brain.Event:2").SerializeToString())
            for step in range(steps):
                event = event_pb2.Event(step=step, wall_time=WALL_TIME_START + step)
                for tag_index in range(tags):
                    description = description_of(run_index) if description_of else None
                    proto = summary.pb(tag_name(tag_index), guest(run_index, step), description=description)
                    event.summary.value.extend(proto.value)
                writer.write(event.SerializeToString())
        names.append(name)
    return names


def main(argv):
    if len(argv) > 1:
        raise app.UsageError("Unexpected arguments: %s" % " ".join(argv[1:]))
    logdir = greeter_demo.caller_path(flags.FLAGS.logdir)
    if os.path.exists(logdir) and os.listdir(logdir):
        raise app.UsageError("%s is not empty; the sweep demo writes into a new or empty directory" % logdir)
    names = write_sweep(logdir, flags.FLAGS.runs, flags.FLAGS.steps, flags.FLAGS.tags)
    print("Wrote a sweep of %d runs to %s" % (len(names), logdir))
    print("View them: bazel run //greeter_tensorboard -- --logdir=%s" % logdir)


if __name__ == "__main__":
    flags.DEFINE_string("logdir", None, "A new or empty directory to write the sweep into.", required=True)
    flags.DEFINE_integer("runs", 1000, "Trials of the sweep, one run each.", lower_bound=1)
    flags.DEFINE_integer("steps", 5, "Greetings of each tag in each run.", lower_bound=1)
    flags.DEFINE_integer("tags", 1, "Greeter tags in each run.", lower_bound=1)
    app.run(main)
