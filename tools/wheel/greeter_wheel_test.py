"""Tests that the Greeter's wheel works in stock TensorBoard, and beside TensorBoard-X's own Greeter.

The wheel is installed with pip, offline, into a new virtual environment that holds nothing else.
That environment reaches the wheel's declared requirements (TensorFlow not among them) through a
.pth file: a directory of links to exactly those distributions, and everything they require, as the
@pypi environment has them installed. So stock TensorBoard runs there as after
`pip install tensorboard-x-greeter`, at the locked versions, without network access; a requirement
the wheel forgets to declare, or TensorFlow, is not importable there.
"""

import email.parser
import importlib.metadata
import json
import os
import subprocess
import sys
import urllib.parse
import zipfile
from unittest import mock

from absl.testing import absltest
from packaging import requirements

from tensorboard.compat.proto import event_pb2
from tensorboard.summary.writer import event_file_writer

from greeter_plugin import summary
from greeter_tensorboard import server_testing
from plugin_kit import version
from tools.wheel import wheel_testing

# A runfiles path relative to the test's working directory, from the BUILD's $(rootpath).
WHEEL = os.path.abspath(os.environ["GREETER_WHEEL"])
# The plugin kit's wheel, which the Greeter's requires: a workspace wheel, installed beside it.
KIT_WHEEL = os.path.abspath(os.environ["KIT_WHEEL"])
KIT = "tensorboard-x-plugin-kit"
GUESTS = ("Ada", "Zoë", "李雷")


