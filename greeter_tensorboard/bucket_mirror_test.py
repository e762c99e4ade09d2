"""How TensorBoard-X reads an s3:// logdir (bucket_mirror), against SeaweedFS on loopback: runs shown as
they are read, reloads that cost what changed, and failures that cost only their run.

The requests the server sends are counted, and delayed where a test needs a slow store, by a proxy
in front of the store (tools/seaweedfs/proxy.py).
"""

import argparse
import errno
import json
import os
import re
import time
import urllib.parse
from unittest import mock

import botocore.exceptions
from absl.testing import absltest
from tensorboard.compat.tensorflow_stub.io import gfile

from greeter_plugin import sweep_demo
from greeter_tensorboard import bucket_mirror
from greeter_tensorboard import object_storage
from greeter_tensorboard import projector_scan
from greeter_tensorboard import server_testing
from tools.seaweedfs import proxy
from tools.seaweedfs import seaweedfs

BUCKET = "sweeps"
TAG = sweep_demo.tag_name(0)
# An identity that may list REFUSED_PREFIX (not the bucket) and read every run below it but REFUSED_RUN.
REFUSED_PREFIX = "refused"
REFUSED_RUNS = 10
REFUSED_RUN = sweep_demo.run_name(4)
NARROW_KEY, NARROW_SECRET = "narrow", "narrow-secret"
NARROW_IDENTITY = {
    "name": "narrow",
    "credentials": [{"accessKey": NARROW_KEY, "secretKey": NARROW_SECRET}],
    "actions": ["List:%s/%s/*" % (BUCKET, REFUSED_PREFIX)]
    + [
        "Read:%s/%s/%s/*" % (BUCKET, REFUSED_PREFIX, sweep_demo.run_name(run))
        for run in range(REFUSED_RUNS)
        if sweep_demo.run_name(run) != REFUSED_RUN
    ],
}

# How long a reload against an endpoint that never answers may take (README, object storage): two
# attempts of a 10 s read timeout, a retry's backoff, the 1 s between reloads, and slack.
SILENT_RELOAD_SECONDS = 25

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


def grow(test, logdir, prefix, run):
    """Adds steps 3 and 4 to `run` of a 3-step sweep at `logdir` and uploads its event file again, as a
    sync tool does while a run trains (the same key, more records); returns (its key's path at the
    store, its size before)."""
    (event_file,) = os.listdir(os.path.join(logdir, run))
    path = os.path.join(logdir, run, event_file)
    first_size = os.path.getsize(path)
    more = test.create_tempdir().full_path
    sweep_demo.write_sweep(more, 1, 5, 1)
    with open(os.path.join(more, *run.split("/"), event_file), "rb") as records:
        new_records = records.read()[first_size:]
    with open(path, "ab") as grown:
        grown.write(new_records)
    store.upload(os.path.join(logdir, run), BUCKET, "%s/%s" % (prefix, run))
    return "/%s/%s/%s/%s" % (BUCKET, prefix, run, event_file), first_size


def delete_run(prefix, run):
    """Deletes every object of `run` under `prefix` from the store, as a user cleaning a sweep does."""
    client = store.client()
    listing = client.list_objects_v2(Bucket=BUCKET, Prefix="%s/%s/" % (prefix, run))
    for listed in listing["Contents"]:
        client.delete_object(Bucket=BUCKET, Key=listed["Key"])


def copied_runs(local_dir):
    """The runs whose event files are in the local copy at `local_dir`."""
    return {
        os.path.relpath(directory, local_dir)
        for directory, _, names in os.walk(local_dir)
        if any(bucket_mirror.is_event_file(name) for name in names)
    }


def object_reads(counting_proxy):
    """The requests `counting_proxy` forwarded that were not listings, as (path, Range header)."""
    return [(r.path, r.byte_range) for r in counting_proxy.requests() if "list-type=2" not in r.path]


def through(counting_proxy, **environment):
    """The server's environment: the store's, reached through `counting_proxy`."""
    return dict(os.environ, **store.environment(S3_ENDPOINT=counting_proxy.endpoint_host, **environment))


def start_flags(prefix, **overrides):
    """TensorBoard-X's flags at their defaults, for bucket_mirror.start on s3://BUCKET/prefix."""
    flags = dict(
        logdir="s3://%s/%s" % (BUCKET, prefix),
        reload_task="auto",
        reload_interval=60,
        s3_requests_in_flight=bucket_mirror.DEFAULT_REQUESTS_IN_FLIGHT,
        s3_cache_dir="",
        load_fast="auto",
    )
    flags.update(overrides)
    return argparse.Namespace(**flags)


