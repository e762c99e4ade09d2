"""The kit's version is one: the wheel's (version.bzl, for Bazel) is the package's (version.py)."""

import ast
import os

from absl.testing import absltest

from plugin_kit import version

VERSION_BZL = os.path.join(os.path.dirname(__file__), "version.bzl")


class VersionTest(absltest.TestCase):
    def test_the_wheels_version_is_the_packages(self):
        with open(VERSION_BZL) as bzl:
            # version.bzl is Starlark; its one assignment is Python too.
            (assignment,) = [node for node in ast.parse(bzl.read()).body if isinstance(node, ast.Assign)]
        self.assertEqual(assignment.targets[0].id, "KIT_VERSION")
        self.assertEqual(ast.literal_eval(assignment.value), version.__version__)


if __name__ == "__main__":
    absltest.main()
