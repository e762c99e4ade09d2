"""A real Jupyter kernel writes greetings, loads `greeter_tensorboard.notebook` and shows TensorBoard-X inline.

The kernel is the one `//greeter_tensorboard:jupyter_kernel` installs (here into this test's own Jupyter
directories), started by jupyter_client as Jupyter starts it. The test runs the notebook's cells in it,
then asks the port that the notebook's iframe points at for TensorBoard-X's brand, the Greeter and the
greetings, and stops the server that `%tensorboard` started.
"""

import glob
import json
import os
import re
import signal
import subprocess
import time
from unittest import mock

from absl.testing import absltest
from jupyter_client import manager

from greeter_plugin import plugin as greeter_plugin
from greeter_tensorboard import notebook
from greeter_tensorboard import server_testing
from plugin_kit import series_plugin

INSTALLER = os.path.join(os.environ.get("TEST_SRCDIR", ""), "tensorboard_x/greeter_tensorboard/jupyter_kernel")
KERNEL_NAME = "tensorboard-x"
GUESTS = ("Ada", "Zoë", "<script>alert(1)</script>")

# The notebook's cells, as the README shows them.
WRITE_GREETINGS = """
import tensorboardX
from greeter_plugin import summary

writer = tensorboardX.SummaryWriter("logs/party")
for step, guest in enumerate(%r):
    summary.add_greeting(writer, "guests", guest, global_step=step)
writer.close()
""" % (GUESTS,)
LOAD_EXTENSION = "%load_ext greeter_tensorboard.notebook"
SHOW_TENSORBOARD_X = "%tensorboard --logdir logs"


class NotebookTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        self.notebook_dir = self.create_tempdir().full_path
        # Where TensorBoard keeps the info files of the servers it starts (by `tempfile`): the test's own.
        self.tmp = self.create_tempdir().full_path
        jupyter = self.create_tempdir().full_path
        env = {
            "JUPYTER_DATA_DIR": os.path.join(jupyter, "data"),
            "JUPYTER_RUNTIME_DIR": os.path.join(jupyter, "runtime"),
            "JUPYTER_CONFIG_DIR": os.path.join(jupyter, "config"),
            "IPYTHONDIR": os.path.join(jupyter, "ipython"),
            "TMPDIR": self.tmp,
        }
        self.enter_context(mock.patch.dict(os.environ, env))
        installed = subprocess.run([INSTALLER], capture_output=True, text=True)
        self.assertEqual(installed.returncode, 0, installed.stderr)
        self.assertIn(os.path.join(env["JUPYTER_DATA_DIR"], "kernels", KERNEL_NAME), installed.stdout)

        kernel = manager.KernelManager(kernel_name=KERNEL_NAME)
        kernel.start_kernel(cwd=self.notebook_dir)
        self.addCleanup(kernel.shutdown_kernel, now=True)
        self.client = kernel.client()
        self.client.start_channels()
        self.addCleanup(self.client.stop_channels)
        self.client.wait_for_ready(timeout=120)
        self.addCleanup(self.stop_servers)

    def stop_servers(self):
        """Stops every server that `%tensorboard` started, and waits until each has removed its info file."""
        for info_path in glob.glob(os.path.join(self.tmp, ".tensorboard-info", "pid-*.info")):
            with open(info_path) as info:
                pid = json.load(info)["pid"]
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 20
            while os.path.exists(info_path) and time.monotonic() < deadline:
                time.sleep(0.1)
            if os.path.exists(info_path):
                os.kill(pid, signal.SIGKILL)

    def run_cell(self, code):
        """Runs `code` in the kernel; returns the messages it published, failing on an error."""
        published = []
        reply = self.client.execute_interactive(code, timeout=180, output_hook=published.append)
        errors = [message["content"] for message in published if message["msg_type"] == "error"]
        self.assertEqual(reply["content"]["status"], "ok", errors)
        return published

    def test_tensorboard_magic_shows_tensorboard_x_with_the_greetings(self):
        self.run_cell(WRITE_GREETINGS)
        self.run_cell(LOAD_EXTENSION)
        shown = [
            message["content"]["data"]["text/html"]
            for message in self.run_cell(SHOW_TENSORBOARD_X)
            if message["msg_type"] in ("display_data", "update_display_data")
            and "text/html" in message["content"]["data"]
        ]
        self.assertLen(shown, 1, "expected the iframe, once")
        self.assertIn("<iframe", shown[0])
        url = "http://localhost:%s/" % re.search(r"const port = (\d+);", shown[0]).group(1)

        _, _, page = server_testing.get(url)
        self.assertIn(b"<title>TensorBoard-X</title>", page)
        _, _, environment = server_testing.get(url + "data/environment")
        self.assertEqual(json.loads(environment)["window_title"], "TensorBoard-X")
        _, _, listing = server_testing.get(url + "data/plugins_listing")
        self.assertEqual(json.loads(listing)["greeter"]["tab_name"], "Greeter")

        def served_texts():
            status, _, body = server_testing.get(url + "data/plugin/greeter/greetings?run=party&tag=guests")
            return status == 200 and [greeting["text"] for greeting in json.loads(body)]

        self.assertEqual(server_testing.wait_for(served_texts), ["Hello, %s!" % guest for guest in GUESTS])


class LauncherTest(absltest.TestCase):
    """The program `%tensorboard` starts, written by a TensorBoard-X that pip installed beside others."""

    def test_a_module_named_like_a_standard_one_beside_tensorboard_x_shadows_nothing(self):
        # A site-packages directory: TensorBoard-X, the Greeter, its plugin kit, and a distribution's `json.py`.
        site_packages = self.create_tempdir()
        for module in (notebook, greeter_plugin, series_plugin):
            package = os.path.dirname(os.path.abspath(module.__file__))
            os.symlink(package, os.path.join(site_packages.full_path, os.path.basename(package)))
        site_packages.create_file("json.py", content="raise SystemExit('json.py of site-packages shadowed json')\n")
        notebook_dir = self.create_tempdir()
        notebook_dir.create_file("string.py", content="raise SystemExit('string.py of the notebook shadowed string')\n")
        # This kernel's PYTHONPATH is the test's own (runfiles): a pip user's kernel has none.
        environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        with mock.patch.dict(os.environ, clear=True, values=environment), \
                mock.patch.object(notebook, "__file__", os.path.join(site_packages.full_path, "greeter_tensorboard", "notebook.py")), \
                mock.patch.object(notebook, "_launcher_path", None):
            launcher = notebook.launcher()
        result = subprocess.run([launcher, "--version_tb"], capture_output=True, text=True, env=environment,
                                cwd=notebook_dir.full_path)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"^TensorBoard-X \d+\.\d+\.\d+ \(TensorBoard 2\.21\.\d+\)$")


if __name__ == "__main__":
    absltest.main()