def greetings(url, run):
    """The steps of `run`'s greetings; none while the run is not read yet (404)."""
    query = urllib.parse.urlencode({"run": run, "tag": TAG})
    status, _, body = server_testing.get(url + "data/plugin/greeter/greetings?" + query)
    return [g["step"] for g in json.loads(body)] if status == 200 else []


def served_runs(url):
    return set(server_testing.get_json(url + "data/plugin/greeter/tags"))


class _UnreachableStore:
    """A storage whose client cannot reach its endpoint."""

    def client(self):
        raise botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:9")


class CopyStateTest(absltest.TestCase):
    def test_a_sync_that_cannot_list_leaves_the_copy_unfinished(self):
        mirror = bucket_mirror.BucketMirror("s3://b/logs", self.create_tempdir().full_path, _UnreachableStore())
        mirror.keep_in_step(reload_interval=0).join(30)  # One sync, in the thread that keeps the copy.
        # /health/ready waits for this: a replica whose store did not answer must take no traffic.
        self.assertFalse(mirror.first_sync_done.is_set())

    def test_keys_that_name_one_file_twice_are_not_copied(self):
        mirror = bucket_mirror.BucketMirror("s3://b/logs", self.create_tempdir().full_path, _UnreachableStore())
        for key in ("logs/run//events.out.tfevents.1", "logs/run/./events.out.tfevents.1", "logs/../events.out.tfevents.1"):
            with self.subTest(key=key):
                self.assertIsNone(mirror._local_path(key))  # pylint: disable=protected-access
        self.assertIsNotNone(mirror._local_path("logs/run/events.out.tfevents.1"))  # pylint: disable=protected-access


class BlockingStartTest(absltest.TestCase):
    def test_the_blocking_first_read_is_the_only_one_until_the_reload_interval(self):
        upload_sweep(self, "blocking", 2)
        with proxy.CountingProxy(store.endpoint_host) as counting:
            self.enterContext(mock.patch.dict(os.environ, store.environment(S3_ENDPOINT=counting.endpoint_host)))
            object_storage.install()
            mirror = bucket_mirror.start(start_flags("blocking", reload_task="blocking"))
            self.assertTrue(mirror.first_sync_done.is_set())
            copied = [name for _, _, names in os.walk(mirror.local_dir) for name in names]
            self.assertLen(copied, 2)  # Each run's event file.
            time.sleep(2)
            listings = [r for r in counting.requests() if "list-type=2" in r.path]
        self.assertLen(listings, 1)


class FastLoaderStartTest(absltest.TestCase):
    def test_the_fast_loader_starts_once_a_first_run_is_copied(self):
        upload_sweep(self, "first_scan", 2)
        # A store across a network: the first file arrives after a listing and a GET, 0.1 s each.
        with proxy.CountingProxy(store.endpoint_host, delay_seconds=0.1) as slow:
            self.enterContext(mock.patch.dict(os.environ, store.environment(S3_ENDPOINT=slow.endpoint_host)))
            object_storage.install()
            mirror = bucket_mirror.start(start_flags("first_scan", s3_requests_in_flight=1))
            # The fast loader's first scan, which comes next, finds a run to show.
            copied = [name for _, _, names in os.walk(mirror.local_dir) for name in names]
        self.assertNotEqual(copied, [])

    def test_only_the_first_runs_are_read_until_the_server_serves(self):
        first_runs = bucket_mirror.READS_BEFORE_SERVING
        runs = first_runs + 12
        upload_sweep(self, "before_serving", runs)
        self.enterContext(mock.patch.dict(os.environ, store.environment()))
        object_storage.install()
        mirror = bucket_mirror.start(start_flags("before_serving"))
        server_testing.wait_for(lambda: len(copied_runs(mirror.local_dir)) >= first_runs)
        # Time to read the rest on loopback: their reads would take the GIL from the server's start-up.
        time.sleep(1)
        self.assertLen(copied_runs(mirror.local_dir), first_runs)
        mirror.serving()
        self.assertTrue(mirror.first_sync_done.wait(30))
        self.assertLen(copied_runs(mirror.local_dir), runs)


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
        with proxy.CountingProxy(store.endpoint_host) as counting:
            url = self.enterContext(
                server_testing.serve("s3://%s/reloads" % BUCKET, "--reload_interval=1", env=through(counting))
            )
            server_testing.wait_for(lambda: greetings(url, grown_run) == [0, 1, 2])
            counting.clear()
            time.sleep(3)  # Three reloads of the unchanged logdir.
            self.assertTrue(counting.requests())
            self.assertEqual(object_reads(counting), [], "objects read again")

            counting.clear()
            grown_key, first_size = grow(self, logdir, "reloads", grown_run)
            server_testing.wait_for(lambda: greetings(url, grown_run) == [0, 1, 2, 3, 4])
            reads = object_reads(counting)
        self.assertEqual(reads, [(grown_key, "bytes=%d-" % first_size)])
        self.assertEqual(greetings(url, other_run), [0, 1, 2])


