"""The record of a persistent copy (bucket_cache): what survives a restart, and one process at a time."""

import os
import subprocess
import sys

from absl.testing import absltest

from greeter_tensorboard import bucket_cache

URL = "s3://sweeps/team/wide"


class CopyDirTest(absltest.TestCase):
    def test_each_logdir_has_its_own_directory_named_after_it(self):
        here = bucket_cache.copy_dir("/cache", URL)
        self.assertStartsWith(os.path.basename(here), "sweeps_team_wide-")
        self.assertNotEqual(here, bucket_cache.copy_dir("/cache", "s3://sweeps/team_wide"))


class RecordTest(absltest.TestCase):
    def test_keeps_the_copies_whose_files_still_have_their_recorded_size(self):
        directory = self.create_tempdir().full_path
        for name, size in (("whole", 5), ("cut", 2)):
            with open(os.path.join(directory, name), "wb") as f:
                f.write(b"x" * size)
        bucket_cache.save(directory, URL, {"whole": (5, '"a"'), "cut": (5, '"b"'), "deleted": (1, '"c"')})
        local_path = lambda key: os.path.join(directory, key)
        self.assertEqual(bucket_cache.load(directory, URL, local_path), {"whole": (5, '"a"')})
        # A record of another logdir's copy is none of this one's.
        self.assertEqual(bucket_cache.load(directory, "s3://sweeps/other", local_path), {})

    def test_an_unreadable_record_means_reading_again(self):
        directory = self.create_tempdir().full_path
        with open(os.path.join(directory, ".tensorboard-x-copies.json"), "w") as f:
            f.write("{not json")
        self.assertEqual(bucket_cache.load(directory, URL, lambda key: None), {})


class LockTest(absltest.TestCase):
    def test_one_process_at_a_time(self):
        directory = self.create_tempdir().full_path
        take = "from greeter_tensorboard import bucket_cache; import sys; sys.exit(0 if bucket_cache.lock(%r) else 3)" % directory
        self.assertEqual(subprocess.run([sys.executable, "-c", take], check=False).returncode, 0)  # Free again once it exited.
        self.assertTrue(bucket_cache.lock(directory))
        self.assertEqual(subprocess.run([sys.executable, "-c", take], check=False).returncode, 3)


if __name__ == "__main__":
    absltest.main()
