"""Starting TensorBoard's data server (the fast loader) without sleeping half a second for nothing.

TensorBoard's `SubprocessServerDataIngester.start()` spawns the data server, looks for the port file
the server writes 10 ms later, and then every 0.5 s. The server writes it 5 to 18 ms after it is
spawned on the machines measured, so most start-ups sleep 0.5 s while the server is already up: a
quarter of the 2 s that issue 23 gives a bucket's first run. `prompt_polling()` ends those sleeps as
soon as the port file is whole; the rest is TensorBoard's own code, checks and 10 s timeout.

Written here rather than copied: start() is one method, and a copy of its 70 lines would drift from
TensorBoard's; what it sleeps on is the one thing changed.
"""

import contextlib
import os
import tempfile
import time

from tensorboard.data import server_ingester

# What start() names the file, in its temporary directory, where the server writes its port and then
# a newline. A server that cannot start is left to start()'s own polls (it reads why at exit).
_PORT_FILE = "port"
_POLL_SECONDS = 0.005


def _port_written(directory):
    try:
        with open(os.path.join(directory, _PORT_FILE)) as port:
            return port.read().endswith("\n")
    except FileNotFoundError:
        return False


class _TempFiles:
    """server_ingester's `tempfile`: notes the directories it makes (where the port file goes)."""

    def __init__(self):
        self.directories = []

    def TemporaryDirectory(self, *args, **kwargs):  # pylint: disable=invalid-name
        directory = tempfile.TemporaryDirectory(*args, **kwargs)
        self.directories.append(directory.name)
        return directory

    def __getattr__(self, name):
        return getattr(tempfile, name)


class _Clock:
    """server_ingester's `time`: a sleep ends early once the server has written its port file."""

    def __init__(self, directories):
        self._directories = directories

    def sleep(self, seconds):
        deadline = time.monotonic() + seconds
        while not any(_port_written(directory) for directory in self._directories):
            left = deadline - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(_POLL_SECONDS, left))

    def __getattr__(self, name):
        return getattr(time, name)


@contextlib.contextmanager
def prompt_polling():
    """Within it, TensorBoard's data server ingester returns from start() as soon as the server is up."""
    temp_files = _TempFiles()
    saved = server_ingester.tempfile, server_ingester.time
    server_ingester.tempfile, server_ingester.time = temp_files, _Clock(temp_files.directories)
    try:
        yield
    finally:
        server_ingester.tempfile, server_ingester.time = saved
