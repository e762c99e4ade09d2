"""Three TensorBoard-X replicas on one s3:// logdir behind haproxy (deploy/haproxy.cfg, as documented).

16 clients read through the balancer while a writer adds greetings; one replica is SIGKILLed and
another restarted with SIGTERM, each started again as a supervisor would: no client request fails,
and at the end every replica serves every greeting written.
"""

import http.client
import os
import shutil
import signal
import subprocess
import threading
import time

from absl.testing import absltest

from tensorboard.compat.proto import event_pb2
from tensorboard.summary.writer import event_file_writer

from greeter_plugin import summary
from greeter_tensorboard import server_testing
from tools.seaweedfs import seaweedfs

# Debian installs it in /usr/sbin, which a test's PATH may leave out.
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
HAPROXY_CFG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "haproxy.cfg")
BUCKET = "team"
LOGDIR = "s3://%s/logs" % BUCKET
RUN, TAG = "live", "arrivals"
TOKEN = "replicas-share-one-token"
CLIENTS = 16
LOAD_SECONDS = 30
# Under the Greeter's 100 samples a tag: every greeting written stays to be served.
WRITE_EVERY_SECONDS = 0.5
GREETINGS = "data/plugin/greeter/greetings?run=%s&tag=%s" % (RUN, TAG)
# What a team's browsers ask: the page, the run list, the Greeter's tags and greetings.
ROUTES = ("index.html", "data/runs", "data/plugin/greeter/tags", GREETINGS)


class Writer:
    """Adds a greeting to one event file every WRITE_EVERY_SECONDS and uploads it again, as a sync tool does."""

    def __init__(self, store, local_dir):
        self.store = store
        self.run_dir = os.path.join(local_dir, RUN)
        self.writer = event_file_writer.EventFileWriter(self.run_dir)
        self.written = 0

    def add(self):
        event = event_pb2.Event(step=self.written, wall_time=time.time(), summary=summary.pb(TAG, "Guest %d" % self.written))
        self.writer.add_event(event)
        self.writer.flush()
        self.store.upload(self.run_dir, BUCKET, "logs/" + RUN)
        self.written += 1

    def run_until(self, stop):
        while not stop.wait(WRITE_EVERY_SECONDS):
            self.add()
        self.writer.close()


class Clients:
    """CLIENTS threads that GET the routes through the balancer, on keep-alive connections, until stopped."""

    def __init__(self, port):
        self.port = port
        self.answered = 0
        self.failures = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._read, args=(i,)) for i in range(CLIENTS)]

    def _read(self, index):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        turn = index
        while not self.stop.is_set():
            route = ROUTES[turn % len(ROUTES)]
            turn += 1
            try:
                connection.request("GET", "/" + route, headers={"Authorization": "token " + TOKEN})
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    self.answered += 1
                    continue
                self.failures.append("%s: %d" % (route, response.status))
            except (OSError, http.client.HTTPException) as e:
                self.failures.append("%s: %r" % (route, e))
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        for thread in self.threads:
            thread.join()


class ReplicasTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        root = self.create_tempdir().full_path
        outputs = os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR", root)
        os.makedirs(os.path.join(root, "seaweedfs"))
        self.store = self.enterContext(
            seaweedfs.running(os.path.join(root, "seaweedfs"), os.path.join(outputs, "seaweedfs.log"))
        )
        self.writer = Writer(self.store, os.path.join(root, "local"))
        self.writer.add()  # The bucket and the run exist before the replicas start.
        self.token_file = self.create_tempfile(content=TOKEN).full_path
        self.env = dict(os.environ, **self.store.environment())
        self.outputs = outputs

    def start_replica(self, port):
        """A replica as the documented command line starts it; returns its process."""
        _, process = self.enterContext(
            server_testing.serve_process(
                LOGDIR,
                "--port=%d" % port,
                "--host=127.0.0.1",
                "--token_file=" + self.token_file,
                "--reload_interval=1",
                env=self.env,
            )
        )
        return process

    def start_haproxy(self, listen_port, replica_ports):
        env = dict(os.environ, TB_LISTEN="127.0.0.1:%d" % listen_port)
        env.update(("TB%d" % (i + 1), "127.0.0.1:%d" % port) for i, port in enumerate(replica_ports))
        log = open(os.path.join(self.outputs, "haproxy.log"), "ab")
        self.addCleanup(log.close)
        process = subprocess.Popen([HAPROXY, "-db", "-f", HAPROXY_CFG], env=env, stdout=log, stderr=subprocess.STDOUT)

        def stop():
            process.terminate()
            process.wait(timeout=10)

        self.addCleanup(stop)
        url = "http://127.0.0.1:%d/" % listen_port

        def listens():
            if process.poll() is not None:
                raise AssertionError("haproxy exited with %d; see haproxy.log" % process.returncode)
            try:
                return server_testing.get(url + "health/live", timeout_seconds=5)[0] == 200
            except OSError:  # Not listening yet.
                return False

        server_testing.wait_for(listens, timeout_seconds=30)
        return url

    def test_no_request_fails_while_a_replica_is_killed_and_another_restarted(self):
        ports = seaweedfs.free_ports(3)
        replicas = [self.start_replica(port) for port in ports]
        # Every replica read the logdir once: haproxy sends them requests.
        for port in ports:
            server_testing.wait_for(lambda: server_testing.get("http://127.0.0.1:%d/health/ready" % port)[0] == 200, timeout_seconds=90)
        balancer_port = seaweedfs.free_port()
        self.start_haproxy(balancer_port, ports)
        time.sleep(2.5)  # haproxy's checks (rise 2, every 1 s) have seen each replica up.

        stop_writing = threading.Event()
        writer = threading.Thread(target=self.writer.run_until, args=(stop_writing,))
        writer.start()
        with Clients(balancer_port) as clients:
            time.sleep(LOAD_SECONDS / 3)
            replicas[0].kill()
            replicas[0].wait()
            replicas[0] = self.start_replica(ports[0])
            time.sleep(LOAD_SECONDS / 3)
            replicas[1].send_signal(signal.SIGTERM)
            self.assertEqual(replicas[1].wait(timeout=30), 0)
            replicas[1] = self.start_replica(ports[1])
            time.sleep(LOAD_SECONDS / 3)
        stop_writing.set()
        writer.join()

        self.assertEqual(clients.failures, [])
        self.assertGreater(clients.answered, 100)
        written = list(range(self.writer.written))
        self.assertGreater(len(written), LOAD_SECONDS)
        for port in ports:
            url = "http://127.0.0.1:%d/%s&token=%s" % (port, GREETINGS, TOKEN)
            with self.subTest(port=port):
                server_testing.wait_for(lambda: [g["step"] for g in server_testing.get_json(url)] == written, timeout_seconds=60)


if __name__ == "__main__":
    absltest.main()
