"""Writes a small logdir for the numbers plugin: a falling loss in two runs, one number a step.

    bazel run //plugin_kit/numbers_plugin:demo -- --logdir=DIR

It writes with TensorBoard's own `EventFileWriter` and `summary.add_number`, without TensorFlow,
and never into a run directory that exists already.
"""

import argparse
import math
import os
import sys

from tensorboard.summary.writer import event_file_writer

from plugin_kit.numbers_plugin import summary

# {run: its learning rate}: how fast its loss falls.
RUNS = {"lr=0.1": 0.1, "lr=0.01": 0.01}
TAG = "loss"
STEPS = 20


def write_demo(logdir):
    """Writes the demo's runs into `logdir`; returns {run: [(step, value)]}.

    Raises:
      FileExistsError: a run's directory exists already (nothing is written then).
    """
    for run in RUNS:
        if os.path.exists(os.path.join(logdir, run)):
            raise FileExistsError("%s already holds a run %r; give a new logdir" % (logdir, run))
    written = {}
    for run, rate in RUNS.items():
        writer = event_file_writer.EventFileWriter(os.path.join(logdir, run))
        written[run] = [(step, round(math.exp(-rate * step), 6)) for step in range(STEPS)]
        for step, value in written[run]:
            summary.add_number(
                writer, TAG, value, global_step=step, walltime=1.7e9 + step,
                display_name="Loss", description="The training loss, *lower is better*.",
            )
        writer.close()
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logdir", default="/tmp/numbers_demo", help="where to write the runs")
    args = parser.parse_args(argv)
    # `bazel run` starts this in its runfiles: a relative --logdir means the caller's directory.
    logdir = os.path.join(os.environ.get("BUILD_WORKING_DIRECTORY", ""), args.logdir)
    try:
        written = write_demo(logdir)
    except FileExistsError as e:
        sys.exit("demo: %s" % e)
    print("Wrote %d values in %d runs to %s" % (sum(map(len, written.values())), len(written), logdir))


if __name__ == "__main__":
    main()