def requires_dist(wheel_path):
    """Every requirement in the wheel's METADATA, as text, those of its extras included."""
    with zipfile.ZipFile(wheel_path) as wheel:
        (metadata_path,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.parser.BytesParser().parsebytes(wheel.read(metadata_path))
    return metadata.get_all("Requires-Dist")


def declared_requirements(wheel_path):
    """The requirements in the wheel's METADATA that pip installs without extras."""
    return without_extras(requires_dist(wheel_path))


def without_extras(requirement_texts):
    """The requirements among `requirement_texts` that pip installs when no extra is asked for."""
    parsed = [requirements.Requirement(text) for text in requirement_texts]
    return [r for r in parsed if not r.marker or r.marker.evaluate({"extra": ""})]


def link_distributions(wanted, directory):
    """Links each installed distribution of `wanted`, and what it requires, into `directory`.

    Raises:
      AssertionError: an installed version does not satisfy a requirement.
    """
    os.makedirs(directory)
    linked = set()
    while wanted:
        requirement = wanted.pop()
        distribution = importlib.metadata.distribution(requirement.name)
        assert distribution.version in requirement.specifier, (requirement, distribution.version)
        if distribution.metadata["Name"].lower() in linked:
            continue
        linked.add(distribution.metadata["Name"].lower())
        # Each file's first path component: its packages, modules and dist-info; scripts are "..".
        for top_level in {f.parts[0] for f in distribution.files if f.parts[0] != ".."}:
            target = os.path.join(directory, top_level)
            if not os.path.lexists(target):
                os.symlink(distribution.locate_file(top_level), target)
        wanted += without_extras(distribution.requires or ())


def write_greetings(run_dir):
    writer = event_file_writer.EventFileWriter(run_dir)
    for step, guest in enumerate(GUESTS):
        writer.add_event(event_pb2.Event(step=step, wall_time=1.7e9 + step, summary=summary.pb("guests", guest)))
    writer.close()


class GreeterWheelTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tmp = absltest.get_default_test_tmpdir()
        cls.logdir = os.path.join(tmp, "logs")
        write_greetings(os.path.join(cls.logdir, "party"))

        env_dir = os.path.join(tmp, "venv")
        cls.python, cls.site_packages = wheel_testing.install_offline(WHEEL, env_dir, more_wheels=[KIT_WHEEL])
        requires = [r for r in declared_requirements(WHEEL) if r.name != KIT] + declared_requirements(KIT_WHEEL)
        link_distributions(requires, os.path.join(tmp, "requirements"))
        with open(os.path.join(cls.site_packages, "wheel_requirements.pth"), "w") as pth:
            pth.write(os.path.join(tmp, "requirements") + "\n")
        # Stock TensorBoard's command in that environment. -I ignores the test's PYTHONPATH, which
        # holds this workspace's own greeter_plugin.
        cls.stock_tensorboard = os.path.join(env_dir, "bin", "stock_tensorboard")
        with open(cls.stock_tensorboard, "w") as script:
            script.write('#!/bin/sh\nexec "%s" -I -m tensorboard.main "$@"\n' % cls.python)
        os.chmod(cls.stock_tensorboard, 0o755)

    def run_python(self, code, *args, **env):
        return subprocess.run(
            [self.python, "-I", "-c", code, *args], capture_output=True, text=True, check=True, env=env or None
        ).stdout

    def get_json(self, url):
        status, _, body = server_testing.get(url)
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def test_requires_the_kit_with_a_version_range_and_gets_it_from_the_kits_wheel(self):
        self.assertIn("tensorboard-x-plugin-kit<0.2,>=0.1", [str(r) for r in declared_requirements(WHEEL)])
        output = self.run_python("import importlib.metadata, plugin_kit.series_plugin, plugin_kit.version\n"
                                 "print(plugin_kit.__file__)\nprint(plugin_kit.version.__version__)\n"
                                 "print(importlib.metadata.version('%s'))" % KIT).splitlines()
        # The package says the version its wheel was built at (//plugin_kit:version_test: version.bzl agrees).
        self.assertEqual(output, [os.path.join(self.site_packages, "plugin_kit", "__init__.py"), version.__version__,
                                  version.__version__])

    def test_the_kits_testing_extra_brings_the_browser_harness_and_playwright(self):
        testing = [requirements.Requirement(text) for text in requires_dist(KIT_WHEEL)]
        testing = [r.name for r in testing if r.marker and r.marker.evaluate({"extra": "testing"})]
        self.assertContainsSubset({"absl-py", "hypothesis", "playwright"}, testing)
        for harness in ("testing/browser_harness.py", "testing/server_harness.py", "testing/route_harness.py"):
            self.assertTrue(os.path.isfile(os.path.join(self.site_packages, "plugin_kit", harness)), harness)

    def test_installs_the_greeter_with_its_entry_point_and_without_tensorflow(self):
        output = self.run_python(
            "import importlib.metadata, importlib.util, greeter_plugin.plugin\n"
            "print(greeter_plugin.__file__)\n"
            "print([e.value for e in importlib.metadata.entry_points(group='tensorboard_plugins', name='greeter')])\n"
            "print(importlib.util.find_spec('tensorflow'))\n"
        ).splitlines()
        self.assertEqual(output[0], os.path.join(self.site_packages, "greeter_plugin", "__init__.py"))
        self.assertEqual(output[1:], ["['greeter_plugin.plugin:GreeterLoader']", "None"])

    def test_reads_greetings_back_without_tensorflow_and_says_pandas_is_missing(self):
        output = self.run_python(
            "import sys\n"
            "from greeter_plugin import greetings_data\n"
            "print([(g.run, g.tag, g.step, g.text) for g in greetings_data.read_greetings(sys.argv[1])])\n"
            "try:\n"
            "    greetings_data.greetings_dataframe(sys.argv[1])\n"
            "except ImportError as e:\n"
            "    print(e)\n",
            self.logdir,
        ).splitlines()
        self.assertEqual(
            output[0], repr([("party", "guests", step, "Hello, %s!" % guest) for step, guest in enumerate(GUESTS)])
        )
        self.assertEqual(
            output[1:],
            ["greetings_dataframe needs pandas, which is not installed: `pip install pandas`, or use "
             "read_greetings(logdir) for the same rows without it"],
        )

    def test_stock_tensorboard_lists_and_serves_the_greeter(self):
        with server_testing.serve(self.logdir, binary=self.stock_tensorboard) as url:
            tags = server_testing.wait_for(lambda: self.get_json(url + "data/plugin/greeter/tags"))
            # After the run is read: the listing's "enabled" follows the data read.
            listing = self.get_json(url + "data/plugins_listing")
            query = urllib.parse.urlencode({"run": "party", "tag": "guests"})
            greetings = self.get_json(url + "data/plugin/greeter/greetings?" + query)
            status, headers, bundle = server_testing.get(url + "data/plugin/greeter/static/index.js")
            _, _, page = server_testing.get(url)
        self.assertIn(b"<title>TensorBoard</title>", page)
        self.assertEqual(listing["greeter"]["tab_name"], "Greeter")
        self.assertTrue(listing["greeter"]["enabled"])
        self.assertEqual(tags, {"party": ["guests"]})
        self.assertEqual([g["text"] for g in greetings], ["Hello, %s!" % guest for guest in GUESTS])
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/javascript"), headers["Content-Type"])
        with zipfile.ZipFile(WHEEL) as wheel:
            self.assertEqual(bundle, wheel.read("greeter_plugin/frontend/index.js"))

    def test_tensorboard_x_keeps_one_greeter_when_the_wheel_is_installed_too(self):
        # TensorBoard-X's own greeter_plugin comes first on its path; the wheel adds the entry point.
        pythonpath = os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), self.site_packages]))
        found = subprocess.run(
            [sys.executable, "-c", "from tensorboard import default\n"
             "print([getattr(p, 'plugin_name', None) for p in default.get_plugins()].count('greeter'))"],
            capture_output=True, text=True, check=True, env=dict(os.environ, PYTHONPATH=pythonpath),
        ).stdout
        self.assertEqual(found.strip(), "1", "TensorBoard's entry point did not find the wheel's Greeter")
        with mock.patch.dict(os.environ, PYTHONPATH=pythonpath):
            with server_testing.serve(self.logdir) as url:
                tags = server_testing.wait_for(lambda: self.get_json(url + "data/plugin/greeter/tags"))
                listing = self.get_json(url + "data/plugins_listing")
        self.assertEqual([name for name in listing if name == "greeter"], ["greeter"])
        self.assertTrue(listing["greeter"]["enabled"])
        self.assertEqual(tags, {"party": ["guests"]})


if __name__ == "__main__":
    absltest.main()
