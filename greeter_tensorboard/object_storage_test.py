"""TensorBoard-X on logdirs in object storage, against a real S3-compatible store (SeaweedFS) on loopback."""

import datetime
import ipaddress
import json
import os
import subprocess
import time
import urllib.parse
from unittest import mock

import boto3
import botocore.exceptions
from absl.testing import absltest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tensorboard.compat.proto import event_pb2
from tensorboard.compat.tensorflow_stub.io import gfile
from tensorboard.summary.writer import event_file_writer

from greeter_plugin import greeter_demo
from greeter_plugin import summary
from greeter_tensorboard import mega_demo
from greeter_tensorboard import object_storage
from greeter_tensorboard import server_testing
from tools.gcs_emulator import gcs_emulator
from tools.seaweedfs import proxy
from tools.seaweedfs import seaweedfs

BUCKET = "train"
DEMO_PREFIX = "logs/demo"
GREETER = "data/plugin/greeter/"
SCALARS = "data/plugin/scalars/"
# An identity that may list and read only below logs/team/ (as an AWS policy with the condition
# s3:prefix = logs/team/*), and one that may do so only elsewhere.
TEAM_PREFIX = "logs/team"
TEAM_KEYS = {"AWS_ACCESS_KEY_ID": "team", "AWS_SECRET_ACCESS_KEY": "team-secret"}
ELSEWHERE_KEYS = {"AWS_ACCESS_KEY_ID": "elsewhere", "AWS_SECRET_ACCESS_KEY": "elsewhere-secret"}
GCS_BUCKET = "train-gcs"

store = None
gcs = None
demo_dir = None
certificate_file = None


def scoped_identity(keys, prefix):
    """A SeaweedFS identity with `keys` that may list and read `BUCKET/prefix/...` and nothing else."""
    credentials = {"accessKey": keys["AWS_ACCESS_KEY_ID"], "secretKey": keys["AWS_SECRET_ACCESS_KEY"]}
    actions = ["%s:%s/%s/*" % (action, BUCKET, prefix) for action in ("List", "Read")]
    return {"name": credentials["accessKey"], "credentials": [credentials], "actions": actions}


def write_self_signed_certificate(directory):
    """Writes a certificate for 127.0.0.1 that signs itself, as a private MinIO's often does; returns
    (certificate file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    paths = os.path.join(directory, "certificate.pem"), os.path.join(directory, "key.pem")
    with open(paths[0], "wb") as f:
        f.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(paths[1], "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return paths


def setUpModule():
    global store, gcs, demo_dir, certificate_file
    root = absltest.get_default_test_tmpdir()
    outputs = os.environ.get("TEST_UNDECLARED_OUTPUTS_DIR", root)
    demo_dir = os.path.join(root, "demo")
    os.makedirs(demo_dir)
    mega_demo.write_mega_demo(demo_dir)
    data_dir = os.path.join(root, "seaweedfs")
    os.makedirs(data_dir)
    certificate = write_self_signed_certificate(root)
    certificate_file = certificate[0]
    identities = [scoped_identity(TEAM_KEYS, TEAM_PREFIX), scoped_identity(ELSEWHERE_KEYS, "logs/elsewhere")]
    store = seaweedfs.SeaweedFS(data_dir, os.path.join(outputs, "seaweedfs.log"), identities=identities, certificate=certificate)
    store.start()
    store.upload(demo_dir, BUCKET, DEMO_PREFIX)
    gcs_dir = os.path.join(root, "gcs")
    os.makedirs(gcs_dir)
    gcs = gcs_emulator.GCSEmulator(gcs_dir, os.path.join(outputs, "gcs_emulator.log"))
    gcs.start()
    gcs.upload(demo_dir, GCS_BUCKET, DEMO_PREFIX)
    # Every server the tests start reads the stores as a user would have set them up: README's variables.
    os.environ.update(store.environment())
    os.environ.update(gcs.environment())


def tearDownModule():
    store.stop()
    gcs.stop()


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


def assert_serves_as_the_local_copy(test, remote_url, local_url):
    """Asserts that the demo in object storage at `remote_url` is served as its local copy at `local_url`."""
    for url in (remote_url, local_url):
        wait_until_loaded(url, greeter_demo.RUNS)
        server_testing.wait_for(lambda: len(get_json(url + SCALARS + "tags")) == len(mega_demo.TRAINING_RUNS))
    # The Python loader lists a run from its first record on, the fast loader a long tag from its
    # first block: a run listed on both sides may still be read on. Once the wait is over, alike
    # or not, the comparison names each route that differs.
    try:
        # The Python loader reads gs:// through gcsfs a file at a time: on a loaded machine a pass over
        # the demo has been seen to take more than 90 s, and once in CI a run's last greeting was still
        # missing after 180 s.
        server_testing.wait_for(lambda: everything_served(remote_url) == everything_served(local_url), timeout_seconds=360)
    except AssertionError:
        pass
    remote, local = everything_served(remote_url), everything_served(local_url)
    test.assertEqual(remote.keys(), local.keys())
    for route in remote:
        test.assertEqual(remote[route], local[route], route)


def append_greetings(test, local_run, first_step, count):
    """Grows the run's one event file by `count` greetings, as a writer that goes on does."""
    (event_file,) = os.listdir(local_run)
    extra = test.create_tempdir().full_path
    write_greetings(extra, "arrivals", first_step, count)
    (extra_file,) = os.listdir(extra)
    with open(os.path.join(local_run, event_file), "ab") as grown, open(os.path.join(extra, extra_file), "rb") as records:
        grown.write(records.read())


