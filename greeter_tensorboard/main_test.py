"""Tests of how TensorBoard-X assembles its plugins and its assets."""

import gc
import zipfile
from unittest import mock

from absl.testing import absltest

from tensorboard import default
from tensorboard import program
from tensorboard.backend import application

from greeter_plugin import plugin as greeter_plugin
from greeter_plugin import plugin_testing
from greeter_tensorboard import main


def build_app(plugins):
    flags = plugin_testing.tensorboard_flags(absltest.get_default_test_tmpdir())
    data_provider = plugin_testing.start_data_provider(flags, "python")
    return application.TensorBoardWSGIApp(flags, plugins, data_provider, main.assets_zip)


class PluginsTest(absltest.TestCase):
    def test_the_greeter_comes_after_every_standard_plugin(self):
        plugins = main.plugins()
        self.assertEqual(plugins[: len(default.get_plugins())], default.get_plugins())
        self.assertIsInstance(plugins[len(default.get_plugins())], greeter_plugin.GreeterLoader)
        build_app(plugins)

    def test_a_greeter_found_by_entry_point_too_is_listed_once(self):
        with_entry_point = default.get_plugins() + [greeter_plugin.GreeterLoader]
        with mock.patch.object(default, "get_plugins", return_value=with_entry_point):
            plugins = main.plugins()
        greeters = [p for p in plugins if getattr(p, "plugin_name", None) == "greeter"]
        self.assertLen(greeters, 1)
        build_app(plugins)

    def test_a_duplicate_name_is_what_aborts_start_up(self):
        # The failure `plugins()` exists to avoid, so this test can tell when it is no longer needed.
        with self.assertRaisesRegex(ValueError, "Duplicate plugins for name greeter"):
            build_app(main.plugins() + [greeter_plugin.GreeterLoader()])


class AssetsTest(absltest.TestCase):
    def test_the_bundle_is_tensorboards_with_the_brand(self):
        with main.assets_zip() as assets, zipfile.ZipFile(assets) as bundle:
            self.assertIn("index.js", bundle.namelist())
            self.assertIn(b"<title>TensorBoard-X</title>", bundle.read("index.html"))


class ServerTest(absltest.TestCase):
    def test_what_start_up_made_is_left_out_of_the_collectors_passes(self):
        self.addCleanup(gc.unfreeze)
        server = object()
        with mock.patch.object(program.TensorBoard, "_make_server", return_value=server):
            self.assertIs(main.TensorBoardX(plugins=[])._make_server(), server)
        self.assertGreater(gc.get_freeze_count(), 0)


class VersionTest(absltest.TestCase):
    def test_names_both_versions(self):
        self.assertRegex(main.version_line(), r"^TensorBoard-X \d+\.\d+\.\d+ \(TensorBoard 2\.21\.\d+\)$")


if __name__ == "__main__":
    absltest.main()
