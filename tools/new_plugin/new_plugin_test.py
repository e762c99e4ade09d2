"""Tests that //tools:new_plugin writes a small plugin on the kit whose own tests pass at once, that
TensorBoard-X shows it, that its wheel works in stock TensorBoard, and that the tool refuses names clearly.

The tool writes into a stand-in for the workspace root that holds a copy of TensorBoard-X's plugin list
(greeter_tensorboard/plugins.bzl) and of the kit's TypeScript (which the new frontend imports). The new
plugin's tests run with @pypi's interpreter and PYTHONPATH set to that tree and these runfiles (a nested
Bazel would take minutes), after its frontend is bundled with @npm's esbuild, as its BUILD does.
"""

import ast
import os
import shutil
import subprocess
import sys

from absl.testing import absltest

from greeter_tensorboard import main as tensorboard_x
from greeter_tensorboard import registered_plugins
from greeter_tensorboard import server_testing
from tools.wheel import build_wheel
from tools.wheel import wheel_testing

# Runfiles paths relative to the test's working directory, from the BUILD's $(rootpath)s.
NEW_PLUGIN = os.path.abspath(os.environ["NEW_PLUGIN"])
ESBUILD = os.path.abspath(os.environ["ESBUILD"])
TSC = os.path.abspath(os.environ["TSC"])
BUILD_WHEEL_BINARY = os.path.abspath(os.environ["BUILD_WHEEL"])
KIT_WHEEL = os.path.abspath(os.environ["KIT_WHEEL"])
PLUGINS_BZL = os.path.abspath(os.environ["PLUGINS_BZL"])
with open(PLUGINS_BZL, encoding="utf-8") as _registry:
    REGISTRY_TEXT = _registry.read()