class SplitTest(absltest.TestCase):
    def test_splits_bucket_roots_and_keys(self):
        self.assertEqual(object_storage.split_s3_url("s3://train"), ("train", ""))
        self.assertEqual(object_storage.split_s3_url("s3://train/"), ("train", ""))
        self.assertEqual(object_storage.split_s3_url("s3://train/logs/run"), ("train", "logs/run"))


class ExistsTest(absltest.TestCase):
    def test_an_object_or_a_directory_never_a_key_that_begins_another(self):
        store.client().put_object(Bucket=BUCKET, Key="lightning_logs/version_0/checkpoints/epoch=0.ckpt", Body=b"weights")
        object_storage.install()
        version = "s3://%s/lightning_logs/version_0/" % BUCKET
        # What TensorBoard's projector asks before it imports TensorFlow for a checkpoint.
        self.assertFalse(gfile.exists(version + "checkpoint"))
        self.assertFalse(gfile.exists(version + "checkpoints/epoch=0"))
        self.assertTrue(gfile.exists(version + "checkpoints/epoch=0.ckpt"))
        self.assertTrue(gfile.exists(version + "checkpoints"))
        self.assertTrue(gfile.exists(version + "checkpoints/"))
        self.assertTrue(gfile.exists("s3://%s" % BUCKET))
        self.assertFalse(gfile.exists("s3://no-such-bucket"))


    def test_costs_one_request_where_the_key_may_be_listed(self):
        store.client().put_object(Bucket=BUCKET, Key="costs/run/projector_config.pbtxt", Body=b"")
        store.client().put_object(Bucket=BUCKET, Key="costs/run/checkpoint-1", Body=b"")
        with proxy.CountingProxy(store.endpoint_host) as counting:
            storage = object_storage.S3Storage(store.environment(S3_ENDPOINT=counting.endpoint_host))
            for path, expected in (("run/projector_config.pbtxt", True), ("run", True), ("run/checkpoint", False)):
                with self.subTest(path=path):
                    counting.clear()
                    self.assertEqual(storage.exists("s3://%s/costs/%s" % (BUCKET, path)), expected)
                    self.assertLen(counting.requests(), 1)

    def test_falls_back_to_two_requests_where_only_the_directory_may_be_listed(self):
        local = self.create_tempdir().full_path
        write_greetings(os.path.join(local, "scoped"), "arrivals", 0, 1)
        store.upload(local, BUCKET, TEAM_PREFIX)
        self.enterContext(mock.patch.dict(os.environ, TEAM_KEYS))
        storage = object_storage.S3Storage()
        # The policy's prefix is logs/team/*: a listing of the bare "logs/team" is refused.
        self.assertTrue(storage.exists("s3://%s/%s" % (BUCKET, TEAM_PREFIX)))
        self.assertTrue(storage.exists("s3://%s/%s/scoped" % (BUCKET, TEAM_PREFIX)))
        self.assertFalse(storage.exists("s3://%s/%s/absent" % (BUCKET, TEAM_PREFIX)))


