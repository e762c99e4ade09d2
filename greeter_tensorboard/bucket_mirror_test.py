"""How TensorBoard-X reads an s3:// logdir (bucket_mirror), against SeaweedFS on loopback: runs shown as
they are read, reloads that cost what changed, and failures that cost only their run.

The requests the server sends are counted, and delayed where a test needs a slow store, by a proxy
in front of the store (tools/seaweedfs/proxy.py).
"""

import json
import os
import re
import time
import urllib.parse
from unittest import mock

from absl.testing import absltest

from greeter_plugin import sweep_demo
from greeter_tensorboard import bucket_mirror
from greeter_tensorboard import object_storage
from greeter_tensorboard import server_testing
from tools.seaweedfs import proxy
from tools.seaweedfs import seaweedfs

BUCKET = "sweeps"
TAG = sweep_demo.tag_name(0)
# An identity that may list the bucket and read every run of REFUSED_PREFIX but REFUSED_RUN.
REFUSED_PREFIX = "refused"
REFUSED_RUNS = 10
REFUSED_RUN = sweep_demo.run_name(4)
NARROW_KEY, NARROW_SECRET = "narrow", "narrow-secret"
NARROW_IDENTITY = {
    "name": "narrow",
    "credentials": [{"accessKey": NARROW_KEY, "secretKey": NARROW_SECRET}],
    "actions": ["List:" + BUCKET]
    + [
        "Read:%s/%s/%s/*" % (BUCKET, REFUSED_PREFIX, sweep_demo.run_name(run))
        for run in range(REFUSED_RUNS)
        if sweep_demo.run_name(run) != REFUSED_RUN
    ],
}

store = None


