"""TensorBoard-X under load: concurrent clients on loopback while a training job keeps writing.

The real binary (and its Rust data server) serves 16 clients that request every Greeter route for a
bounded time, while a writer appends greetings and flushes after each, so the server keeps meeting
records that are only half written. No request may fail, and once the writer stops the server must
serve every greeting it wrote.
"""

import concurrent.futures
import json
import os
import threading
import time
import urllib.parse

from absl.testing import absltest

from tensorboard.compat.proto import event_pb2
from tensorboard.summary.writer import event_file_writer

from greeter_plugin import plugin_testing
from greeter_plugin import summary
from greeter_tensorboard import server_testing

CLIENTS = 16
LOAD_SECONDS = 10
# About 50 greetings a second: below the default sampling bound after LOAD_SECONDS, so that every
# greeting written must be served.
WRITE_INTERVAL_SECONDS = 0.02
LIVE_RUN = "live"
LIVE_TAG = "arrivals"
STILL_RUN = "still"
STILL_TAG = "departures"
ROUTES = (
    "tags",
    "tag_info",
    "greetings?" + urllib.parse.urlencode({"run": LIVE_RUN, "tag": LIVE_TAG}),
    "greetings_by_run?" + urllib.parse.urlencode({"tag": LIVE_TAG}),
    "greetings_by_tag?" + urllib.parse.urlencode({"tag": [LIVE_TAG, STILL_TAG]}, doseq=True),
    "static/index.js",
)


class LoadTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        self.logdir = self.create_tempdir().full_path
        plugin_testing.write_greetings(os.path.join(self.logdir, STILL_RUN), STILL_TAG, [(0, "Ada")])
        self.writer = event_file_writer.EventFileWriter(os.path.join(self.logdir, LIVE_RUN))
        self.addCleanup(self.writer.close)
        self.written = 0
        self.write_greeting()

    def write_greeting(self):
        proto = summary.pb(LIVE_TAG, "Guest %d" % self.written)
        self.writer.add_event(event_pb2.Event(step=self.written, wall_time=time.time(), summary=proto))
        self.writer.flush()
        self.written += 1

    def keep_writing(self, stop):
        while not stop.is_set():
            self.write_greeting()
            time.sleep(WRITE_INTERVAL_SECONDS)

    def live_steps(self, url):
        status, _, body = server_testing.get(url + "data/plugin/greeter/" + ROUTES[2])
        return [greeting["step"] for greeting in json.loads(body)] if status == 200 else []

    @staticmethod
    def keep_requesting(url, client_index, stop):
        """Requests ROUTES in turn until `stop`; returns (how many requests, the failed ones)."""
        requests, failures = 0, []
        while not stop.is_set():
            route = ROUTES[(client_index + requests) % len(ROUTES)]
            try:
                status, headers, body = server_testing.get(url + "data/plugin/greeter/" + route)
                if status != 200:
                    failures.append((route, status, body[:200]))
                elif headers["Content-Type"] == "application/json":
                    json.loads(body)
            except Exception as e:  # Whatever went wrong, it is a failed request to report.
                failures.append((route, type(e).__name__, str(e)))
            requests += 1
        return requests, failures

    def test_sixteen_clients_while_a_writer_writes_lose_nothing(self):
        # Every greeting kept, so that every one written can be looked for.
        with server_testing.serve(self.logdir, "--reload_interval=1", "--samples_per_plugin=greeter=0") as url:
            server_testing.wait_for(lambda: self.live_steps(url), timeout_seconds=120)
            stop = threading.Event()
            with concurrent.futures.ThreadPoolExecutor(CLIENTS + 1) as pool:
                writing = pool.submit(self.keep_writing, stop)
                clients = [pool.submit(self.keep_requesting, url, index, stop) for index in range(CLIENTS)]
                time.sleep(LOAD_SECONDS)
                stop.set()
                writing.result()
                results = [client.result() for client in clients]
            self.writer.close()

            failures = [failure for _, client_failures in results for failure in client_failures]
            self.assertEqual(failures, [])
            # Every client was answered again and again, none left behind the others with one slow
            # request (a count that holds on a loaded 2-core machine: throughput is the benchmark's).
            self.assertGreaterEqual(min(count for count, _ in results), 3)
            expected = list(range(self.written))
            server_testing.wait_for(lambda: self.live_steps(url) == expected, timeout_seconds=30)


if __name__ == "__main__":
    absltest.main()
