"""Tests TensorBoard-X's wheel installed with pip beside stock TensorBoard, and that it rebuilds alike.

The wheel goes into a new virtual environment with pip, offline, its requirements taken from
@standalone_wheels (the hashed wheels of the lock file's runtime closure) and the Greeter's wheel:
what a user gets from `pip install tensorboard_x-*.whl`, with nothing from this workspace on the
servers' paths.
"""

import configparser
import email.parser
import glob
import os
import subprocess
import zipfile

from absl.testing import absltest
from packaging import metadata as packaging_metadata

from greeter_plugin import greeter_demo
from greeter_tensorboard import server_testing
from tools.wheel import build_wheel
from tools.wheel import wheel_testing

# This workspace in the runfiles, whatever its name.
WORKSPACE_RUNFILES = os.path.join(os.environ.get("TEST_SRCDIR", ""), os.environ.get("TEST_WORKSPACE", ""))
VERSION = "0.1.0"
WHEEL = os.path.join(WORKSPACE_RUNFILES, "greeter_tensorboard/tensorboard_x-%s-py3-none-any.whl" % VERSION)
WHEELHOUSE = os.path.join(os.environ.get("TEST_SRCDIR", ""), "standalone_wheels/wheels")
# Where //greeter_plugin:wheel is, which this one requires.
GREETER_WHEELS = os.path.join(WORKSPACE_RUNFILES, "greeter_plugin")
# Where //plugin_kit:wheel is, which the Greeter's requires.
KIT_WHEELS = os.path.join(WORKSPACE_RUNFILES, "plugin_kit")
DIST_INFO = "tensorboard_x-%s.dist-info" % VERSION
VERSION_LINE = r"^TensorBoard-X %s \(TensorBoard 2\.21\.\d+\)$" % VERSION.replace(".", r"\.")


def wheel_text(name):
    with zipfile.ZipFile(WHEEL) as wheel:
        return wheel.read(name).decode("utf-8")


def installed_records(site_packages):
    """{distribution's dist-info directory: the paths its RECORD lists} for each one installed."""
    records = {}
    for record in glob.glob(os.path.join(site_packages, "*.dist-info", "RECORD")):
        with open(record, encoding="utf-8") as lines:
            records[os.path.basename(os.path.dirname(record))] = {line.split(",")[0] for line in lines}
    return records


class TensorBoardXWheelTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tmp = absltest.get_default_test_tmpdir()
        cls.logdir = os.path.join(tmp, "demo")
        cls.written = greeter_demo.write_demo(cls.logdir)
        env_dir = os.path.join(tmp, "venv")
        cls.python, cls.site_packages = wheel_testing.install_offline(
            WHEEL, env_dir, find_links=[WHEELHOUSE, GREETER_WHEELS, KIT_WHEELS]
        )
        cls.tensorboard_x = os.path.join(env_dir, "bin", "tensorboard-x")
        cls.stock_tensorboard = os.path.join(env_dir, "bin", "tensorboard")
        # As a user's shell runs them: without the test's PYTHONPATH, which holds this workspace.
        cls.env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}

    def run_command(self, *args):
        return subprocess.run(args, capture_output=True, text=True, check=True, env=self.env).stdout

    def test_holds_only_its_own_packages_and_overwrites_no_other_distributions_file(self):
        in_wheel = {line.split(",")[0] for line in wheel_text(DIST_INFO + "/RECORD").splitlines()}
        # greeter_plugin is the Greeter's wheel's, which this one requires.
        self.assertEqual({path.split("/")[0] for path in in_wheel}, {"greeter_tensorboard", DIST_INFO})
        self.assertIn("greeter_tensorboard/tensorboard_x_webfiles.zip", in_wheel)
        self.assertIn("greeter_tensorboard/registered_plugins.py", in_wheel)
        # What pip installed (the console script and .pyc files too) against every other distribution.
        records = installed_records(self.site_packages)
        installed = records.pop(DIST_INFO)
        self.assertLessEqual(in_wheel, installed)
        for other, paths in records.items():
            self.assertFalse(installed & paths, "tensorboard-x and %s both install these files" % other)

    def test_holds_no_build_file_and_no_test_only_code(self):
        with zipfile.ZipFile(WHEEL) as wheel:
            self.assertEqual(wheel_testing.build_or_test_files(wheel), [])

    def test_requires_tensorboard_and_the_greeter_but_not_tensorflow(self):
        metadata = packaging_metadata.Metadata.from_email(wheel_text(DIST_INFO + "/METADATA"), validate=True)
        requires = {str(r) for r in metadata.requires_dist}
        self.assertIn("tensorboard<2.22,>=2.21", requires)
        self.assertIn("tensorboard-x-greeter<0.2,>=0.1.0", requires)
        self.assertEqual([r for r in requires if r.startswith("tensorflow")], ['tensorflow<2.22,>=2.21; extra == "tensorflow"'])
        self.assertIn('pandas; extra == "pandas"', requires)
        self.assertEqual(metadata.provides_extra, ["gcs", "pandas", "tensorflow"])
        self.assertNotIn("3.9", metadata.requires_python)
        self.assertIn("3.10", metadata.requires_python)
        found = self.run_command(self.python, "-c", "import importlib.util; print(importlib.util.find_spec('tensorflow'))")
        self.assertEqual(found.strip(), "None")

    def test_adds_a_command_and_stock_tensorboard_gets_the_greeter_from_its_wheel(self):
        entry_points = configparser.ConfigParser()
        entry_points.read_string(wheel_text(DIST_INFO + "/entry_points.txt"))
        self.assertEqual(entry_points.sections(), ["console_scripts"])
        self.assertEqual(dict(entry_points["console_scripts"]), {"tensorboard-x": "greeter_tensorboard.main:main"})
        # Stock TensorBoard registers its projector there itself; the Greeter's wheel its Greeter.
        plugins = self.run_command(
            self.python, "-c", "import importlib.metadata as m\n"
            "print(sorted((e.dist.name, e.name) for e in m.entry_points(group='tensorboard_plugins')))"
        )
        self.assertEqual(plugins.strip(), "[('tensorboard', 'projector'), ('tensorboard-x-greeter', 'greeter')]")

    def test_a_relative_logdir_is_where_it_was_started_even_under_a_bazel_run(self):
        # A shell or script that `bazel run` started passes BUILD_WORKING_DIRECTORY on; only the
        # Bazel binary goes there.
        env = dict(self.env, BUILD_WORKING_DIRECTORY=self.create_tempdir().full_path)
        logdir = os.path.basename(self.logdir)
        with server_testing.serve(logdir, binary=self.tensorboard_x, env=env,
                                  cwd=os.path.dirname(self.logdir)) as url:
            tags = server_testing.tags_of_every_run(url + "data/plugin/greeter/", self.written)
        self.assertCountEqual(tags, self.written)

    def test_tensorboard_x_and_stock_tensorboard_serve_side_by_side(self):
        with server_testing.serve(self.logdir, binary=self.tensorboard_x, env=self.env) as ours, \
                server_testing.serve(self.logdir, binary=self.stock_tensorboard, env=self.env) as stock:
            tags = server_testing.tags_of_every_run(ours + "data/plugin/greeter/", self.written)
            # After the runs are read: the listing's "enabled" follows the data read.
            our_listing = server_testing.get_json(ours + "data/plugins_listing")
            stock_listing = server_testing.get_json(stock + "data/plugins_listing")
            our_title, stock_title = server_testing.page_title(ours), server_testing.page_title(stock)
            # The app's header shows the brand that its bundle names.
            _, _, our_app = server_testing.get(ours + "index.js")
            _, _, stock_app = server_testing.get(stock + "index.js")
        self.assertEqual(our_title, "TensorBoard-X")
        self.assertEqual(stock_title, "TensorBoard")
        self.assertIn(b'"TensorBoard-X"', our_app)
        self.assertNotIn(b"TensorBoard-X", stock_app)
        for name in server_testing.STANDARD_PLUGINS:
            self.assertIn(name, stock_listing)
        self.assertTrue(our_listing["greeter"]["enabled"])
        self.assertEqual(set(our_listing), set(stock_listing))
        self.assertEqual({run: sorted(run_tags) for run, run_tags in tags.items()},
                         {run: sorted(run_tags) for run, run_tags in self.written.items()})

    def test_version_tb_names_each(self):
        self.assertRegex(self.run_command(self.tensorboard_x, "--version_tb").strip(), VERSION_LINE)
        self.assertRegex(self.run_command(self.stock_tensorboard, "--version_tb").strip(), r"^2\.21\.\d+$")

    def test_building_the_same_files_again_gives_the_same_bytes(self):
        # The wheel's own files, from this test's runfiles (sources and the branded zip), and its
        # metadata, built again now: other file times, another directory.
        with zipfile.ZipFile(WHEEL) as wheel:
            names = [name for name in wheel.namelist() if not name.startswith(DIST_INFO + "/")]
        metadata = email.parser.Parser().parsestr(wheel_text(DIST_INFO + "/METADATA"))
        requires, extras = [], []
        for requirement in metadata.get_all("Requires-Dist"):
            base, _, marker = requirement.partition('; extra == "')
            if marker:
                extras.append((marker.rstrip('"'), base))
            else:
                requires.append(base)
        entry_points = configparser.ConfigParser()
        entry_points.read_string(wheel_text(DIST_INFO + "/entry_points.txt"))
        rebuilt = os.path.join(self.create_tempdir().full_path, os.path.basename(WHEEL))
        build_wheel.build_wheel(
            rebuilt,
            metadata["Name"],
            metadata["Version"],
            {name: os.path.join(WORKSPACE_RUNFILES, name) for name in names},
            summary=metadata["Summary"],
            requires=requires,
            extras=extras,
            requires_python=metadata["Requires-Python"],
            entry_points=[(group, name, value) for group in entry_points.sections()
                          for name, value in entry_points[group].items()],
        )
        with open(WHEEL, "rb") as built, open(rebuilt, "rb") as again:
            self.assertEqual(built.read(), again.read())


if __name__ == "__main__":
    absltest.main()
