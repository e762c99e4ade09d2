"""Tests that //tools:new_plugin writes a plugin whose own tests pass, and refuses names clearly.

The generated plugin's tests run with @pypi's interpreter and PYTHONPATH set to the generated tree (a
nested Bazel would take minutes), after its frontend is bundled with @npm's esbuild, as its BUILD
does. Its browser test is left out: it needs the plugin registered in TensorBoard-X's binary.
"""

import os
import re
import subprocess
import sys

from absl.testing import absltest

# Runfiles paths relative to the test's working directory, from the BUILD's $(rootpath)s.
NEW_PLUGIN = os.path.abspath(os.environ["NEW_PLUGIN"])
ESBUILD = os.path.abspath(os.environ["ESBUILD"])
TSC = os.path.abspath(os.environ["TSC"])
# @npm's packages, beside its esbuild.
NODE_MODULES = os.path.join(os.path.dirname(ESBUILD), "node_modules")
NAME = "party_guests"
PACKAGE = NAME + "_plugin"


def run_new_plugin(*args):
    return subprocess.run([NEW_PLUGIN, *args], capture_output=True, text=True)


class GeneratedPluginTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dest = os.path.join(absltest.get_default_test_tmpdir(), "dest")
        cls.result = run_new_plugin("--name=" + NAME, "--dest=" + cls.dest)
        cls.package_dir = os.path.join(cls.dest, PACKAGE)
        # What the tool wrote, before any test adds a bundle or bytecode.
        cls.generated_files = [os.path.join(d, f) for d, _, files in os.walk(cls.package_dir) for f in files]
        # Where esbuild and tsc look for "lit": a node_modules directory above the sources.
        if os.path.isdir(cls.dest):
            os.symlink(NODE_MODULES, os.path.join(cls.dest, "node_modules"))

    def test_prints_how_to_register_the_plugin(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        self.assertIn("from %s import plugin as %s" % (PACKAGE, PACKAGE), self.result.stdout)
        self.assertIn("%s.PartyGuestsLoader()" % PACKAGE, self.result.stdout)
        self.assertIn('"//%s:plugin"' % PACKAGE, self.result.stdout)

    def test_writes_every_role_under_the_new_name(self):
        names = {os.path.relpath(path, self.package_dir) for path in self.generated_files}
        for expected in ("BUILD", "metadata.py", "summary.py", "plugin.py", "party_guests_demo.py",
                         "plugin_test.py", "frontend/BUILD", "frontend/index.ts"):
            self.assertIn(expected, names)

    def test_no_trace_of_the_greeter_is_left(self):
        for path in self.generated_files:
            with open(path, encoding="utf-8") as generated:
                text = generated.read()
            with self.subTest(path=os.path.relpath(path, self.dest)):
                # TensorBoard-X's own package keeps its name.
                self.assertNotRegex(re.sub("greeter_tensorboard", "", text), "(?i)greeter")

    def test_its_frontend_type_checks(self):
        subprocess.run(
            [TSC, "--noEmit", "--pretty", "false", "-p", os.path.join(self.package_dir, "frontend/tsconfig.json")],
            check=True,
        )

    def test_its_python_tests_pass(self):
        # As the BUILD's esbuild_bundle does: the bundle the backend's static route serves.
        subprocess.run(
            [ESBUILD, os.path.join(self.package_dir, "frontend/index.ts"), "--bundle", "--format=esm", "--minify",
             "--log-level=warning", "--outfile=" + os.path.join(self.package_dir, "frontend/index.js")],
            check=True,
        )
        tests = sorted(f for f in os.listdir(self.package_dir) if f.endswith("_test.py"))
        self.assertContainsSubset(
            ["metadata_test.py", "party_guests_demo_test.py", "plugin_test.py", "summary_test.py"], tests
        )
        for test in tests:
            with self.subTest(test=test):
                tmpdir = self.create_tempdir().full_path
                # Only the generated tree on the path; the child's JUnit XML must not replace ours.
                env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "XML_OUTPUT_FILE")}
                result = subprocess.run(
                    [sys.executable, os.path.join(self.package_dir, test)],
                    capture_output=True, text=True, cwd=tmpdir,
                    env=dict(env, PYTHONPATH=self.dest, TEST_TMPDIR=tmpdir),
                )
                self.assertEqual(result.returncode, 0, result.stderr[-3000:])
                self.assertRegex(result.stderr, r"\nOK\b")


class RefusedNameTest(absltest.TestCase):
    def assert_refused(self, name, message, dest=None):
        result = run_new_plugin("--name=" + name, "--dest=" + (dest or self.create_tempdir().full_path))
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(message, result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_refuses_names_that_are_not_identifiers(self):
        for name in ("PartyGuests", "2guests", "party-guests", "party guests", ""):
            with self.subTest(name=name):
                self.assert_refused(name, "is not a plugin name")

    def test_refuses_the_greeter_and_standard_plugins(self):
        for name in ("greeter", "scalars", "hparams", "projector", "core"):
            with self.subTest(name=name):
                self.assert_refused(name, "--name=%s is taken" % name)

    def test_refuses_an_existing_directory_and_leaves_it_alone(self):
        dest = self.create_tempdir()
        mine = dest.create_file(PACKAGE + "/mine.txt", content="keep me")
        self.assert_refused(NAME, "already exists", dest=dest.full_path)
        self.assertEqual(os.listdir(os.path.join(dest.full_path, PACKAGE)), ["mine.txt"])
        self.assertEqual(mine.read_text(), "keep me")


if __name__ == "__main__":
    absltest.main()
