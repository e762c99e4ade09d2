"""Installing a wheel with pip, offline, into a new virtual environment, and what a wheel must not
hold, for the wheels' tests."""

import os
import re
import subprocess
import sys
import sysconfig
import venv


# Build files, and test-only code: tests, their helpers (*_testing), and the helper that borrows any
# process's sockets, which only tests use (greeter_tensorboard/server_testing.py).
_NOT_SHIPPED_NAME = re.compile(r"(^|/)(BUILD(\.bazel)?|[^/]*\.bzl|[^/]*_test\.py|[^/]*_testing\.py)$")
_NOT_SHIPPED_TEXT = re.compile(rb"\bdef borrowed_sockets\b")


def build_or_test_files(archive):
    """The names in the zip `archive` (a wheel, a PEX) of build files and test-only code, which
    nothing installed may hold."""
    return sorted(
        name for name in archive.namelist()
        if _NOT_SHIPPED_NAME.search(name)
        or (name.endswith(".py") and _NOT_SHIPPED_TEXT.search(archive.read(name)))
    )


def install_offline(wheel, env_dir, find_links=(), more_wheels=()):
    """Creates a virtual environment at `env_dir` and installs `wheel` there with pip, offline.

    Args:
      wheel: The .whl to install.
      more_wheels: Other .whl files to install with it (say, a workspace wheel that it requires).
      env_dir: Where the environment goes; it must not exist yet.
      find_links: Directories of wheels that pip takes the wheel's requirements from; without any,
        pip installs the wheel alone (`--no-deps`).

    Returns:
      (the environment's python, its site-packages directory).
    """
    venv.create(env_dir, with_pip=False, symlinks=True)
    python = os.path.join(env_dir, "bin", "python")
    deps = [arg for directory in find_links for arg in ("--find-links", directory)] or ["--no-deps"]
    # The running environment's pip installs into the new one; --no-index: nothing is downloaded.
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-index",
         "--no-cache-dir", "--disable-pip-version-check", *deps, wheel, *more_wheels],
        check=True,
    )
    return python, sysconfig.get_path("purelib", vars={"base": env_dir, "platbase": env_dir})