class ProjectorLookTest(absltest.TestCase):
    def test_the_projector_asks_the_store_nothing_until_a_listing_holds_its_files(self):
        upload_sweep(self, "projector", 3)
        with proxy.CountingProxy(store.endpoint_host) as counting:
            url = self.enterContext(
                server_testing.serve("s3://%s/projector" % BUCKET, "--reload_interval=1", env=through(counting))
            )
            server_testing.wait_for(lambda: len(served_runs(url)) == 3)
            # Past a reload interval and a look's delay after start-up's asks, a page opens: TensorBoard's
            # projector would look for a checkpoint and a config in each run.
            time.sleep(4)
            counting.clear()
            self.assertFalse(server_testing.get_json(url + "data/plugins_listing")["projector"]["enabled"])
            time.sleep(3)
            # The projector's look-ups are listings and reads of a run's own keys: only the copy's
            # listings of the whole logdir remain.
            others = [r.path for r in counting.requests() if not r.lists_prefix("projector")]
            self.assertEqual(others, [], "requests to the store beside the logdir's listings")

            # A projector config arrives at the logdir's root. Once a listing holds it, the next page
            # that opens starts a look, which reads it.
            config = self.create_tempdir()
            config.create_file("projector_config.pbtxt", 'embeddings { tensor_name: "points" }\n')
            store.upload(config.full_path, BUCKET, "projector")

            def config_read():
                server_testing.get_json(url + "data/plugins_listing")
                return any(path.endswith("/projector_config.pbtxt") for path, _ in object_reads(counting))

            server_testing.wait_for(config_read)

    def test_a_page_opened_while_the_first_copy_is_read_costs_the_store_no_look(self):
        upload_sweep(self, "projector_start", 80)
        # 72 runs are read after the server serves, 4 at a time, half a second each: the projector's
        # look, due 2 s after the page asks, comes while they are read.
        with proxy.CountingProxy(store.endpoint_host, delay_seconds=0.5) as slow:
            url = self.enterContext(
                server_testing.serve("s3://%s/projector_start" % BUCKET, "--s3_requests_in_flight=4", env=through(slow))
            )
            server_testing.get_json(url + "data/plugins_listing")
            server_testing.wait_for(lambda: len(served_runs(url)) == 80)
            time.sleep(projector_scan.DELAY_SECONDS + 1)
            others = [r.path for r in slow.requests() if "tfevents" not in r.path and not r.lists_prefix("projector_start")]
        self.assertEqual(others, [], "requests to the store beside the copy's")


class RestartTest(absltest.TestCase):
    def test_a_restarted_server_with_a_cache_dir_reads_only_what_changed_while_it_was_down(self):
        runs = 3
        logdir = upload_sweep(self, "restarts", runs)
        grown_run = sweep_demo.run_name(0)
        cache = self.create_tempdir().full_path
        serving = ("s3://%s/restarts" % BUCKET, "--s3_cache_dir=%s" % cache)
        with proxy.CountingProxy(store.endpoint_host) as counting:
            with server_testing.serve(*serving, env=through(counting)) as url:
                server_testing.wait_for(lambda: greetings(url, sweep_demo.run_name(runs - 1)) == [0, 1, 2])
                self.assertLen(object_reads(counting), runs)
            grown_key, first_size = grow(self, logdir, "restarts", grown_run)
            counting.clear()
            with server_testing.serve(*serving, env=through(counting)) as url:
                server_testing.wait_for(lambda: server_testing.get(url + "health/ready")[0] == 200)
                server_testing.wait_for(lambda: greetings(url, grown_run) == [0, 1, 2, 3, 4])
                self.assertEqual(greetings(url, sweep_demo.run_name(runs - 1)), [0, 1, 2])
                reads = object_reads(counting)
        self.assertEqual(reads, [(grown_key, "bytes=%d-" % first_size)])


