"""The health routes of a real TensorBoard-X: ready only after the first read of an S3 logdir, at no cost to the store."""

import http.client
import http.server
import json
import os
import threading

from absl.testing import absltest

from greeter_plugin import plugin_testing
from greeter_tensorboard import server_testing
from tools.seaweedfs import seaweedfs

BUCKET = "health"
RUNS = ("ada", "grace")
TAG = "guests"

store = None


def setUpModule():
    global store
    root = absltest.get_default_test_tmpdir()
    logdir = os.path.join(root, "logdir")
    for run in RUNS:
        plugin_testing.write_greetings(os.path.join(logdir, run), TAG, [(0, run.title())])
    data_dir = os.path.join(root, "seaweedfs")
    os.makedirs(data_dir)
    store = seaweedfs.SeaweedFS(data_dir, os.path.join(os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR", data_dir), "seaweedfs.log"))
    store.start()
    store.upload(logdir, BUCKET, "logs")


def tearDownModule():
    store.stop()


class GatedStore(http.server.ThreadingHTTPServer):
    """An HTTP proxy on loopback in front of the S3 store: it counts the requests that reach the store,
    and holds every read of an event file until `open()`: a slow store, under the test's control."""

    daemon_threads = True

    def __init__(self, upstream_host):
        super().__init__(("127.0.0.1", 0), _Forward)
        self.upstream_host = upstream_host
        self.gate = threading.Event()
        self.requests = []
        self.held = 0
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def host(self):
        return "127.0.0.1:%d" % self.server_address[1]

    def open(self):
        self.gate.set()


class _Forward(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _forward(self):
        self.server.requests.append((self.command, self.path))
        if "tfevents" in self.path and not self.server.gate.is_set():
            self.server.held += 1
            self.server.gate.wait()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        # The Host header goes on as it came: the request's signature covers it.
        upstream = http.client.HTTPConnection(self.server.upstream_host, timeout=30)
        upstream.request(self.command, self.path, body=body, headers=dict(self.headers))
        response = upstream.getresponse()
        payload = response.read()
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", response.getheader("Content-Length") if self.command == "HEAD" else str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
        upstream.close()

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _forward

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        del format, args


def health(url, route):
    status, headers, body = server_testing.get(url + "health/" + route)
    return status, headers["Content-Type"], json.loads(body)


class HealthTest(absltest.TestCase):
    def test_ready_only_after_the_first_read_of_the_store_and_asking_reads_nothing(self):
        gated = GatedStore(store.endpoint_host)
        env = dict(os.environ, **store.environment(S3_ENDPOINT=gated.host))
        # The door is locked (--auth=token): the health routes answer without the token all the same.
        # --reload_interval=0 reads the logdir once: any later read of the store would be the routes'.
        url, process = self.enterContext(
            server_testing.serve_process("s3://%s/logs" % BUCKET, "--auth=token", "--reload_interval=0", env=env)
        )
        server_testing.wait_for(lambda: gated.held > 0)
        self.assertEqual(health(url, "ready"), (503, "application/json", {"ready": False, "state": "loading"}))
        self.assertEqual(health(url, "live"), (200, "application/json", {"live": True}))
        self.assertEqual(server_testing.get(url + "data/runs")[0], 401)

        gated.open()
        server_testing.wait_for(lambda: health(url, "ready")[0] == 200)
        self.assertEqual(health(url, "ready")[2], {"ready": True, "state": "ready"})
        read_so_far = len(gated.requests)
        for _ in range(20):
            self.assertEqual(health(url, "ready")[0], 200)
            self.assertEqual(health(url, "live")[0], 200)
        self.assertLen(gated.requests, read_so_far)
        self.assertIn("TensorBoard-X asks every request for a token", server_testing.printed(process))

    def test_the_fast_loader_is_ready_once_its_data_server_lists_runs(self):
        logdir = self.create_tempdir().full_path
        plugin_testing.write_greetings(os.path.join(logdir, "ada"), TAG, [(0, "Ada")])
        url = self.enterContext(server_testing.serve(logdir))
        server_testing.wait_for(lambda: health(url, "ready")[0] == 200)
        self.assertIn("ada", server_testing.get_json(url + "data/runs"))


if __name__ == "__main__":
    absltest.main()
