"""The tests' store starts on ports no other program holds."""

import socket

from absl.testing import absltest

from tools.seaweedfs import seaweedfs


class SeaweedFSTest(absltest.TestCase):
    def test_ports_chosen_together_are_distinct(self):
        ports = seaweedfs.free_ports(64)
        self.assertLen(set(ports), 64)

    def test_a_first_start_on_a_port_another_program_took_moves_to_free_ports(self):
        store = seaweedfs.SeaweedFS(self.create_tempdir().full_path)
        with socket.socket() as squatter:
            squatter.bind(("127.0.0.1", store.ports["s3"][1]))
            squatter.listen()
            store.start()
            try:
                self.assertNotEqual(store.ports["s3"][1], squatter.getsockname()[1])
                store.client().create_bucket(Bucket="answers")
                self.assertEqual([b["Name"] for b in store.client().list_buckets()["Buckets"]], ["answers"])
            finally:
                store.stop()


if __name__ == "__main__":
    absltest.main()
