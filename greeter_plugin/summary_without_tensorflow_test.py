"""Tests that `greeter_plugin.summary` imports, and `pb` works, where TensorFlow cannot be imported."""

import importlib.abc
import sys


class _RefuseTensorFlow(importlib.abc.MetaPathFinder):
    """Makes `import tensorflow` fail as it does where TensorFlow is not installed."""

    def find_spec(self, fullname, path, target=None):
        if fullname == "tensorflow" or fullname.startswith("tensorflow."):
            raise ModuleNotFoundError("No module named %r" % fullname, name=fullname)
        return None


sys.meta_path.insert(0, _RefuseTensorFlow())

from absl.testing import absltest  # noqa: E402 (TensorFlow must be refused first)

from greeter_plugin import summary  # noqa: E402


class WithoutTensorFlowTest(absltest.TestCase):
    def test_tensorflow_cannot_be_imported_here(self):
        with self.assertRaises(ModuleNotFoundError):
            import tensorflow  # noqa: F401

    def test_importing_the_summary_api_loaded_no_tensorflow(self):
        loaded = [name for name in sys.modules if name.split(".")[0] == "tensorflow"]
        self.assertEqual(loaded, [])

    def test_pb_writes_a_greeting(self):
        (value,) = summary.pb("guests", "Zoë", description="*Who* came").value
        self.assertEqual(value.tag, "guests")
        self.assertEqual(value.tensor.string_val, ["Hello, Zoë!".encode("utf-8")])
        self.assertEqual(value.metadata.plugin_data.plugin_name, "greeter")
        self.assertEqual(value.metadata.summary_description, "*Who* came")

    def test_the_tensorflow_apis_say_what_is_missing(self):
        with self.assertRaisesRegex(ModuleNotFoundError, "tensorflow"):
            summary.greeting("guests", "Ada", step=0)


if __name__ == "__main__":
    absltest.main()
