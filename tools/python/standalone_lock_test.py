"""Tests that the single file's lock pins what the main lock pins: same versions, hashes among its own."""

import os
import re

from absl.testing import absltest

LOCKS = os.path.join(os.environ.get("TEST_SRCDIR", ""), "tensorboard_x/tools/python")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
_HASH = re.compile(r"--hash=(sha256:[0-9a-f]{64})")


def pins(lock_name):
    """{normalised name: (version, {hash})} of a lock file that pip compile or uv wrote."""
    pinned, current = {}, None
    with open(os.path.join(LOCKS, lock_name), encoding="utf-8") as lock:
        for line in lock:
            match = _PIN.match(line)
            if match:
                current = re.sub(r"[-_.]+", "-", match.group(1)).lower()
                pinned[current] = (match.group(2), set())
            elif current and _HASH.search(line):
                pinned[current][1].add(_HASH.search(line).group(1))
    return pinned


class StandaloneLockTest(absltest.TestCase):
    def test_pins_the_main_locks_versions_and_hashes(self):
        main, standalone = pins("requirements_lock.txt"), pins("standalone_requirements_lock.txt")
        self.assertIn("tensorboard", standalone)
        for name, (version, hashes) in standalone.items():
            self.assertIn(name, main, "%s is not in requirements_lock.txt" % name)
            self.assertEqual(version, main[name][0], name)
            self.assertTrue(hashes, "%s has no hash" % name)
            self.assertLessEqual(hashes, main[name][1], name)

    def test_leaves_out_tensorflow_and_the_workspaces_tools(self):
        standalone = pins("standalone_requirements_lock.txt")
        for name in ("tensorflow-cpu", "tensorflow", "pex", "playwright", "hypothesis", "psutil"):
            self.assertNotIn(name, standalone)


if __name__ == "__main__":
    absltest.main()
