"""Writes the mega demo and serves it in TensorBoard-X: the README's main command.

    bazel run //greeter_tensorboard:serve_demo [-- --logdir=DIR --port=PORT ...]

The mega demo (mega_demo.py) holds greetings and data for every standard dashboard. DIR defaults to
/tmp/greeter_demo; every other flag is TensorBoard-X's, but --logdir_spec, which names no one
directory to write the demo into.
"""

import sys

from greeter_tensorboard import main as tensorboard_x
from greeter_tensorboard import mega_demo


def write_demo(flags):
    """Writes the mega demo's runs into `--logdir`, replacing the ones it wrote before."""
    runs = mega_demo.write_mega_demo(flags.logdir)
    print("Wrote the mega demo's %d runs to %s" % (len(runs), flags.logdir), flush=True)


def main(argv):
    """Runs TensorBoard-X on `argv` (the program's name first), the mega demo written first."""
    if any(arg.split("=")[0] == "--logdir_spec" for arg in argv[1:]):
        sys.exit("serve_demo: the demo is written into one directory: give --logdir=DIR, not --logdir_spec")
    # A --logdir given on the command line comes later, and wins.
    sys.argv = [argv[0], "--logdir=" + mega_demo.DEFAULT_LOGDIR] + argv[1:]
    return tensorboard_x.main(before_serving=write_demo)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