class FailureNamesTest(absltest.TestCase):
    def test_a_refusals_code_and_the_failures_a_request_can_raise(self):
        refused = botocore.exceptions.ClientError({"Error": {"Code": "NoSuchKey"}}, "GetObject")
        self.assertEqual(object_storage.refusal_code(refused), "NoSuchKey")
        self.assertIn(object_storage.refusal_code(refused), object_storage.MISSING)
        away = botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:9")
        self.assertIsNone(object_storage.refusal_code(away))
        self.assertIsInstance(away, object_storage.OUTAGES)
        self.assertIsInstance(refused, object_storage.REQUEST_FAILURES)
        self.assertNotIsInstance(refused, object_storage.OUTAGES)


class LeastPrivilegeTest(absltest.TestCase):
    def test_credentials_that_may_list_and_read_only_the_logdirs_prefix(self):
        local = self.create_tempdir().full_path
        write_greetings(os.path.join(local, "scoped"), "arrivals", 0, 3)
        store.upload(local, BUCKET, TEAM_PREFIX)
        # The store holds the identity to its prefix: the bucket itself is refused.
        scoped = boto3.client(
            "s3",
            endpoint_url=store.endpoint_url,
            aws_access_key_id=TEAM_KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=TEAM_KEYS["AWS_SECRET_ACCESS_KEY"],
            region_name=seaweedfs.REGION,
        )
        with self.assertRaises(botocore.exceptions.ClientError):
            scoped.head_bucket(Bucket=BUCKET)
        with self.assertRaises(botocore.exceptions.ClientError):
            scoped.list_objects_v2(Bucket=BUCKET, Prefix=DEMO_PREFIX + "/")

        url = self.enterContext(server_testing.serve("s3://%s/%s" % (BUCKET, TEAM_PREFIX), env=dict(os.environ, **TEAM_KEYS)))
        wait_until_loaded(url, ["scoped"])
        greetings = GREETER + "greetings?" + query(run="scoped", tag="arrivals")
        server_testing.wait_for(lambda: [g["step"] for g in get_json(url + greetings)] == [0, 1, 2])


class TLSTest(absltest.TestCase):
    """The store over HTTPS with a certificate that signs itself, as TensorFlow's users reach one."""

    def test_verification_turned_off_or_the_certificate_given(self):
        local = self.create_tempdir().full_path
        write_greetings(os.path.join(local, "secure"), "arrivals", 0, 2)
        store.upload(local, BUCKET, "logs/tls")
        https = dict(os.environ, S3_ENDPOINT=store.https_endpoint_host, S3_USE_HTTPS="1")
        for setting in ({"S3_VERIFY_SSL": "0"}, {"S3_CA_FILE": certificate_file}, {"AWS_CA_BUNDLE": certificate_file}):
            with self.subTest(setting=setting):
                with server_testing.serve_process("s3://%s/logs/tls" % BUCKET, env=dict(https, **setting)) as (url, process):
                    wait_until_loaded(url, ["secure"])
                    # One line says the certificate is not checked, where urllib3 warns at every request.
                    unverified = "Not verifying the certificate of the S3 endpoint https://%s" % store.https_endpoint_host
                    self.assertEqual(server_testing.printed(process).count(unverified), int("S3_VERIFY_SSL" in setting))
                    self.assertNotIn("InsecureRequestWarning", server_testing.printed(process))


class S3LogdirTest(absltest.TestCase):
    def test_serves_the_bucket_as_the_local_copy_without_tensorflow(self):
        remote_url, process = self.enterContext(
            server_testing.serve_process("s3://%s/%s" % (BUCKET, DEMO_PREFIX))
        )
        local_url = self.enterContext(server_testing.serve(demo_dir))
        assert_serves_as_the_local_copy(self, remote_url, local_url)
        # The fast loader reads a copy of the bucket's event files (bucket_mirror).
        self.assertIn("reads s3://%s/%s with the fast loader" % (BUCKET, DEMO_PREFIX), server_testing.printed(process))
        self.assertFalse(server_testing.has_loaded_tensorflow(server_testing.server_process(remote_url)))

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


