"""Starting the real TensorBoard-X binary (or another server) on a free loopback port, for tests."""

import contextlib
import json
import os
import re
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import psutil

from greeter_plugin import plugin_testing
from greeter_tensorboard import data_server_sockets

from plugin_kit.testing import server_harness

# Beside this file in the runfiles of every test that depends on it (its `data`): found without naming
# the workspace, so that the tests pass in a workspace of any name.
BINARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "greeter_tensorboard")
# The standard plugins of TensorBoard 2.21 that every TensorBoard-X lists, as stock TensorBoard does.
STANDARD_PLUGINS = (
    "scalars",
    "images",
    "audio",
    "histograms",
    "distributions",
    "graphs",
    "text",
    "pr_curves",
    "hparams",
    "mesh",
    "custom_scalars",
    "profile_redirect",
    "timeseries",
)
_SERVING_LINE = re.compile(r" at (http://\S+/) \(Press CTRL\+C to quit\)")


@contextlib.contextmanager
def serve(logdir, *flags, binary=BINARY, timeout_seconds=90, env=None, cwd=None):
    """Runs `binary --logdir=logdir --port=0 *flags`; yields its URL, ending in "/".

    `binary` is TensorBoard-X's unless given: any command that takes TensorBoard's flags and prints
    its "... at URL (Press CTRL+C to quit)" line.

    The server's output goes to a `server-*.log` of its own in `$TEST_UNDECLARED_OUTPUTS_DIR`, kept
    with the test's outputs. `env` is the server's whole environment, if given; the test's otherwise.
    `cwd` is its working directory, if given; the test's otherwise.
    """
    with serve_process(logdir, *flags, binary=binary, timeout_seconds=timeout_seconds, env=env, cwd=cwd) as (url, _):
        yield url


@contextlib.contextmanager
def serve_process(logdir, *flags, binary=BINARY, timeout_seconds=90, env=None, cwd=None):
    """Like `serve`, but yields (URL, the server's `subprocess.Popen`), to look at the process.

    The process's `log_path` names the file that holds what it printed.
    """
    log_fd, log_path = tempfile.mkstemp(
        prefix="server-", suffix=".log", dir=os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR")
    )
    with os.fdopen(log_fd, "wb") as log:
        process = subprocess.Popen(
            [binary, "--logdir=%s" % logdir, "--port=0", *flags],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
        )
    process.log_path = log_path
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


def get_json(url):
    """GETs `url`; returns its JSON body, or raises AssertionError naming any status but 200."""
    status, _, body = get(url)
    if status != 200:
        raise AssertionError("GET %s answered %d: %r" % (url, status, body[:500]))
    return json.loads(body)


def page_title(url):
    """The <title> of the page at `url`, as the browser's tab shows it."""
    _, _, body = get(url)
    match = re.search(rb"<title>(.*?)</title>", body)
    return match and match.group(1).decode("utf-8")


# Polls a plugin's `tags` route until it names every run (and tag) wanted; the kit's, shared by any
# plugin's tests, those of a plugin made by //tools:new_plugin included.
tags_of_every_run = server_harness.tags_of_every_run


# Polling for what a test expects, shared with the in-process route tests.
wait_for = plugin_testing.wait_for


def server_process(url):
    """The process that listens on `url`'s port (the binary's launcher may have started it)."""
    port = urllib.parse.urlparse(url).port
    (pid,) = {c.pid for c in psutil.net_connections("tcp") if c.laddr.port == port and c.status == "LISTEN"}
    return psutil.Process(pid)


def has_loaded_tensorflow(process):
    """Whether TensorFlow's native library is mapped into `process`: imported, not only findable."""
    return any("libtensorflow" in region.path for region in process.memory_maps())


def printed(process):
    """What a process started by `serve_process` has printed so far."""
    with open(process.log_path, encoding="utf-8", errors="replace") as log:
        return log.read()


def borrowed_sockets(pid, port):
    """A context manager that yields copies of process `pid`'s TCP sockets on local `port` (listening
    or connected), to read their options. Test-only: TensorBoard-X borrows its own child's only.

    Raises OSError where the system does not let this process borrow them.
    """
    return data_server_sockets.borrowed(pid, data_server_sockets.socket_inodes_on_port(port))


def skip_where_borrowing_is_refused(test, pid, port):
    """Skips `test` on a system that does not let this process borrow `pid`'s sockets (a container
    without CAP_SYS_PTRACE, a kernel before 5.6): TensorBoard-X then only logs that it could not."""
    try:
        with borrowed_sockets(pid, port):
            pass
    except OSError as e:
        if e.errno in data_server_sockets.REFUSED_ERRNOS:
            test.skipTest("this system refuses pidfd_getfd: %s" % os.strerror(e.errno))
        raise
