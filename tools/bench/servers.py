"""Starting TensorBoard-X or stock TensorBoard, and measuring what a user waits for and pays."""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import psutil

from tools.bench import logdirs
from tools.seaweedfs import seaweedfs

TENSORBOARD_X = os.path.join(os.path.dirname(__file__), "..", "..", "greeter_tensorboard", "greeter_tensorboard")
STOCK_TENSORBOARD = [sys.executable, "-m", "tensorboard.main"]
POLL_SECONDS = 0.02


class Side:
    """One side of the comparison: how to start it, and the route that serves one tag of one run."""

    def __init__(self, name, command, tag, route, extra_flags=()):
        self.name = name
        self.command = command
        self.tag = tag
        self.route = route
        self.extra_flags = list(extra_flags)

    def path(self, run, tag=None):
        """The route's path for `run` and `tag` (by default, this side's tag)."""
        return "data/plugin/%s?%s" % (self.route, urllib.parse.urlencode({"run": run, "tag": tag or self.tag}))


# Entries a tag that both sides are asked to keep: every one of the large logdir's 1,000 greetings a
# run. By default stock TensorBoard keeps 10 (Python loader) or 100 (fast loader) texts a tag, the
# Greeter 100 greetings: samples, which would not be the same data.
EQUAL_SAMPLES = 1000
TENSORBOARD_X_AT_EQUAL_SAMPLING_SIDE = Side(
    "TensorBoard-X",
    [TENSORBOARD_X],
    logdirs.GREETER_TAG,
    "greeter/greetings",
    ["--samples_per_plugin=greeter=%d" % EQUAL_SAMPLES],
)
STOCK_SIDE = Side(
    "stock TensorBoard",
    STOCK_TENSORBOARD,
    logdirs.TEXT_TAG,
    "text/text",
    ["--samples_per_plugin=text=%d" % EQUAL_SAMPLES],
)


# Stock TensorBoard as installed without TensorFlow, the one stock setup that reads s3:// (its stub
# filesystem, through boto3): `import tensorflow` fails in it, as where TensorFlow is not installed.
STOCK_WITHOUT_TENSORFLOW = [
    sys.executable,
    "-c",
    "import sys; sys.modules['tensorflow'] = None; from tensorboard import main; main.run_main()",
]
STOCK_WITHOUT_TENSORFLOW_SIDE = Side(
    "stock TensorBoard without TensorFlow",
    STOCK_WITHOUT_TENSORFLOW,
    logdirs.TEXT_TAG,
    "text/text",
    STOCK_SIDE.extra_flags,
)


def get(url, timeout=60):
    """GETs `url`; returns (status, body); a refused connection is status 0."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (urllib.error.URLError, ConnectionError):
        return 0, b""


class PeakMemory(threading.Thread):
    """Samples the RSS of a process and its children (the data server) until stopped."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self._process = psutil.Process(pid)
        self._finished = threading.Event()
        self.peak_bytes = 0

    def run(self):
        while not self._finished.is_set():
            try:
                processes = [self._process] + self._process.children(recursive=True)
                self.peak_bytes = max(self.peak_bytes, sum(p.memory_info().rss for p in processes))
            except psutil.Error:
                pass
            time.sleep(0.05)

    def stop(self):
        self._finished.set()
        self.join()


class Server:
    """A running server of one side, with its start-up time and a peak-memory sampler."""

    def __init__(self, side, logdir, load_fast):
        self.side = side
        port = seaweedfs.free_port()
        self.url = "http://localhost:%d/" % port
        started = time.monotonic()
        self._process = subprocess.Popen(
            side.command + ["--logdir=%s" % logdir, "--port=%d" % port, "--load_fast=%s" % load_fast]
            + side.extra_flags,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.pid = self._process.pid
        self.memory = PeakMemory(self.pid)
        self.memory.start()
        try:
            while get(self.url + "data/plugins_listing", timeout=5)[0] != 200:
                if self._process.poll() is not None:
                    raise RuntimeError("%s exited with %d" % (side.name, self._process.returncode))
                time.sleep(POLL_SECONDS)
        except BaseException:
            self.stop()
            raise
        self.started = time.monotonic()
        self.startup_seconds = self.started - started

    def wait_for_all_data(self, runs, greetings_per_run, timeout=600):
        """Seconds from launch until every run's tag is served with every greeting."""
        return self.wait_for_runs([logdirs.run_name(run) for run in range(runs)], greetings_per_run, timeout=timeout)

    def wait_for_runs(self, run_names, at_least, tag=None, timeout=600):
        """Seconds from launch until each of `run_names`' `tag` is served with `at_least` entries."""
        waiting = set(run_names)
        deadline = time.monotonic() + timeout
        while waiting:
            for run in sorted(waiting):
                status, body = get(self.url + self.side.path(run, tag))
                if status == 200 and len(json.loads(body)) >= at_least:
                    waiting.discard(run)
            if time.monotonic() > deadline:
                raise RuntimeError("%s did not serve %d runs in %d s" % (self.side.name, len(waiting), timeout))
            if waiting:
                time.sleep(POLL_SECONDS)
        return self.seconds_since_launch()

    def seconds_since_launch(self):
        return time.monotonic() - self.started + self.startup_seconds

    def cold_latencies(self, runs):
        """Seconds per request for one run's tag, each run asked for once: nothing is reused."""
        results = []
        for run in runs:
            url = self.url + self.side.path(run)
            started = time.perf_counter()
            status, _ = get(url)
            results.append(time.perf_counter() - started)
            if status != 200:
                raise RuntimeError("%s answered %d to %s" % (self.side.name, status, url))
        return results

    def latencies(self, run, clients, requests_per_client):
        """Seconds per request of `clients` concurrent clients asking for one run's tag."""
        url = self.url + self.side.path(run)
        results = []
        lock = threading.Lock()

        def client():
            for _ in range(requests_per_client):
                started = time.perf_counter()
                status, _ = get(url)
                elapsed = time.perf_counter() - started
                if status != 200:
                    raise RuntimeError("%s answered %d to %s" % (self.side.name, status, url))
                with lock:
                    results.append(elapsed)

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def stop(self):
        """Stops the server; returns its peak RSS (with children) in bytes."""
        self._process.terminate()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self.memory.stop()
        return self.memory.peak_bytes