class S3StoreChangesTest(absltest.TestCase):
    """Serving while the store changes: runs uploaded, files grown, the store away and back again.

    On s3://; GCSStoreChangesTest runs the same tests on gs://.
    """

    scheme = "s3"
    bucket = BUCKET

    def store(self):
        return store

    def logdir(self, prefix):
        return "%s://%s/%s" % (self.scheme, self.bucket, prefix)

    def test_a_run_uploaded_while_serving_appears_and_a_grown_file_is_read_on(self):
        local = self.create_tempdir().full_path
        write_greetings(os.path.join(local, "first"), "arrivals", 0, 3)
        self.store().upload(local, self.bucket, "logs/live")
        url = self.enterContext(server_testing.serve(self.logdir("logs/live"), "--reload_interval=1"))
        wait_until_loaded(url, ["first"])

        write_greetings(os.path.join(local, "second"), "arrivals", 0, 2)
        self.store().upload(os.path.join(local, "second"), self.bucket, "logs/live/second")
        wait_until_loaded(url, ["first", "second"])

        # A sync tool uploads an event file again as it grows: the same key, more records.
        append_greetings(self, os.path.join(local, "first"), 3, 2)
        self.store().upload(os.path.join(local, "first"), self.bucket, "logs/live/first")
        greetings = GREETER + "greetings?" + query(run="first", tag="arrivals")
        steps = server_testing.wait_for(lambda: [g["step"] for g in get_json(url + greetings)] == list(range(5)))
        self.assertTrue(steps)

    def test_serves_what_was_loaded_while_the_store_is_away_and_loads_again_after(self):
        local = self.create_tempdir().full_path
        write_greetings(os.path.join(local, "before"), "arrivals", 0, 3)
        self.store().upload(local, self.bucket, "logs/outage")
        url, process = self.enterContext(server_testing.serve_process(self.logdir("logs/outage"), "--reload_interval=1"))
        greetings = GREETER + "greetings?" + query(run="before", tag="arrivals")
        wait_until_loaded(url, ["before"])

        def every_greeting_written():
            served = get_json(url + greetings)
            return served if [g["step"] for g in served] == [0, 1, 2] else None

        loaded = server_testing.wait_for(every_greeting_written)

        self.store().stop()
        try:
            server_testing.wait_for(lambda: "Cannot list " + self.logdir("logs/outage") in server_testing.printed(process))
            self.assertEqual(get_json(url + greetings), loaded)
            self.assertEqual(list(get_json(url + GREETER + "tags")), ["before"])
            # Every dashboard keeps answering, not only the Greeter's.
            self.assertEqual(get_json(url + SCALARS + "tags"), {})
            self.assertIn("before", get_json(url + "data/runs"))
        finally:
            self.store().start()

        after = self.create_tempdir().full_path
        write_greetings(after, "arrivals", 0, 1)
        self.store().upload(after, self.bucket, "logs/outage/after")
        wait_until_loaded(url, ["before", "after"])
        self.assertNotIn("Traceback", server_testing.printed(process))


class GCSStoreChangesTest(S3StoreChangesTest):
    scheme = "gs"
    bucket = GCS_BUCKET

    def store(self):
        return gcs


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

    def test_credentials_for_another_prefix(self):
        result = self.start("s3://%s/%s" % (BUCKET, TEAM_PREFIX), **ELSEWHERE_KEYS)
        self.assert_fails_with_one_line(result, "denied these credentials access to bucket 'train' (AccessDenied)")

    def test_a_certificate_that_cannot_be_verified(self):
        result = self.start("s3://%s/%s" % (BUCKET, DEMO_PREFIX), S3_ENDPOINT=store.https_endpoint_host, S3_USE_HTTPS="1")
        self.assert_fails_with_one_line(result, "failed TLS ([SSL: CERTIFICATE_VERIFY_FAILED]")

    def test_an_endpoint_that_does_not_answer(self):
        closed = "127.0.0.1:%d" % seaweedfs.free_port()
        result = self.start("s3://%s/%s" % (BUCKET, DEMO_PREFIX), S3_ENDPOINT=closed)
        self.assert_fails_with_one_line(result, "the S3 endpoint http://%s does not answer" % closed)



class GCSLogdirTest(absltest.TestCase):
    """gs:// in a GCS emulator. The fast loader reads gs:// from Google only: the Python loader reads it."""

    def test_serves_the_bucket_as_the_local_copy(self):
        remote_url, process = self.enterContext(server_testing.serve_process("gs://%s/%s" % (GCS_BUCKET, DEMO_PREFIX)))
        local_url = self.enterContext(server_testing.serve(demo_dir))
        assert_serves_as_the_local_copy(self, remote_url, local_url)
        self.assertIn("with the Python loader (the fast loader reads gs:// from Google", server_testing.printed(process))
        # gcsfs asks emulators nothing they do not serve, which would log a warning at every call.
        self.assertNotIn("Could not determine bucket type", server_testing.printed(process))
        self.assertFalse(server_testing.has_loaded_tensorflow(server_testing.server_process(remote_url)))


if __name__ == "__main__":
    absltest.main()
