"""The variables TensorFlow's users set for S3, read as TensorFlow reads them, down to boto3's client."""

from absl.testing import absltest

from greeter_tensorboard import object_storage
from greeter_tensorboard import object_storage_config


class EndpointTest(absltest.TestCase):
    def test_tensorflow_users_host_and_port_and_boto3_users_url(self):
        self.assertEqual(object_storage_config.s3_endpoint_url({"S3_ENDPOINT": "minio:9000"}), "https://minio:9000")
        self.assertEqual(
            object_storage_config.s3_endpoint_url({"S3_ENDPOINT": "minio:9000", "S3_USE_HTTPS": "0"}), "http://minio:9000"
        )
        self.assertEqual(
            object_storage_config.s3_endpoint_url({"S3_ENDPOINT": "http://minio:9000", "S3_USE_HTTPS": "1"}),
            "http://minio:9000",
        )
        self.assertIsNone(object_storage_config.s3_endpoint_url({}))


class ClientTest(absltest.TestCase):
    """What the one boto3 client of `S3Storage` is made with (end to end over TLS: object_storage_test)."""

    def client(self, **environ):
        return object_storage.S3Storage(dict({"S3_ENDPOINT": "127.0.0.1:9"}, **environ)).client()

    def test_aws_region_as_tensorflow_reads_it_which_boto3_does_not(self):
        self.assertEqual(self.client(AWS_REGION="eu-west-3").meta.region_name, "eu-west-3")
        self.assertEqual(self.client(S3_REGION="ap-south-1").meta.region_name, "ap-south-1")
        self.assertEqual(self.client(AWS_REGION="eu-west-3", S3_REGION="ap-south-1").meta.region_name, "eu-west-3")

    def test_verification_off_a_ca_file_or_boto3s_own(self):
        self.assertIs(object_storage_config.s3_verify({"S3_VERIFY_SSL": "0"}), False)
        self.assertIs(object_storage_config.s3_verify({"S3_VERIFY_SSL": "0", "S3_CA_FILE": "/ca.pem"}), False)
        self.assertEqual(object_storage_config.s3_verify({"S3_VERIFY_SSL": "1", "S3_CA_FILE": "/ca.pem"}), "/ca.pem")
        self.assertEqual(object_storage_config.s3_verify({"S3_CA_PATH": "/etc/ca"}), "/etc/ca")
        # None: boto3 then reads AWS_CA_BUNDLE itself.
        self.assertIsNone(object_storage_config.s3_verify({}))


class GCSEmulatorTest(absltest.TestCase):
    def test_only_a_gs_logdir_with_an_emulator_host_leaves_the_fast_loader(self):
        emulator = {"STORAGE_EMULATOR_HOST": "http://127.0.0.1:9023"}
        self.assertTrue(object_storage_config.fast_loader_misses_the_gcs_emulator("gs://b/logs", emulator))
        self.assertFalse(object_storage_config.fast_loader_misses_the_gcs_emulator("gs://b/logs", {}))
        self.assertFalse(object_storage_config.fast_loader_misses_the_gcs_emulator("/tmp/logs", emulator))


if __name__ == "__main__":
    absltest.main()
