"""Builds one executable file (a PEX) that runs a wheel's console script with every dependency inside.

    build_standalone --wheel X.whl [--wheel Y.whl]... --console_script NAME --output FILE WHEELHOUSE_WHEEL...

pex resolves the wheels' requirements from the wheelhouse's wheels and the --wheels only (`--no-pypi`):
a wheel of this workspace that another requires (TensorBoard-X requires the Greeter's) is a --wheel
too. The file holds exactly the versions they pin, and it builds reproducibly (fixed timestamps, no
.pyc): the same inputs make the same bytes.
The file runs under `python3.11` from PATH, in `--venv` mode: its first run installs a virtual
environment into the user's pex cache (`~/.cache/pex`; pex falls back to a temporary one where that is
not writable), so native executables inside wheels (TensorBoard's Rust data server) are real files, and
later runs start from it at once.
"""

import argparse
import os
import subprocess
import sys
import tempfile

PYTHON_SHEBANG = "/usr/bin/env python3.11"


def build_standalone(wheels, wheelhouse, console_script, output):
    """Writes the PEX of `wheels` with their requirements from `wheelhouse` (wheel files of one directory).

    Raises:
      ValueError: the wheelhouse's wheels are not all in one directory.
      subprocess.CalledProcessError: pex failed (a requirement missing from the wheelhouse, say).
    """
    directories = {os.path.dirname(path) for path in wheelhouse}
    if len(directories) != 1:
        raise ValueError("the wheelhouse's wheels must share one directory, not %s" % sorted(directories))
    # pex caches what it resolves in its root: a temporary one keeps the build from the user's cache.
    with tempfile.TemporaryDirectory(prefix="pex-root-") as pex_root:
        subprocess.run(
            [sys.executable, "-m", "pex",
             "--pex-root", pex_root,
             "--no-pypi",
             "--find-links", directories.pop(),
             "--console-script", console_script,
             "--python-shebang", PYTHON_SHEBANG,
             "--venv",
             "--no-compile",
             "--no-use-system-time",
             "--output-file", output,
             *wheels],
            check=True,
            # The workspace's own modules stay out of pex's view of the interpreter.
            env={key: value for key, value in os.environ.items() if key != "PYTHONPATH"},
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", action="append", required=True)
    parser.add_argument("--console_script", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("wheelhouse", nargs="+")
    args = parser.parse_args(argv)
    try:
        build_standalone(args.wheel, args.wheelhouse, args.console_script, args.output)
    except ValueError as e:
        parser.error(str(e))
    except subprocess.CalledProcessError as e:
        sys.exit("build_standalone: pex failed (exit %d); its message is above" % e.returncode)


if __name__ == "__main__":
    main()
