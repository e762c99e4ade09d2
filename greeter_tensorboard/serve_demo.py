"""Writes the Greeter demo and serves it in TensorBoard-X: the README's main command.

    bazel run //greeter_tensorboard:serve_demo [-- --logdir=DIR --port=PORT ...]

DIR defaults to /tmp/greeter_demo; every other flag is TensorBoard-X's.
"""

import sys

from greeter_plugin import greeter_demo
from greeter_tensorboard import main as tensorboard_x

DEFAULT_LOGDIR = "/tmp/greeter_demo"


def write_demo(flags):
    """Writes the demo's runs into `--logdir`, replacing the ones it wrote before."""
    written = greeter_demo.write_demo(flags.logdir)
    count = sum(len(greetings) for tags in written.values() for greetings in tags.values())
    print("Wrote %d greetings in %d runs to %s" % (count, len(written), flags.logdir), flush=True)


if __name__ == "__main__":
    # A --logdir given on the command line comes later, and wins.
    sys.argv[1:1] = ["--logdir=" + DEFAULT_LOGDIR]
    sys.exit(tensorboard_x.main(before_serving=write_demo))