# @npm's packages, beside its esbuild.
NODE_MODULES = os.path.join(os.path.dirname(ESBUILD), "node_modules")
# The root of this workspace's runfiles: the kit's and TensorBoard-X's packages.
WORKSPACE_RUNFILES = os.path.dirname(os.path.dirname(os.path.abspath(tensorboard_x.__file__)))
# The wheels of the lock's runtime closure, which pip installs the new wheel's requirements from.
WHEELHOUSE = os.path.join(os.environ.get("TEST_SRCDIR", ""), "standalone_wheels/wheels")
# What issue 20 allows a new plugin: files and lines, tests included.
MAX_FILES = 15
MAX_LINES = 700
NAME = "party_guests"
PACKAGE = NAME + "_plugin"
LOADER = PACKAGE + ".plugin:PartyGuestsLoader"
# What the new plugin's demo writes: {run: [tag]}.
DEMO_TAGS = {"lr=0.1": ["loss"], "lr=0.01": ["loss"]}


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
    registered_plugins.py that Bazel would write from `plugins_bzl`, and a launcher. Returns the launcher."""
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
    return launcher


def py_wheel_arguments(build_file):
    """The keyword arguments of the one py_wheel in a BUILD file, read by running it as Python.

    A BUILD file is Starlark, which for these files is Python too: every rule records its arguments.
    """
    rules = {}

    class Rules(dict):
        def __missing__(self, name):
            return lambda *args, **kwargs: rules.setdefault(name, []).append(kwargs)

    with open(build_file, encoding="utf-8") as build:
        exec(build.read(), {}, Rules(glob=lambda patterns: []))  # pylint: disable=exec-used
    (wheel,) = rules["py_wheel"]
    return wheel


class GeneratedPluginTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # As `bazel run` sets it: the plugin goes to the workspace root, which holds TensorBoard-X and the kit.
        cls.dest = os.path.join(absltest.get_default_test_tmpdir(), "workspace")
        cls.plugins_bzl = os.path.join(cls.dest, "greeter_tensorboard", "plugins.bzl")
        os.makedirs(os.path.dirname(cls.plugins_bzl))
        shutil.copy(PLUGINS_BZL, cls.plugins_bzl)
        cls.result = run_new_plugin("--name=" + NAME, env={"BUILD_WORKSPACE_DIRECTORY": cls.dest})
        cls.package_dir = os.path.join(cls.dest, PACKAGE)
        # What the tool wrote, before any test adds a bundle or bytecode.
        cls.generated = sorted(
            os.path.relpath(os.path.join(d, f), cls.package_dir) for d, _, files in os.walk(cls.package_dir) for f in files
        )
        # The kit's TypeScript, copied (not linked) so that tsc and esbuild find "lit" in node_modules above.
        shutil.copytree(os.path.join(WORKSPACE_RUNFILES, "plugin_kit/frontend"), os.path.join(cls.dest, "plugin_kit/frontend"),
                        ignore=shutil.ignore_patterns("*.py", "BUILD"))
        os.symlink(NODE_MODULES, os.path.join(cls.dest, "node_modules"))
        if os.path.isdir(cls.package_dir):
            # As the BUILD's esbuild_bundle does: the bundle the backend's static route serves.
            frontend = os.path.join(cls.package_dir, "frontend")
            subprocess.run(
                [ESBUILD, os.path.join(frontend, "index.ts"), "--bundle", "--format=esm", "--minify", "--log-level=warning",
                 "--tsconfig=" + os.path.join(frontend, "tsconfig.json"), "--outfile=" + os.path.join(frontend, "index.js")],
                check=True,
            )
        cls.env = dict(os.environ, PYTHONPATH=os.pathsep.join([cls.dest, WORKSPACE_RUNFILES]))

    def lines_of(self, relative_path):
        with open(os.path.join(self.package_dir, relative_path), encoding="utf-8") as generated:
            return sum(1 for _ in generated)

    def test_is_small_and_says_how_small(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        lines = sum(self.lines_of(path) for path in self.generated)
        tests = sum(self.lines_of(path) for path in self.generated if path.endswith("_test.py"))
        print("new_plugin wrote %d files, %d lines (%d of them tests)" % (len(self.generated), lines, tests))
        self.assertIn("Wrote %d files, %d lines (%d of them tests)" % (len(self.generated), lines, tests), self.result.stdout)
        self.assertLessEqual(len(self.generated), MAX_FILES)
        self.assertLessEqual(lines, MAX_LINES)

    def test_writes_every_role_under_the_new_name(self):
        for expected in ("BUILD", "metadata.py", "summary.py", "plugin.py", "demo.py", "frontend/index.ts",
                         "summary_test.py", "plugin_test.py", "route_fuzz_test.py",
                         "frontend/dashboard_browser_test.py"):
            self.assertIn(expected, self.generated)
        # Only the template's: the target that names the files new_plugin renames.
        with open(os.path.join(self.package_dir, "BUILD"), encoding="utf-8") as build:
            self.assertNotIn('name = "template"', build.read())

    def test_no_trace_of_the_template_is_left(self):
        for path in self.generated:
            with open(os.path.join(self.package_dir, path), encoding="utf-8") as generated:
                with self.subTest(path=path):
                    self.assertNotRegex(generated.read(), "(?i)numbers")

    def test_registers_the_plugin_in_tensorboard_x(self):
        self.assertIn('Registered in TensorBoard-X: greeter_tensorboard/plugins.bzl lists "%s"' % LOADER, self.result.stdout)
        self.assertEqual(registered_loader_names(self.plugins_bzl), registered_plugins.PLUGIN_LOADERS + [LOADER])

    def test_its_frontend_type_checks(self):
        subprocess.run([TSC, "--noEmit", "--pretty", "false", "-p", os.path.join(self.package_dir, "frontend/tsconfig.json")],
                       check=True)

    def test_its_tests_pass_a_browser_test_among_them(self):
        tests = [path for path in self.generated if path.endswith("_test.py")]
        self.assertIn("frontend/dashboard_browser_test.py", tests)
        for test in tests:
            with self.subTest(test=test):
                tmpdir = self.create_tempdir().full_path
                # The child's JUnit XML must not replace ours, and our --test_filter must not leave it nothing to run.
                env = {k: v for k, v in self.env.items() if k not in ("XML_OUTPUT_FILE", "TESTBRIDGE_TEST_ONLY")}
                result = subprocess.run([sys.executable, os.path.join(self.package_dir, test)], capture_output=True,
                                        text=True, cwd=tmpdir, env=dict(env, TEST_TMPDIR=tmpdir))
                self.assertEqual(result.returncode, 0, result.stderr[-3000:])
                self.assertRegex(result.stderr, r"\nRan [1-9][0-9]* tests? in .*\n\nOK\b")

    def write_demo(self):
        logdir = os.path.join(self.create_tempdir().full_path, "logdir")
        subprocess.run([sys.executable, os.path.join(self.package_dir, "demo.py"), "--logdir", logdir], check=True, env=self.env)
        return logdir

    def test_tensorboard_x_shows_its_tab(self):
        launcher = registered_tensorboard_x(self.plugins_bzl, self.create_tempdir().full_path)
        env = dict(self.env, PYTHONPATH=os.pathsep.join([self.dest, os.path.dirname(os.path.dirname(launcher)), WORKSPACE_RUNFILES]))
        # Started elsewhere than in these runfiles, whose TensorBoard-X would come first on `python -m`'s path.
        with server_testing.serve(self.write_demo(), binary=launcher, env=env, cwd=self.create_tempdir().full_path) as url:
            self.assertEqual(server_testing.get_json(url + "data/plugins_listing")[NAME]["tab_name"], "Party guests")
            self.assertEqual(server_testing.get(url + "data/plugin/%s/static/index.js" % NAME)[0], 200)
            server_testing.tags_of_every_run(url + "data/plugin/%s/" % NAME, DEMO_TAGS)

    def test_its_wheel_requires_the_kits_and_works_in_stock_tensorboard(self):
        wheel = py_wheel_arguments(os.path.join(self.package_dir, "BUILD"))
        self.assertIn("tensorboard-x-plugin-kit>=0.1,<0.2", wheel["requires"])
        output = os.path.join(self.create_tempdir().full_path, build_wheel.wheel_file_name(wheel["distribution"], wheel["version"]))
        # As //tools/wheel:defs.bzl's py_wheel calls the builder, with the files at their workspace paths.
        files = [os.path.join(PACKAGE, "frontend/index.js" if src == ":bundle" else src) for src in wheel["srcs"]]
        arguments = ["--distribution", wheel["distribution"], "--version", wheel["version"], "--summary", wheel["summary"],
                     "--requires_python", ">=3.10", "--output", output]
        arguments += [arg for requirement in wheel["requires"] for arg in ("--requires", requirement)]
        arguments += ["--entry_point=%s:%s=%s" % (group, name, value)
                      for group, points in wheel["entry_points"].items() for name, value in points.items()]
        subprocess.run([BUILD_WHEEL_BINARY, *arguments, *files], check=True, cwd=self.dest)
        env_dir = os.path.join(self.create_tempdir().full_path, "venv")
        wheel_testing.install_offline(output, env_dir, find_links=[WHEELHOUSE, os.path.dirname(KIT_WHEEL)])
        # As a user's shell runs it: nothing of this workspace on its path.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        with server_testing.serve(self.write_demo(), binary=os.path.join(env_dir, "bin", "tensorboard"), env=env) as url:
            self.assertEqual(server_testing.get_json(url + "data/plugins_listing")[NAME]["tab_name"], "Party guests")
            server_testing.tags_of_every_run(url + "data/plugin/%s/" % NAME, DEMO_TAGS)


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

    def test_refuses_the_greeter_the_template_and_standard_plugins(self):
        for name in ("greeter", "numbers", "scalars", "hparams", "projector", "core"):
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
