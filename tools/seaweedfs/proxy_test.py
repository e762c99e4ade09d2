"""What a client reads through the proxy is what the store answers."""

from absl.testing import absltest

from tools.seaweedfs import proxy
from tools.seaweedfs import seaweedfs


class CountingProxyTest(absltest.TestCase):
    def test_a_client_reads_an_objects_size_and_bytes_through_the_proxy_as_from_the_store(self):
        store = self.enterContext(seaweedfs.running(self.create_tempdir().full_path))
        store.client().create_bucket(Bucket="sweeps")
        store.client().put_object(Bucket="sweeps", Key="run/events", Body=b"0123456789")
        counting = self.enterContext(proxy.CountingProxy(store.endpoint_host))
        client = store.client(counting.endpoint_host)
        self.assertEqual(client.head_object(Bucket="sweeps", Key="run/events")["ContentLength"], 10)
        ranged = client.get_object(Bucket="sweeps", Key="run/events", Range="bytes=4-")
        self.assertEqual(ranged["Body"].read(), b"456789")
        self.assertEqual([(r.method, r.byte_range) for r in counting.requests()], [("HEAD", None), ("GET", "bytes=4-")])


if __name__ == "__main__":
    absltest.main()
