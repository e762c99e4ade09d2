"""A GCS API server on loopback, for tests: gcp-storage-emulator (PyPI, pinned in the lock).

Google ships no emulator for Cloud Storage. gcp-storage-emulator serves the subset of its JSON API
that gcsfs uses (buckets, listings with prefixes and delimiters, ranged reads, uploads), keeps what
it stores on disk across a restart, and is reached by setting `STORAGE_EMULATOR_HOST`, which gcsfs
and Google's client libraries read. It checks no credentials.
"""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

from gcsfs import core as gcsfs_core

from tools.seaweedfs import seaweedfs


class GCSEmulator:
    """One emulator process on a loopback port; `start()` and `stop()` may be called again, and a
    restart serves what was stored before, as a store that went away and came back would."""

    def __init__(self, data_dir, log_path=None):
        self.data_dir = data_dir
        self.log_path = log_path or os.path.join(data_dir, "gcs_emulator.log")
        self.endpoint_url = "http://127.0.0.1:%d" % seaweedfs.free_port()
        self._process = None

    def environment(self):
        """The variable a user sets to read gs:// from this emulator rather than from Google."""
        return {"STORAGE_EMULATOR_HOST": self.endpoint_url}

    def start(self, timeout_seconds=30):
        """Starts the emulator and waits until it answers."""
        port = self.endpoint_url.rpartition(":")[2]
        command = [sys.executable, "-m", "gcp_storage_emulator", "--data-dir", self.data_dir]
        command += ["start", "--host", "127.0.0.1", "--port", port]
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError("the GCS emulator exited with %d; see %s" % (self._process.returncode, self.log_path))
            try:
                urllib.request.urlopen(self.endpoint_url + "/storage/v1/b", timeout=2)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the GCS emulator did not answer in %d s; see %s" % (timeout_seconds, self.log_path))

    def stop(self):
        """Stops the emulator; what it stored stays in `data_dir`."""
        if self._process is not None:
            seaweedfs.stop_process(self._process)
            self._process = None

    def filesystem(self):
        """A gcsfs filesystem on this emulator, made anew (gcsfs caches listings in its instances).

        gcsfs's core filesystem: the one `gcsfs` exports by default first asks a gRPC API that the
        emulator does not serve for each bucket's layout, a minute each time.
        """
        return gcsfs_core.GCSFileSystem(endpoint_url=self.endpoint_url, token="anon", skip_instance_cache=True)

    def upload(self, local_dir, bucket, prefix):
        """Uploads every file under `local_dir` to `gs://bucket/prefix/...`, creating the bucket."""
        fs = self.filesystem()
        if not fs.exists(bucket):
            fs.mkdir(bucket)
        for root, _, files in os.walk(local_dir):
            for name in files:
                path = os.path.join(root, name)
                key = "/".join(part for part in (prefix, os.path.relpath(path, local_dir)) if part)
                fs.put_file(path, "%s/%s" % (bucket, key))
