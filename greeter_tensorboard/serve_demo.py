"""Writes the mega demo and serves it in TensorBoard-X: the README's main command.

    bazel run //greeter_tensorboard:serve_demo [-- --logdir=DIR --port=PORT --overwrite ...]

The mega demo (mega_demo.py) holds greetings and data for every standard dashboard. DIR defaults to
/tmp/greeter_demo, and must be new, empty or written by the demo before, unless --overwrite; every
other flag is TensorBoard-X's, but --logdir_spec, which names no one directory to write the demo into.
"""

import sys

from greeter_plugin import greeter_demo
from greeter_tensorboard import main as tensorboard_x
from greeter_tensorboard import mega_demo


def write_demo(flags, overwrite):
    """Writes the mega demo's runs into `--logdir`, replacing the ones it wrote before."""
    try:
        runs = mega_demo.write_mega_demo(flags.logdir, overwrite)
    except greeter_demo.LogdirNotOursError as e:
        sys.exit("serve_demo: %s" % e)
    print("Wrote the mega demo's %d runs to %s" % (len(runs), flags.logdir), flush=True)


def main(argv):
    """Runs TensorBoard-X on `argv` (the program's name first), the mega demo written first."""
    if any(arg.split("=")[0] == "--logdir_spec" for arg in argv[1:]):
        sys.exit("serve_demo: the demo is written into one directory: give --logdir=DIR, not --logdir_spec")
    overwrite = "--overwrite" in argv[1:]
    # A --logdir given on the command line comes later, and wins. --overwrite is the demo's, not
    # TensorBoard's.
    sys.argv = [argv[0], "--logdir=" + mega_demo.DEFAULT_LOGDIR] + [arg for arg in argv[1:] if arg != "--overwrite"]
    return tensorboard_x.run_from_bazel(before_serving=lambda flags: write_demo(flags, overwrite))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
