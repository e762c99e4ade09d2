"""Installing a wheel with pip, offline, into a new virtual environment, for the wheels' tests."""

import os
import subprocess
import sys
import sysconfig
import venv


def install_offline(wheel, env_dir, find_links=None):
    """Creates a virtual environment at `env_dir` and installs `wheel` there with pip, offline.

    Args:
      wheel: The .whl to install.
      env_dir: Where the environment goes; it must not exist yet.
      find_links: A directory of wheels that pip takes the wheel's requirements from; without it,
        pip installs the wheel alone (`--no-deps`).

    Returns:
      (the environment's python, its site-packages directory).
    """
    venv.create(env_dir, with_pip=False, symlinks=True)
    python = os.path.join(env_dir, "bin", "python")
    deps = ["--find-links", find_links] if find_links else ["--no-deps"]
    # The running environment's pip installs into the new one; --no-index: nothing is downloaded.
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-index",
         "--no-cache-dir", "--disable-pip-version-check", *deps, wheel],
        check=True,
    )
    return python, sysconfig.get_path("purelib", vars={"base": env_dir, "platbase": env_dir})