def setUpModule():
    global store
    data_dir = os.path.join(absltest.get_default_test_tmpdir(), "seaweedfs")
    os.makedirs(data_dir)
    log = os.path.join(os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR", data_dir), "seaweedfs.log")
    store = seaweedfs.SeaweedFS(data_dir, log, identities=[NARROW_IDENTITY])
    store.start()


def tearDownModule():
    store.stop()


def upload_sweep(test, prefix, runs, steps=3):
    """Writes a sweep of `runs` runs and uploads it under `prefix`; returns the local logdir."""
    logdir = test.create_tempdir().full_path
    sweep_demo.write_sweep(logdir, runs, steps, 1)
    store.upload(logdir, BUCKET, prefix)
    return logdir


def through(counting_proxy, **environment):
    """The server's environment: the store's, reached through `counting_proxy`."""
    return dict(os.environ, **store.environment(S3_ENDPOINT=counting_proxy.endpoint_host, **environment))


def greetings(url, run):
    """The steps of `run`'s greetings; none while the run is not read yet (404)."""
    query = urllib.parse.urlencode({"run": run, "tag": TAG})
    status, _, body = server_testing.get(url + "data/plugin/greeter/greetings?" + query)
    return [g["step"] for g in json.loads(body)] if status == 200 else []


def served_runs(url):
    return set(server_testing.get_json(url + "data/plugin/greeter/tags"))


class RunsAppearAsReadTest(absltest.TestCase):
    def test_the_run_list_grows_while_the_logdir_is_read(self):
        runs = 30
        upload_sweep(self, "growing", runs)
        every_run = {sweep_demo.run_name(run) for run in range(runs)}
        # A slow store, read one object at a time: reading every run takes seconds.
        with proxy.CountingProxy(store.endpoint_host, delay_seconds=0.1) as slow:
            url = self.enterContext(
                server_testing.serve(
                    "s3://%s/growing" % BUCKET, "--s3_requests_in_flight=1", env=through(slow)
                )
            )
            seen = []

            def every_run_listed():
                listed = set(server_testing.get_json(url + "data/runs"))
                seen.append(len(listed))
                return listed == every_run

            server_testing.wait_for(every_run_listed, timeout_seconds=90)
        partial = [count for count in seen if 0 < count < runs]
        self.assertTrue(partial, "the run list went from empty to all %d runs at once: %s" % (runs, seen))
        self.assertEqual(served_runs(url), every_run)
        environment = server_testing.get_json(url + "data/environment")
        self.assertEqual(environment["data_location"], "s3://%s/growing" % BUCKET)


class PythonLoaderTest(absltest.TestCase):
    def test_load_fast_false_reads_the_copy_with_the_python_loader(self):
        upload_sweep(self, "python", 3)
        url, process = self.enterContext(
            server_testing.serve_process(
                "s3://%s/python" % BUCKET, "--load_fast=false", env=dict(os.environ, **store.environment())
            )
        )
        every_run = {sweep_demo.run_name(run) for run in range(3)}
        server_testing.wait_for(lambda: served_runs(url) == every_run)
        self.assertEqual(greetings(url, sweep_demo.run_name(2)), [0, 1, 2])
        self.assertIn("reads s3://%s/python with the Python loader (--load_fast=false)" % BUCKET, server_testing.printed(process))


class ReloadCostTest(absltest.TestCase):
    def test_an_unchanged_logdir_costs_its_listing_and_a_grown_file_its_new_bytes(self):
        logdir = upload_sweep(self, "reloads", 3)
        grown_run, other_run = sweep_demo.run_name(0), sweep_demo.run_name(1)
        (event_file,) = os.listdir(os.path.join(logdir, grown_run))
        grown_key = "/%s/reloads/%s/%s" % (BUCKET, grown_run, event_file)
        first_size = os.path.getsize(os.path.join(logdir, grown_run, event_file))
        with proxy.CountingProxy(store.endpoint_host) as counting:
            url = self.enterContext(
                server_testing.serve("s3://%s/reloads" % BUCKET, "--reload_interval=1", env=through(counting))
            )
            server_testing.wait_for(lambda: greetings(url, grown_run) == [0, 1, 2])
            counting.clear()
            time.sleep(3)  # Three reloads of the unchanged logdir.
            unchanged = counting.requests()
            self.assertTrue(unchanged)
            self.assertEqual([r for r in unchanged if "list-type=2" not in r.path], [], "objects read again")

            # A sync tool uploads the event file again as it grows: the same key, more records.
            more = self.create_tempdir().full_path
            sweep_demo.write_sweep(more, 1, 5, 1)
            with open(os.path.join(more, *grown_run.split("/"), event_file), "rb") as records:
                new_records = records.read()[first_size:]
            with open(os.path.join(logdir, grown_run, event_file), "ab") as grown:
                grown.write(new_records)
            store.upload(os.path.join(logdir, grown_run), BUCKET, "reloads/" + grown_run)
            counting.clear()
            server_testing.wait_for(lambda: greetings(url, grown_run) == [0, 1, 2, 3, 4])
            reads = [r for r in counting.requests() if "list-type=2" not in r.path]
        self.assertEqual([(r.path, r.byte_range) for r in reads], [(grown_key, "bytes=%d-" % first_size)])
        self.assertEqual(greetings(url, other_run), [0, 1, 2])


class FailuresTest(absltest.TestCase):
    def test_a_run_whose_objects_are_refused_costs_only_that_run(self):
        # In the server's process: start-up checks the bucket with a request that this identity, which
        # may read the logdir's runs but one, is refused (issue 19, item 1).
        upload_sweep(self, REFUSED_PREFIX, REFUSED_RUNS)
        readable = {sweep_demo.run_name(run) for run in range(REFUSED_RUNS)} - {REFUSED_RUN}
        narrow = store.environment(AWS_ACCESS_KEY_ID=NARROW_KEY, AWS_SECRET_ACCESS_KEY=NARROW_SECRET)
        storage = object_storage.S3Storage(narrow)
        with mock.patch.dict(os.environ, narrow):
            storage.client()
        local_dir = self.create_tempdir().full_path
        mirror = bucket_mirror.BucketMirror("s3://%s/%s" % (BUCKET, REFUSED_PREFIX), local_dir, storage)
        with self.assertLogs(bucket_mirror.logger, "WARNING") as logs:
            self.assertEqual(mirror.sync(), len(readable))
            self.assertEqual(mirror.sync(), 0)  # Refused again: said once.
        (warning,) = logs.output
        self.assertIn("Cannot read run %r" % REFUSED_RUN, warning)
        self.assertIn("AccessDenied", warning)
        copied = {os.path.relpath(root, local_dir) for root, _, files in os.walk(local_dir) if files}
        self.assertEqual(copied, readable)

    def test_an_object_deleted_while_it_is_read_costs_only_its_run(self):
        runs = 5
        upload_sweep(self, "deleted", runs)
        deleted_run = sweep_demo.run_name(2)
        client = store.client()

        def delete_before_it_is_read(request):
            if request.method == "GET" and "/deleted/%s/" % deleted_run in request.path:
                key = urllib.parse.unquote(request.path.split("/", 2)[2])
                client.delete_object(Bucket=BUCKET, Key=key)

        with proxy.CountingProxy(store.endpoint_host) as deleting:
            deleting.before_forwarding = delete_before_it_is_read
            url, process = self.enterContext(
                server_testing.serve_process("s3://%s/deleted" % BUCKET, env=through(deleting))
            )
            others = {sweep_demo.run_name(run) for run in range(runs)} - {deleted_run}
            server_testing.wait_for(lambda: served_runs(url) == others)
        self.assertNotIn("Traceback", server_testing.printed(process))


class OutageTest(absltest.TestCase):
    def test_an_endpoint_that_went_away_costs_one_line_a_reload(self):
        runs = 5
        upload_sweep(self, "outage", runs)
        every_run = {sweep_demo.run_name(run) for run in range(runs)}
        with proxy.CountingProxy(store.endpoint_host) as counting:
            url, process = self.enterContext(
                server_testing.serve_process("s3://%s/outage" % BUCKET, "--reload_interval=1", env=through(counting))
            )
            server_testing.wait_for(lambda: served_runs(url) == every_run)
            before = len(server_testing.printed(process))
        # The proxy is gone: every request to the endpoint is refused, for four reloads.
        away_for = 4
        time.sleep(away_for)
        printed = server_testing.printed(process)[before:]
        lines = [line for line in printed.splitlines() if line.strip()]
        self.assertTrue(lines, "nothing said of the outage")
        self.assertLessEqual(len(lines), away_for + 1, printed)
        for line in lines:
            self.assertTrue(re.search(r"Cannot list s3://%s/outage\b" % BUCKET, line), line)
        self.assertEqual(served_runs(url), every_run)


if __name__ == "__main__":
    absltest.main()
