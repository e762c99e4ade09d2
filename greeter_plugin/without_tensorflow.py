"""For tests: makes `import tensorflow` fail in this process, as it does where TensorFlow is not installed.

Call `refuse()` before anything imports TensorFlow; TensorBoard's `tensorboard.compat.tf` then
resolves to TensorBoard's own stub, as for users who have no TensorFlow.
"""

import importlib.abc
import sys


class _RefuseTensorFlow(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname == "tensorflow" or fullname.startswith("tensorflow."):
            raise ModuleNotFoundError("No module named %r" % fullname, name=fullname)
        return None


def refuse():
    """Makes every later `import tensorflow` (or of a submodule) raise `ModuleNotFoundError`."""
    if not any(isinstance(finder, _RefuseTensorFlow) for finder in sys.meta_path):
        sys.meta_path.insert(0, _RefuseTensorFlow())
