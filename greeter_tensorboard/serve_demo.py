"""Writes the mega demo and serves it in TensorBoard-X: the README's main command.

    bazel run //greeter_tensorboard:serve_demo [-- --logdir=DIR --port=PORT ...]

The mega demo (mega_demo.py) holds greetings and data for every standard dashboard. DIR defaults to
/tmp/greeter_demo; every other flag is TensorBoard-X's.
"""

import sys

from greeter_tensorboard import main as tensorboard_x
from greeter_tensorboard import mega_demo


def write_demo(flags):
    """Writes the mega demo's runs into `--logdir`, replacing the ones it wrote before."""
    runs = mega_demo.write_mega_demo(flags.logdir)
    print("Wrote the mega demo's %d runs to %s" % (len(runs), flags.logdir), flush=True)


if __name__ == "__main__":
    # A --logdir given on the command line comes later, and wins.
    sys.argv[1:1] = ["--logdir=" + mega_demo.DEFAULT_LOGDIR]
    sys.exit(tensorboard_x.main(before_serving=write_demo))