class DeletionTest(absltest.TestCase):
    def test_a_run_deleted_from_the_bucket_leaves_the_routes_and_the_kept_copy(self):
        runs = 3
        every_run = {sweep_demo.run_name(run) for run in range(runs)}
        deleted_run = sweep_demo.run_name(1)
        for loader in ("auto", "false"):
            with self.subTest(load_fast=loader):
                prefix = "deletions_%s" % loader
                upload_sweep(self, prefix, runs)
                cache = self.create_tempdir().full_path
                url = self.enterContext(
                    server_testing.serve(
                        "s3://%s/%s" % (BUCKET, prefix),
                        "--reload_interval=1",
                        "--load_fast=%s" % loader,
                        "--s3_cache_dir=%s" % cache,
                        env=dict(os.environ, **store.environment()),
                    )
                )
                server_testing.wait_for(lambda: set(server_testing.get_json(url + "data/runs")) == every_run)
                delete_run(prefix, deleted_run)
                # As for a local logdir whose run directory was deleted: gone from the run list and the routes.
                server_testing.wait_for(lambda: set(server_testing.get_json(url + "data/runs")) == every_run - {deleted_run})
                self.assertEqual(served_runs(url), every_run - {deleted_run})
                query = urllib.parse.urlencode({"run": deleted_run, "tag": TAG})
                self.assertEqual(server_testing.get(url + "data/plugin/greeter/greetings?" + query)[0], 404)
                self.assertEqual(greetings(url, sweep_demo.run_name(2)), [0, 1, 2])
                (copy,) = os.listdir(cache)
                self.assertEqual(copied_runs(os.path.join(cache, copy)), every_run - {deleted_run})

    def test_a_listing_cut_short_removes_nothing(self):
        runs = 4
        upload_sweep(self, "cut", runs)
        every_run = {sweep_demo.run_name(run) for run in range(runs)}
        deleted_run = sweep_demo.run_name(0)  # The first key listed: the cut listing lacks it, and the last run.
        self.enterContext(mock.patch.object(bucket_mirror, "LISTING_PAGE_KEYS", 2))
        with proxy.CountingProxy(store.endpoint_host) as cutting:
            self.enterContext(mock.patch.dict(os.environ, store.environment(S3_ENDPOINT=cutting.endpoint_host)))
            object_storage.install()
            url = "s3://%s/cut" % BUCKET
            mirror = bucket_mirror.BucketMirror(url, self.create_tempdir().full_path, gfile.get_filesystem(url))
            self.assertEqual(mirror.sync(), runs)
            delete_run("cut", deleted_run)

            def cut_after_the_first_page(request):
                if "continuation-token=" in request.path:
                    raise ConnectionResetError("the store went away mid-listing")

            cutting.before_forwarding = cut_after_the_first_page
            mirror.sync()
            self.assertTrue(any("continuation-token=" in r.path for r in cutting.requests()), "one page only")
            self.assertEqual(copied_runs(mirror.local_dir), every_run)
            cutting.before_forwarding = None
            mirror.sync()  # A whole listing.
            self.assertEqual(copied_runs(mirror.local_dir), every_run - {deleted_run})

    def test_a_copy_that_cannot_be_removed_costs_one_line_and_is_removed_later(self):
        upload_sweep(self, "unremovable", 2)
        deleted_run = sweep_demo.run_name(0)
        self.enterContext(mock.patch.dict(os.environ, store.environment()))
        object_storage.install()
        url = "s3://%s/unremovable" % BUCKET
        mirror = bucket_mirror.BucketMirror(url, self.create_tempdir().full_path, gfile.get_filesystem(url))
        mirror.sync()
        delete_run("unremovable", deleted_run)
        remove = os.remove

        def refused(path):  # As root here, no real permission refuses it.
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)

        with mock.patch.object(os, "remove", refused):
            with self.assertLogs(bucket_mirror.logger, "WARNING") as logged:
                mirror.sync()
                mirror.sync()  # The same problem again: said once.
        (record,) = logged.records
        self.assertIsNone(record.exc_info)  # One line, no traceback.
        self.assertRegex(record.getMessage(), r"Cannot remove \S*%s\S*tfevents\S*, .*Permission denied$" % re.escape(deleted_run))
        self.assertEqual(copied_runs(mirror.local_dir), {deleted_run, sweep_demo.run_name(1)})
        self.assertIs(os.remove, remove)
        mirror.sync()
        self.assertEqual(copied_runs(mirror.local_dir), {sweep_demo.run_name(1)})


