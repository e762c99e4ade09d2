"""Serving logdirs without importing TensorFlow, which costs seconds and hundreds of MB.

TensorBoard reaches TensorFlow through `tensorboard.compat.tf`, which resolves once per process: to
TensorFlow when it is installed, else to TensorBoard's own stub (file I/O, records, protos). Reading
event files needs only the stub, which reads local paths, s3:// (through boto3, see object_storage)
and every scheme fsspec knows (gs:// through gcsfs, file://, ...), so TensorBoard-X resolves it to
the stub, except:

- a logdir on a filesystem that only TensorFlow reads (its in-memory ram://, say) is read through
  TensorFlow, as stock TensorBoard does;
- the projector reads model checkpoints, which only TensorFlow can: it gets a module that is the stub
  for everything else and imports TensorFlow the first time a run names a checkpoint;
- the Debugger V2 plugin imports TensorFlow itself, when it is used.
"""

import importlib
import importlib.util
import os
import sys
import types

from tensorboard.backend.event_processing import data_ingester
from tensorboard.compat import tensorflow_stub
from tensorboard.plugins.projector import projector_plugin

# `tensorboard.compat` resolves `tf` to the stub when this module exists (TensorBoard's "notf" build).
_FORCE_STUB_MODULE = "tensorboard.compat.notf"


def stub_reads(path):
    """Whether TensorBoard's stub filesystem can read `path` with what is installed."""
    try:
        tensorflow_stub.io.gfile.get_filesystem(path)
    except (ValueError, ImportError):  # No filesystem for the scheme; fsspec's driver not installed.
        return False
    return True


def logdir_paths(flags):
    """The directories that --logdir or --logdir_spec name."""
    if flags.logdir:
        return [flags.logdir]
    # TensorBoard's own parser of "name:path,path,..." keeps URLs whole.
    return list(data_ingester._parse_event_files_spec(flags.logdir_spec))


def use_stub_unless_needed(flags):
    """Resolves TensorBoard's `tf` to its stub when it reads every logdir; returns whether it did.

    Must run before anything touches `tensorboard.compat.tf`.
    """
    if not all(stub_reads(path) for path in logdir_paths(flags)):
        return False
    sys.modules.setdefault(_FORCE_STUB_MODULE, types.ModuleType(_FORCE_STUB_MODULE))
    projector_plugin.tf = CheckpointsOnDemand()
    return True


class CheckpointsOnDemand(types.ModuleType):
    """TensorBoard's TF stub, but TensorFlow itself for checkpoints, imported on first use."""

    def __init__(self):
        super().__init__("tensorflow_on_demand")
        self._tensorflow = None
        # The projector reads checkpoints only when this is not "stub".
        self.__version__ = "on demand" if importlib.util.find_spec("tensorflow") else "stub"
        self.train = _TrainOnDemand(self._import_tensorflow)

    def _import_tensorflow(self):
        if self._tensorflow is None:
            self._tensorflow = importlib.import_module("tensorflow")
        return self._tensorflow

    def __getattr__(self, name):
        # Checkpoint APIs raise TensorFlow's own errors, which the projector catches by class.
        if name == "errors" and self._tensorflow is not None:
            return self._tensorflow.errors
        return getattr(tensorflow_stub, name)


class _TrainOnDemand:
    """`tf.train`, imported when a checkpoint is really there to read."""

    def __init__(self, import_tensorflow):
        self._import_tensorflow = import_tensorflow

    def latest_checkpoint(self, checkpoint_dir, latest_filename=None):
        """As `tf.train.latest_checkpoint`; None, without TensorFlow, where no checkpoint is named."""
        # The projector asks this of every run; most hold no checkpoint state file at all.
        state_file = os.path.join(checkpoint_dir, latest_filename or "checkpoint")
        if not tensorflow_stub.io.gfile.exists(state_file):
            return None
        return self._import_tensorflow().train.latest_checkpoint(checkpoint_dir, latest_filename)

    def __getattr__(self, name):
        return getattr(self._import_tensorflow().train, name)
