"""Tests TensorBoard-X's single file (a PEX) as a user runs it: copied out alone, with only PATH set.

Its first run installs a virtual environment into the pex cache of the user's home directory
(~/.cache/pex, from the password database, as HOME is unset), as it would on a user's machine.
"""

import glob
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import psutil
from absl.testing import absltest

from greeter_plugin import greeter_demo
from greeter_tensorboard import server_testing
from tools.pex import build_standalone
from tools.seaweedfs import seaweedfs
from tools.wheel import wheel_testing

# This workspace in the runfiles, whatever its name.
WORKSPACE_RUNFILES = os.path.join(os.environ.get("TEST_SRCDIR", ""), os.environ.get("TEST_WORKSPACE", ""))
STANDALONE = os.path.join(WORKSPACE_RUNFILES, "greeter_tensorboard/tensorboard-x")
WHEEL = os.path.join(WORKSPACE_RUNFILES, "greeter_tensorboard/tensorboard_x-0.1.0-py3-none-any.whl")
GREETER_WHEEL = os.path.join(WORKSPACE_RUNFILES, "greeter_plugin/tensorboard_x_greeter-0.1.0-py3-none-any.whl")
KIT_WHEEL = os.path.join(WORKSPACE_RUNFILES, "plugin_kit/tensorboard_x_plugin_kit-0.1.0-py3-none-any.whl")
WHEELHOUSE = os.path.join(os.environ.get("TEST_SRCDIR", ""), "standalone_wheels/wheels")
# A machine with python3.11 and nothing else: no virtual environment, no HOME, no PYTHONPATH.
ONLY_PATH = {"PATH": "/usr/bin:/bin"}
PEX_CACHE = os.path.join(pwd.getpwuid(os.getuid()).pw_dir, ".cache", "pex")


def workspace_environment():
    """The directories the single file must not load from: the workspace, Bazel's output base (the
    @pypi environment, runfiles, execroot)."""
    source_file = os.path.realpath(os.path.join(WORKSPACE_RUNFILES, "greeter_tensorboard/main.py"))
    pypi_environment = os.path.realpath(sys.prefix)
    return (
        os.path.dirname(os.path.dirname(source_file)),
        pypi_environment.split("/external/")[0],
    )


def loaded_files(process):
    """The files mapped into `process` and its children (shared libraries, extension modules,
    executables), with each process's executable and command line."""
    paths = set()
    for each in [process] + process.children(recursive=True):
        paths.add(each.exe())
        paths.update(arg for arg in each.cmdline() if arg.startswith("/"))
        with open("/proc/%d/maps" % each.pid) as maps:
            paths.update(m.group(1) for m in re.finditer(r" (/\S+)$", maps.read(), re.MULTILINE))
    return paths


class StandaloneTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Outside Bazel's directories (the test's own temporary directory is one of them).
        cls.root = tempfile.mkdtemp(prefix="tensorboard-x-standalone-", dir="/tmp")
        cls.addClassCleanup(shutil.rmtree, cls.root)
        os.mkdir(os.path.join(cls.root, "bin"))
        cls.binary = shutil.copy(STANDALONE, os.path.join(cls.root, "bin"))
        cls.logdir = os.path.join(cls.root, "demo")
        cls.written = greeter_demo.write_demo(cls.logdir)

    def test_reads_object_storage_through_boto3_inside_it(self):
        closed = "127.0.0.1:%d" % seaweedfs.free_port()
        environment = dict(ONLY_PATH, S3_ENDPOINT=closed, S3_USE_HTTPS="0", AWS_ACCESS_KEY_ID="key",
                           AWS_SECRET_ACCESS_KEY="secret", AWS_REGION="us-east-1")
        result = subprocess.run([self.binary, "--logdir=s3://train/logs", "--port=0"], env=environment,
                                capture_output=True, text=True, timeout=120)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("TensorBoard-X: cannot read s3://train/logs: the S3 endpoint http://%s does not answer" % closed,
                      result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_serves_the_greeter_and_the_standard_plugins_loading_nothing_from_the_workspace(self):
        with server_testing.serve_process(self.logdir, binary=self.binary, env=ONLY_PATH) as (url, server):
            tags = server_testing.tags_of_every_run(url + "data/plugin/greeter/", self.written)
            # After the runs are read: the listing's "enabled" follows the data read.
            listing = server_testing.get_json(url + "data/plugins_listing")
            title = server_testing.page_title(url)
            process = psutil.Process(server.pid)
            loaded = loaded_files(process)
            data_servers = [child.exe() for child in process.children(recursive=True)]
        self.assertEqual(title, "TensorBoard-X")
        for name in server_testing.STANDARD_PLUGINS:
            self.assertIn(name, listing)
        self.assertTrue(listing["greeter"]["enabled"])
        self.assertCountEqual(tags, self.written)
        for directory in workspace_environment():
            self.assertEqual([path for path in loaded if path.startswith(directory + "/")], [], directory)
        # The fast loader: the Rust data server, from the file's own wheels, as are the extensions.
        self.assertTrue(data_servers, "no data server started")
        for data_server in data_servers:
            self.assertTrue(data_server.startswith(PEX_CACHE + "/"), data_server)
            self.assertTrue(data_server.endswith("/tensorboard_data_server/bin/server"), data_server)
        # Extension modules of distributions (numpy, protobuf, grpcio...); the standard library's
        # are the machine's python3.11's (lib-dynload).
        extensions = [
            path for path in loaded
            if re.search(r"\.(cpython-311-x86_64-linux-gnu|abi3)\.so$", path) and "/lib-dynload/" not in path
        ]
        self.assertTrue(extensions)
        self.assertEqual([path for path in extensions if not path.startswith(PEX_CACHE + "/")], [])

    def test_holds_the_greeter_once_and_no_build_file_or_test_only_code(self):
        with zipfile.ZipFile(STANDALONE) as single_file:
            self.assertEqual(wheel_testing.build_or_test_files(single_file), [])
            plugin_modules = [name for name in single_file.namelist() if name.endswith("/greeter_plugin/plugin.py")]
        self.assertLen(plugin_modules, 1)

    def test_a_relative_logdir_is_where_it_was_started_even_under_a_bazel_run(self):
        environment = dict(ONLY_PATH, BUILD_WORKING_DIRECTORY=self.create_tempdir().full_path)
        with server_testing.serve(os.path.basename(self.logdir), binary=self.binary, env=environment,
                                  cwd=self.root) as url:
            tags = server_testing.tags_of_every_run(url + "data/plugin/greeter/", self.written)
        self.assertCountEqual(tags, self.written)

    def test_version_tb(self):
        output = subprocess.run([self.binary, "--version_tb"], capture_output=True, text=True, check=True, env=ONLY_PATH)
        self.assertRegex(output.stdout.strip(), r"^TensorBoard-X 0\.1\.0 \(TensorBoard 2\.21\.\d+\)$")

    def test_building_it_again_gives_the_same_bytes(self):
        rebuilt = os.path.join(self.create_tempdir().full_path, "tensorboard-x")
        build_standalone.build_standalone(
            [WHEEL, GREETER_WHEEL, KIT_WHEEL], glob.glob(os.path.join(WHEELHOUSE, "*.whl")), "tensorboard-x", rebuilt
        )
        with open(STANDALONE, "rb") as built, open(rebuilt, "rb") as again:
            self.assertTrue(built.read() == again.read(), "two builds of the single file differ")


if __name__ == "__main__":
    absltest.main()
