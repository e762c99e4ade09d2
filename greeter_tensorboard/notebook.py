"""TensorBoard-X inline in Jupyter: `%load_ext greeter_tensorboard.notebook`, then `%tensorboard --logdir DIR`.

TensorBoard's own `%tensorboard` magic (tensorboard/notebook.py) starts the program that the
`TENSORBOARD_BINARY` environment variable names, finds it through the info file that every
`program.TensorBoard` writes (TensorBoard-X's too) and shows it in an iframe. This extension points
`TENSORBOARD_BINARY` at TensorBoard-X and registers that same magic, so everything else about it
(reusing a server started with the same arguments, `notebook.list()`, `notebook.display()`,
`TENSORBOARD_PROXY_URL`) stays TensorBoard's.
"""

import atexit
import os
import shlex
import shutil
import sys
import tempfile

import tensorboard

# What the launcher runs with `python -c`, `root` being TensorBoard-X's directory: main(), as
# `tensorboard-x` runs it. `python -c` puts the working directory (the notebook's) first on the path,
# where its modules would shadow any other: out it goes.
_MAIN = """\
import sys
del sys.path[0]
if {root!r} not in sys.path:
    sys.path.append({root!r})
sys.argv[0] = "tensorboard-x"
from greeter_tensorboard.main import main
sys.exit(main())
"""

_launcher_path = None


def load_ipython_extension(ipython):
    """Makes `%tensorboard` start TensorBoard-X; IPython calls this on `%load_ext greeter_tensorboard.notebook`."""
    os.environ["TENSORBOARD_BINARY"] = launcher()
    # `%load_ext tensorboard`'s own function: it registers the `%tensorboard` magic, again if loaded.
    tensorboard.load_ipython_extension(ipython)


def launcher():
    """Returns the path of a program that runs TensorBoard-X with this Python, writing it on first use.

    `TENSORBOARD_BINARY` names one program, which TensorBoard runs with the magic's arguments, so
    TensorBoard-X's main() needs a file of its own: a shell script that `exec`s this very interpreter
    (the kernel's, where TensorBoard-X is importable), keeping the process id that TensorBoard waits
    for. TensorBoard starts it without `PYTHONPATH` (so that a binary started from a Bazel test finds
    its own runfiles), so the script sets the kernel's again. The directory TensorBoard-X was imported
    from (a site-packages, say) goes last on the server's path, after the standard library: a module
    there named like a standard one (`json.py`) must not replace it. The script lives in a temporary
    directory, removed when this process exits; the servers it started keep running, as TensorBoard's
    do.
    """
    global _launcher_path
    if _launcher_path is None:
        directory = tempfile.mkdtemp(prefix="tensorboard-x-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        path = os.path.join(directory, "tensorboard-x")
        package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        python_path = os.environ.get("PYTHONPATH")
        with open(path, "w") as script:
            script.write("#!/bin/sh\n")
            if python_path:
                script.write("PYTHONPATH=%s\nexport PYTHONPATH\n" % shlex.quote(python_path))
            script.write(
                "exec %s -c %s \"$@\"\n" % (shlex.quote(sys.executable), shlex.quote(_MAIN.format(root=package_root)))
            )
        os.chmod(path, 0o755)
        _launcher_path = path
    return _launcher_path
