"""TensorBoard-X on logdirs in object storage, against a real S3-compatible store (SeaweedFS) on loopback."""

import json
import os
import subprocess
import time
import urllib.parse

from absl.testing import absltest

from tensorboard.compat.proto import event_pb2
from tensorboard.summary.writer import event_file_writer

from greeter_plugin import greeter_demo
from greeter_plugin import summary
from greeter_tensorboard import mega_demo
from greeter_tensorboard import object_storage
from greeter_tensorboard import server_testing
from tools.seaweedfs import seaweedfs

BUCKET = "train"
DEMO_PREFIX = "logs/demo"
GREETER = "data/plugin/greeter/"
SCALARS = "data/plugin/scalars/"

store = None
demo_dir = None


def setUpModule():
    global store, demo_dir
    root = absltest.get_default_test_tmpdir()
    demo_dir = os.path.join(root, "demo")
    os.makedirs(demo_dir)
    mega_demo.write_mega_demo(demo_dir)
    data_dir = os.path.join(root, "seaweedfs")
    os.makedirs(data_dir)
    log = os.path.join(os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR", data_dir), "seaweedfs.log")
    store = seaweedfs.SeaweedFS(data_dir, log)
    store.start()
    store.upload(demo_dir, BUCKET, DEMO_PREFIX)
    # Every server the tests start reads the store as a user would have set it up: README's variables.
    os.environ.update(store.environment())


def tearDownModule():
    store.stop()


def get_json(url):
    status, _, body = server_testing.get(url)
    if status != 200:
        raise AssertionError("%s answered %d: %r" % (url, status, body))
    return json.loads(body)


def query(**params):
    return urllib.parse.urlencode(params, doseq=True)


def write_greetings(run_dir, tag, first_step, count):
    """Appends `count` greetings to the run's one event file (a new one the first time)."""
    writer = event_file_writer.EventFileWriter(run_dir)
    for step in range(first_step, first_step + count):
        proto = summary.pb(tag, "Guest %d" % step)
        writer.add_event(event_pb2.Event(step=step, wall_time=time.time(), summary=proto))
    writer.close()


def everything_served(url):
    """The answers of the Greeter's routes and the scalars dashboard's, for every run and tag."""
    tags = get_json(url + GREETER + "tags")
    tag_names = sorted({tag for run_tags in tags.values() for tag in run_tags})
    answers = {
        "greeter tags": tags,
        "greeter tag_info": get_json(url + GREETER + "tag_info"),
        "greetings_by_tag": get_json(url + GREETER + "greetings_by_tag?" + query(tag=tag_names)),
    }
    for run, run_tags in tags.items():
        for tag in run_tags:
            answers["greetings %s %s" % (run, tag)] = get_json(url + GREETER + "greetings?" + query(run=run, tag=tag))
    scalar_tags = get_json(url + SCALARS + "tags")
    answers["scalar tags"] = scalar_tags
    for run, run_tags in scalar_tags.items():
        for tag in run_tags:
            answers["scalars %s %s" % (run, tag)] = get_json(url + SCALARS + "scalars?" + query(run=run, tag=tag))
    return answers


def wait_until_loaded(url, runs):
    server_testing.wait_for(lambda: set(get_json(url + GREETER + "tags")) >= set(runs), timeout_seconds=90)


class EndpointTest(absltest.TestCase):
    def test_tensorflow_users_host_and_port_and_boto3_users_url(self):
        self.assertEqual(object_storage.s3_endpoint_url({"S3_ENDPOINT": "minio:9000"}), "https://minio:9000")
        self.assertEqual(
            object_storage.s3_endpoint_url({"S3_ENDPOINT": "minio:9000", "S3_USE_HTTPS": "0"}), "http://minio:9000"
        )
        self.assertEqual(
            object_storage.s3_endpoint_url({"S3_ENDPOINT": "http://minio:9000", "S3_USE_HTTPS": "1"}),
            "http://minio:9000",
        )
        self.assertIsNone(object_storage.s3_endpoint_url({}))

    def test_splits_bucket_roots_and_keys(self):
        self.assertEqual(object_storage.split_s3_url("s3://train"), ("train", ""))
        self.assertEqual(object_storage.split_s3_url("s3://train/"), ("train", ""))
        self.assertEqual(object_storage.split_s3_url("s3://train/logs/run"), ("train", "logs/run"))


class S3LogdirTest(absltest.TestCase):
    def test_serves_the_bucket_as_the_local_copy_without_tensorflow(self):
        remote_url, process = self.enterContext(
            server_testing.serve_process("s3://%s/%s" % (BUCKET, DEMO_PREFIX))
        )
        local_url = self.enterContext(server_testing.serve(demo_dir))
        for url in (remote_url, local_url):
            wait_until_loaded(url, greeter_demo.RUNS)
            server_testing.wait_for(lambda: len(get_json(url + SCALARS + "tags")) == len(mega_demo.TRAINING_RUNS))
        # The Python loader lists a run from its first record on, the fast loader a long tag from its
        # first block: a run listed on both sides may still be read on. Once the wait is over, alike
        # or not, the comparison names each route that differs.
        try:
            server_testing.wait_for(lambda: everything_served(remote_url) == everything_served(local_url), timeout_seconds=90)
        except AssertionError:
            pass
        remote, local = everything_served(remote_url), everything_served(local_url)
        self.assertEqual(remote.keys(), local.keys())
        for route in remote:
            self.assertEqual(remote[route], local[route], route)
        # The fast loader reads a copy of the bucket's event files (bucket_mirror).
        self.assertIn("reads s3://%s/%s with the fast loader" % (BUCKET, DEMO_PREFIX), server_testing.printed(process))
        self.assertFalse(server_testing.has_loaded_tensorflow(server_testing.server_process(remote_url)))

    def test_a_run_uploaded_while_serving_appears_and_a_grown_file_is_read_on(self):
        local = self.create_tempdir().full_path
        write_greetings(os.path.join(local, "first"), "arrivals", 0, 3)
        store.upload(local, BUCKET, "logs/live")
        url = self.enterContext(server_testing.serve("s3://%s/logs/live" % BUCKET, "--reload_interval=1"))
        wait_until_loaded(url, ["first"])

        write_greetings(os.path.join(local, "second"), "arrivals", 0, 2)
        store.upload(os.path.join(local, "second"), BUCKET, "logs/live/second")
        wait_until_loaded(url, ["first", "second"])

        # A sync tool uploads an event file again as it grows: the same key, more records.
        (first_file,) = os.listdir(os.path.join(local, "first"))
        with open(os.path.join(local, "first", first_file), "ab") as grown:
            extra = self.create_tempdir().full_path
            write_greetings(extra, "arrivals", 3, 2)
            (extra_file,) = os.listdir(extra)
            with open(os.path.join(extra, extra_file), "rb") as records:
                grown.write(records.read())
        store.upload(os.path.join(local, "first"), BUCKET, "logs/live/first")
        greetings = GREETER + "greetings?" + query(run="first", tag="arrivals")
        steps = server_testing.wait_for(lambda: [g["step"] for g in get_json(url + greetings)] == list(range(5)))
        self.assertTrue(steps)

    def test_a_bucket_root_and_a_logdir_spec_mixing_local_and_remote(self):
        local = self.create_tempdir().full_path
        write_greetings(os.path.join(local, "nearby"), "arrivals", 0, 1)
        remote = self.create_tempdir().full_path
        write_greetings(os.path.join(remote, "far"), "arrivals", 0, 1)
        store.upload(remote, "rootbucket", "")
        spec = "here:%s,there:s3://rootbucket" % local
        with server_testing.serve_process("", "--logdir_spec=" + spec) as (url, process):
            wait_until_loaded(url, ["here/nearby", "there/far"])
            self.assertIn("the fast loader reads no --logdir_spec", server_testing.printed(process))


class OutageTest(absltest.TestCase):
    def test_serves_what_was_loaded_while_the_endpoint_is_away_and_loads_again_after(self):
        local = self.create_tempdir().full_path
        write_greetings(os.path.join(local, "before"), "arrivals", 0, 3)
        store.upload(local, BUCKET, "logs/outage")
        url, process = self.enterContext(
            server_testing.serve_process("s3://%s/logs/outage" % BUCKET, "--reload_interval=1")
        )
        greetings = GREETER + "greetings?" + query(run="before", tag="arrivals")
        wait_until_loaded(url, ["before"])

        def every_greeting_written():
            served = get_json(url + greetings)
            return served if [g["step"] for g in served] == [0, 1, 2] else None

        loaded = server_testing.wait_for(every_greeting_written)

        store.stop()
        try:
            server_testing.wait_for(lambda: "Cannot list s3://%s/logs/outage" % BUCKET in server_testing.printed(process))
            self.assertEqual(get_json(url + greetings), loaded)
            self.assertEqual(list(get_json(url + GREETER + "tags")), ["before"])
            # Every dashboard keeps answering, not only the Greeter's.
            self.assertEqual(get_json(url + SCALARS + "tags"), {})
            self.assertIn("before", get_json(url + "data/runs"))
        finally:
            store.start()

        after = self.create_tempdir().full_path
        write_greetings(after, "arrivals", 0, 1)
        store.upload(after, BUCKET, "logs/outage/after")
        wait_until_loaded(url, ["before", "after"])
        self.assertNotIn("Traceback", server_testing.printed(process))


class StartupErrorsTest(absltest.TestCase):
    def start(self, logdir, **environment):
        """Runs TensorBoard-X on `logdir` with the store's variables changed; returns what it did."""
        env = dict(os.environ, **environment)
        return subprocess.run(
            [server_testing.BINARY, "--logdir=" + logdir, "--port=0"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def assert_fails_with_one_line(self, result, expected):
        self.assertNotEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        lines = [line for line in result.stderr.splitlines() if line.startswith("TensorBoard-X: ")]
        self.assertLen(lines, 1, result.stderr)
        self.assertIn(expected, lines[0])

    def test_a_bucket_that_does_not_exist(self):
        result = self.start("s3://no-such-bucket/logs")
        self.assert_fails_with_one_line(result, "bucket 'no-such-bucket' does not exist at the S3 endpoint http://")

    def test_wrong_credentials(self):
        result = self.start("s3://%s/%s" % (BUCKET, DEMO_PREFIX), AWS_SECRET_ACCESS_KEY="not-the-secret")
        self.assert_fails_with_one_line(result, "refused the credentials for bucket 'train'")

    def test_an_endpoint_that_does_not_answer(self):
        closed = "127.0.0.1:%d" % seaweedfs.free_port()
        result = self.start("s3://%s/%s" % (BUCKET, DEMO_PREFIX), S3_ENDPOINT=closed)
        self.assert_fails_with_one_line(result, "the S3 endpoint http://%s does not answer" % closed)


if __name__ == "__main__":
    absltest.main()