class LogdirSpecTest(absltest.TestCase):
    def test_the_s3_parts_of_a_logdir_spec_are_read_from_copies(self):
        upload_sweep(self, "spec", 2)
        local = self.create_tempdir().full_path
        sweep_demo.write_sweep(local, 1, 3, 1)
        spec = "bucket:s3://%s/spec,disk:%s" % (BUCKET, local)
        with proxy.CountingProxy(store.endpoint_host) as counting:
            url = self.enterContext(server_testing.serve("", "--logdir_spec=" + spec, "--reload_interval=1", env=through(counting)))
            every_run = {"bucket/" + sweep_demo.run_name(run) for run in range(2)} | {"disk/" + sweep_demo.run_name(0)}
            server_testing.wait_for(lambda: served_runs(url) == every_run)
            self.assertEqual(greetings(url, "bucket/" + sweep_demo.run_name(1)), [0, 1, 2])
            self.assertEqual(server_testing.get_json(url + "data/environment")["data_location"], spec)
            counting.clear()
            time.sleep(3)  # Three reloads: the loader alone would read each event file again.
            self.assertTrue(counting.requests())
            self.assertEqual(object_reads(counting), [], "objects read again")


class FailuresTest(absltest.TestCase):
    def test_a_run_whose_objects_are_refused_costs_only_that_run(self):
        upload_sweep(self, REFUSED_PREFIX, REFUSED_RUNS)
        readable = {sweep_demo.run_name(run) for run in range(REFUSED_RUNS)} - {REFUSED_RUN}
        logdir_path = "/%s/%s/" % (BUCKET, REFUSED_PREFIX)
        with proxy.CountingProxy(store.endpoint_host) as counting:
            url, process = self.enterContext(
                server_testing.serve_process(
                    "s3://%s/%s" % (BUCKET, REFUSED_PREFIX),
                    "--reload_interval=1",
                    env=through(counting, AWS_ACCESS_KEY_ID=NARROW_KEY, AWS_SECRET_ACCESS_KEY=NARROW_SECRET),
                )
            )
            server_testing.wait_for(lambda: served_runs(url) == readable)
            time.sleep(3)  # Reloads that meet the refusal again.
            requests = counting.requests()
        self.assertEqual(greetings(url, sweep_demo.run_name(REFUSED_RUNS - 1)), [0, 1, 2])
        # The reloads' listings (start-up's check asks for one entry, with a delimiter); the runs read
        # after the first: only the refused one, each time. The others came with the first pass.
        listings = [i for i, r in enumerate(requests) if "list-type=2" in r.path and "delimiter" not in r.path]
        self.assertGreaterEqual(len(listings), 2, requests)
        later = requests[listings[1] :]
        read_later = {r.path[len(logdir_path) :].rpartition("/")[0] for r in later if r.method == "GET" and r.path.startswith(logdir_path)}
        self.assertEqual(read_later, {REFUSED_RUN})
        printed = server_testing.printed(process)
        (warning,) = [line for line in printed.splitlines() if "Cannot read run" in line]  # Said once.
        self.assertIn("Cannot read run %r of s3://%s/%s" % (REFUSED_RUN, BUCKET, REFUSED_PREFIX), warning)
        self.assertIn("AccessDenied", warning)
        self.assertNotIn("cannot be listed", printed)
        self.assertNotIn("Traceback", printed)

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

    def test_a_silent_endpoint_costs_a_bounded_reload_and_one_line(self):
        upload_sweep(self, "silent", 3)
        every_run = {sweep_demo.run_name(run) for run in range(3)}
        with proxy.CountingProxy(store.endpoint_host) as endpoint:
            url, process = self.enterContext(
                server_testing.serve_process("s3://%s/silent" % BUCKET, "--reload_interval=1", env=through(endpoint))
            )
            server_testing.wait_for(lambda: served_runs(url) == every_run)
            before = len(server_testing.printed(process))
            # Accepts every connection and answers none, as an endpoint behind a network that drops packets.
            endpoint.silent = True
            silent_since = time.monotonic()
            self.assertEqual(served_runs(url), every_run)  # While the reload waits.

            def said():
                return [line for line in server_testing.printed(process)[before:].splitlines() if line.strip()]

            server_testing.wait_for(said, timeout_seconds=SILENT_RELOAD_SECONDS + 10)
            self.assertLessEqual(time.monotonic() - silent_since, SILENT_RELOAD_SECONDS)
            time.sleep(1)  # Anything else this reload says; the next one waits on the silence again.
            lines = said()
            endpoint.silent = False
            self.assertEqual(len(lines), 1, lines)
            self.assertIn("Cannot list s3://%s/silent" % BUCKET, lines[0])
            self.assertIn("did not answer within 10 s", lines[0])
            self.assertEqual(served_runs(url), every_run)

            # Answering again: the next reload reads a run uploaded meanwhile.
            upload_sweep(self, "silent/later", 1)
            server_testing.wait_for(lambda: "later/" + sweep_demo.run_name(0) in served_runs(url))
        self.assertNotIn("Traceback", server_testing.printed(process))


if __name__ == "__main__":
    absltest.main()
