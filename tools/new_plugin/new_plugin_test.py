"""Tests that //tools:new_plugin writes and registers a plugin whose own tests pass, and refuses names clearly.

The tool writes into a stand-in for the workspace root, holding a copy of TensorBoard-X's plugin list
(greeter_tensorboard/plugins.bzl). The generated plugin's tests run with @pypi's interpreter and
PYTHONPATH set to the generated tree (a nested Bazel would take minutes), after its frontend is
bundled with @npm's esbuild, as its BUILD does. Its browser tests run against TensorBoard-X's package
from these runfiles with the plugin list the tool wrote, as the module that Bazel writes from
plugins.bzl (registered_plugins.py): what Bazel builds after the registration.
"""

import ast
import os
import re
import shutil
import subprocess
import sys

from absl.testing import absltest

from greeter_tensorboard import main as tensorboard_x
from greeter_tensorboard import registered_plugins

# Runfiles paths relative to the test's working directory, from the BUILD's $(rootpath)s.
NEW_PLUGIN = os.path.abspath(os.environ["NEW_PLUGIN"])
ESBUILD = os.path.abspath(os.environ["ESBUILD"])
TSC = os.path.abspath(os.environ["TSC"])
# @npm's packages, beside its esbuild.
NODE_MODULES = os.path.join(os.path.dirname(ESBUILD), "node_modules")
NAME = "party_guests"
PACKAGE = NAME + "_plugin"
LOADER = PACKAGE + ".plugin:PartyGuestsLoader"
PLUGINS_BZL = os.path.abspath(os.environ["PLUGINS_BZL"])
with open(PLUGINS_BZL, encoding="utf-8") as _registry:
    REGISTRY_TEXT = _registry.read()
# The root of this workspace's runfiles: where TensorBoard-X's and the Greeter's packages are.
WORKSPACE_RUNFILES = os.path.dirname(os.path.dirname(os.path.abspath(tensorboard_x.__file__)))


def run_new_plugin(*args, env=None):
    return subprocess.run([NEW_PLUGIN, *args], capture_output=True, text=True, env=dict(os.environ, **(env or {})))


def registered_loader_names(plugins_bzl):
    """The loaders ("module:Class") that a plugins.bzl lists in PLUGIN_LOADERS, in its order."""
    with open(plugins_bzl, encoding="utf-8") as bzl:
        module = ast.parse(bzl.read(), plugins_bzl)
    (names,) = [
        ast.literal_eval(statement.value)
        for statement in module.body
        if isinstance(statement, ast.Assign)
        and [getattr(target, "id", None) for target in statement.targets] == ["PLUGIN_LOADERS"]
    ]
    return names


def registered_tensorboard_x(plugins_bzl, directory):
    """Writes `directory`/greeter_tensorboard: TensorBoard-X's package from these runfiles, with the
    registered_plugins.py that Bazel would write from `plugins_bzl` and a launcher where
    server_testing looks for its binary. Returns the PYTHONPATH entry that serves it."""
    package = os.path.join(directory, "greeter_tensorboard")
    os.makedirs(package)
    source = os.path.dirname(os.path.abspath(tensorboard_x.__file__))
    for name in os.listdir(source):
        if name not in ("registered_plugins.py", "greeter_tensorboard", "__pycache__"):
            os.symlink(os.path.join(source, name), os.path.join(package, name))
    with open(os.path.join(package, "registered_plugins.py"), "w", encoding="utf-8") as module:
        module.write("PLUGIN_LOADERS = %r\n" % registered_loader_names(plugins_bzl))
    launcher = os.path.join(package, "greeter_tensorboard")
    with open(launcher, "w", encoding="utf-8") as script:
        script.write('#!/bin/sh\nexec "%s" -m greeter_tensorboard.main "$@"\n' % sys.executable)
    os.chmod(launcher, 0o755)
    return directory


class GeneratedPluginTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # As `bazel run` sets it: the plugin goes to the workspace root, which holds TensorBoard-X.
        cls.dest = os.path.join(absltest.get_default_test_tmpdir(), "workspace")
        cls.plugins_bzl = os.path.join(cls.dest, "greeter_tensorboard", "plugins.bzl")
        os.makedirs(os.path.dirname(cls.plugins_bzl))
        shutil.copy(PLUGINS_BZL, cls.plugins_bzl)
        # The workspace holds the plugin kit, which the plugin is built on.
        os.symlink(os.path.join(WORKSPACE_RUNFILES, "plugin_kit"), os.path.join(cls.dest, "plugin_kit"))
        cls.result = run_new_plugin("--name=" + NAME, env={"BUILD_WORKSPACE_DIRECTORY": cls.dest})
        cls.package_dir = os.path.join(cls.dest, PACKAGE)
        # What the tool wrote, before any test adds a bundle or bytecode.
        cls.generated_files = [os.path.join(d, f) for d, _, files in os.walk(cls.package_dir) for f in files]
        if not os.path.isdir(cls.package_dir):
            return
        # Where esbuild and tsc look for "lit": a node_modules directory above the sources.
        os.symlink(NODE_MODULES, os.path.join(cls.dest, "node_modules"))
        # As the BUILD's esbuild_bundle does: the bundle the backend's static route serves.
        subprocess.run(
            [ESBUILD, os.path.join(cls.package_dir, "frontend/index.ts"), "--bundle", "--format=esm", "--minify",
             "--log-level=warning", "--outfile=" + os.path.join(cls.package_dir, "frontend/index.js")],
            check=True,
        )

    def run_generated_tests(self, directory, pythonpath):
        """Runs each *_test.py in `directory` of the generated plugin; returns their names."""
        tests = sorted(f for f in os.listdir(directory) if f.endswith("_test.py"))
        for test in tests:
            with self.subTest(test=test):
                tmpdir = self.create_tempdir().full_path
                # Only these paths; the child's JUnit XML must not replace ours, and our --test_filter
                # must not leave it nothing to run.
                env = {
                    k: v for k, v in os.environ.items()
                    if k not in ("PYTHONPATH", "XML_OUTPUT_FILE", "TESTBRIDGE_TEST_ONLY")
                }
                result = subprocess.run(
                    [sys.executable, os.path.join(directory, test)],
                    capture_output=True, text=True, cwd=tmpdir,
                    env=dict(env, PYTHONPATH=os.pathsep.join(pythonpath), TEST_TMPDIR=tmpdir),
                )
                self.assertEqual(result.returncode, 0, result.stderr[-3000:])
                self.assertRegex(result.stderr, r"\nRan [1-9][0-9]* tests? in .*\n\nOK\b")
        return tests

    def test_registers_the_plugin_in_tensorboard_x(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        self.assertIn('Registered in TensorBoard-X: greeter_tensorboard/plugins.bzl lists "%s"' % LOADER,
                      self.result.stdout)
        self.assertEqual(registered_loader_names(self.plugins_bzl), registered_plugins.PLUGIN_LOADERS + [LOADER])

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
        # Only the generated tree on the path.
        tests = self.run_generated_tests(self.package_dir, [self.dest])
        self.assertContainsSubset(
            ["metadata_test.py", "party_guests_demo_test.py", "plugin_test.py", "summary_test.py"], tests
        )

    def test_its_browser_tests_pass_in_tensorboard_x(self):
        tensorboard_x_dir = registered_tensorboard_x(self.plugins_bzl, self.create_tempdir().full_path)
        tests = self.run_generated_tests(
            os.path.join(self.package_dir, "frontend"), [self.dest, tensorboard_x_dir, WORKSPACE_RUNFILES]
        )
        self.assertIn("empty_state_browser_test.py", tests)


class UnregisteredPluginTest(absltest.TestCase):
    """Where the tool cannot register the plugin, it says how to, and changes nothing of TensorBoard-X."""

    def assert_asked_to_register(self, result):
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(
            'Register it in TensorBoard-X: add "%s" to PLUGIN_LOADERS in greeter_tensorboard/plugins.bzl' % LOADER,
            result.stdout,
        )

    def test_outside_the_workspace(self):
        workspace = self.create_tempdir()
        plugins_bzl = workspace.create_file("greeter_tensorboard/plugins.bzl", content=REGISTRY_TEXT)
        result = run_new_plugin(
            "--name=" + NAME, "--dest=" + self.create_tempdir().full_path,
            env={"BUILD_WORKSPACE_DIRECTORY": workspace.full_path},
        )
        self.assert_asked_to_register(result)
        self.assertIn("is not this workspace's root", result.stdout)
        self.assertEqual(plugins_bzl.read_text(), REGISTRY_TEXT)

    def test_when_the_list_is_no_longer_one_loader_a_line(self):
        workspace = self.create_tempdir()
        text = 'PLUGIN_LOADERS = ["greeter_plugin.plugin:GreeterLoader"]\n'
        plugins_bzl = workspace.create_file("greeter_tensorboard/plugins.bzl", content=text)
        result = run_new_plugin("--name=" + NAME, env={"BUILD_WORKSPACE_DIRECTORY": workspace.full_path})
        self.assert_asked_to_register(result)
        self.assertTrue(os.path.isdir(os.path.join(workspace.full_path, PACKAGE)))
        self.assertEqual(plugins_bzl.read_text(), text)


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
