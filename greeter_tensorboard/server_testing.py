"""Starting the real TensorBoard-X binary (or another server) on a free loopback port, for tests."""

import contextlib
import os
import re
import subprocess
import tempfile
import time
import urllib.request

from greeter_plugin import plugin_testing

# Beside this file in the runfiles of every test that depends on it (its `data`): found without naming
# the workspace, so that the tests pass in a workspace of any name.
BINARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "greeter_tensorboard")
_SERVING_LINE = re.compile(r" at (http://\S+/) \(Press CTRL\+C to quit\)")


@contextlib.contextmanager
def serve(logdir, *flags, binary=BINARY, timeout_seconds=90):
    """Runs `binary --logdir=logdir --port=0 *flags`; yields its URL, ending in "/".

    `binary` is TensorBoard-X's unless given: any command that takes TensorBoard's flags and prints
    its "... at URL (Press CTRL+C to quit)" line.

    The server's output goes to a `server-*.log` of its own in `$TEST_UNDECLARED_OUTPUTS_DIR`, kept
    with the test's outputs.
    """
    with serve_process(logdir, *flags, binary=binary, timeout_seconds=timeout_seconds) as (url, _):
        yield url


@contextlib.contextmanager
def serve_process(logdir, *flags, binary=BINARY, timeout_seconds=90):
    """Like `serve`, but yields (URL, the server's `subprocess.Popen`), to look at the process."""
    log_fd, log_path = tempfile.mkstemp(
        prefix="server-", suffix=".log", dir=os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR")
    )
    with os.fdopen(log_fd, "wb") as log:
        process = subprocess.Popen(
            [binary, "--logdir=%s" % logdir, "--port=0", *flags],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield _wait_for_url(process, log_path, timeout_seconds), process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for_url(process, log_path, timeout_seconds):
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        with open(log_path, encoding="utf-8", errors="replace") as log:
            match = _SERVING_LINE.search(log.read())
        if match:
            return match.group(1)
        if process.poll() is not None:
            raise AssertionError("the server exited with %d; see %s" % (process.returncode, log_path))
        time.sleep(0.2)
    raise AssertionError("the server printed no URL in %d s; see %s" % (timeout_seconds, log_path))


def get(url, timeout_seconds=30):
    """GETs `url`; returns (status, headers, body bytes), error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_seconds) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


# Polling for what a test expects, shared with the in-process route tests.
wait_for = plugin_testing.wait_for
