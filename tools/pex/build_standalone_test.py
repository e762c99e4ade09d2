"""Tests that build_standalone names what is wrong with its input in one line."""

import os
import subprocess

from absl.testing import absltest

from tools.wheel import build_wheel

BUILD_STANDALONE = os.path.join(os.environ.get("TEST_SRCDIR", ""), "tensorboard_x/tools/pex/build_standalone")


class BuildStandaloneTest(absltest.TestCase):
    def make_wheel(self, directory, distribution, requires=()):
        """A one-module wheel of `distribution` in `directory`; returns its path."""
        module = self.create_tempfile(distribution + ".py", "print('hello')\n").full_path
        path = os.path.join(directory, build_wheel.wheel_file_name(distribution, "1.0"))
        build_wheel.build_wheel(path, distribution, "1.0", {distribution + ".py": module}, requires=requires)
        return path

    def run_build(self, *args):
        return subprocess.run([BUILD_STANDALONE, *args], capture_output=True, text=True)

    def test_a_requirement_missing_from_the_wheelhouse_fails_the_build(self):
        wheelhouse = self.create_tempdir("wheelhouse").full_path
        other = self.make_wheel(wheelhouse, "other")
        wheel = self.make_wheel(self.create_tempdir().full_path, "app", requires=["missing-dist"])
        output = os.path.join(self.create_tempdir().full_path, "app")
        result = self.run_build("--wheel", wheel, "--console_script", "app", "--output", output, other)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("missing-dist", result.stderr)
        self.assertEqual(result.stderr.strip().splitlines()[-1],
                         "build_standalone: pex failed (exit 1); its message is above")
        self.assertNotIn("Traceback", result.stderr)
        self.assertFalse(os.path.exists(output))

    def test_refuses_a_wheelhouse_in_two_directories(self):
        first = self.make_wheel(self.create_tempdir().full_path, "first")
        second = self.make_wheel(self.create_tempdir().full_path, "second")
        result = self.run_build("--wheel", first, "--console_script", "x", "--output", "out", first, second)
        self.assertEqual(result.returncode, 2)
        self.assertIn("the wheelhouse's wheels must share one directory", result.stderr)
        self.assertNotIn("Traceback", result.stderr)


if __name__ == "__main__":
    absltest.main()
