"""Installs "TensorBoard-X", a Jupyter kernel in which TensorBoard-X and the Greeter's API are importable.

    tools/bazel run //greeter_tensorboard:jupyter_kernel

Jupyter (JupyterLab, Notebook, VS Code) then lists the kernel; in a notebook on it,
`%load_ext greeter_tensorboard.notebook` and `%tensorboard --logdir DIR` show TensorBoard-X inline.
The kernel is ipykernel's own, run by this binary's Python with this binary's Bazel-built
`PYTHONPATH` (TensorBoard-X, `greeter_plugin`, tensorboardX, pandas); it reads the workspace's
sources as they are, and needs this command again only after `bazel clean`.
"""

import os

from absl import app
from ipykernel import kernelspec

KERNEL_NAME = "tensorboard-x"
DISPLAY_NAME = "TensorBoard-X"


def install():
    """Installs the kernel for this user (in Jupyter's data directory); returns where."""
    return kernelspec.install(
        user=True,
        kernel_name=KERNEL_NAME,
        display_name=DISPLAY_NAME,
        env={"PYTHONPATH": os.environ.get("PYTHONPATH", "")},
    )


def main(argv):
    if len(argv) > 1:
        raise app.UsageError("Unexpected arguments: %s" % " ".join(argv[1:]))
    print("Installed the %s kernel in %s" % (DISPLAY_NAME, install()))
    print("In a notebook on it: %load_ext greeter_tensorboard.notebook, then %tensorboard --logdir DIR")


if __name__ == "__main__":
    app.run(main)
