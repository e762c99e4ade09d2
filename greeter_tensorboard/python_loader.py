"""TensorBoard-X's fixes to TensorBoard 2.21's Python loader (--load_fast=false), applied at start-up.

TensorBoard is a pip package, so its loader is mended here, in the binary, rather than in it: a plugin
(and the Greeter's wheel in stock TensorBoard) changes nothing of TensorBoard's. The Rust fast loader
needs neither fix.
"""

import functools
import logging

from google.protobuf import message

from tensorboard.backend.event_processing import event_file_loader
from tensorboard.backend.event_processing import plugin_event_accumulator
from tensorboard.backend.event_processing import plugin_event_multiplexer
from tensorboard.compat.proto import event_pb2
from tensorboard.compat.proto import tensor_pb2

logger = logging.getLogger(__name__)


def install():
    """Applies every fix; idempotent."""
    keep_tensor_copies()
    skip_events_that_do_not_parse()
    keep_reloading_when_a_logdir_cannot_be_listed()


def keep_tensor_copies():
    """Halves what the loader holds in memory for each tensor it keeps.

    It keeps a sampled tensor as a sub-message of the event it was parsed from, and protobuf's C
    implementation then keeps the whole event's arena alive: about 2.7 KB for a one-string tensor. A
    copy lives in an arena of its own, about half that (see BENCHMARKS.md).
    """
    accumulator = plugin_event_accumulator.EventAccumulator
    process_tensor = accumulator._ProcessTensor
    if getattr(process_tensor, "keeps_copies", False):
        return

    @functools.wraps(process_tensor)
    def process_copy(self, tag, wall_time, step, tensor):
        copy = tensor_pb2.TensorProto()
        copy.CopyFrom(tensor)
        return process_tensor(self, tag, wall_time, step, copy)

    process_copy.keeps_copies = True
    accumulator._ProcessTensor = process_copy


def skip_events_that_do_not_parse():
    """Makes the loader skip an event it cannot parse instead of stopping for good.

    Protocol buffers' string fields must be UTF-8, but writers that do not check (C++ logs and writes
    anyway) can leave a display name or description that is not. The loader lets the `DecodeError`
    escape its reload thread, which ends it: no run, of any plugin, is loaded again.
    """
    loader_class = event_file_loader.LegacyEventFileLoader
    if getattr(loader_class.Load, "skips_events_that_do_not_parse", False):
        return

    @functools.wraps(loader_class.Load)
    def load(self):
        for record in event_file_loader.RawEventFileLoader.Load(self):
            try:
                event = event_pb2.Event.FromString(record)
            except message.DecodeError as e:
                logger.warning("Skipping an event of %s that does not parse: %s", self._file_path, e)
                continue
            yield event

    load.skips_events_that_do_not_parse = True
    loader_class.Load = load


def keep_reloading_when_a_logdir_cannot_be_listed():
    """Keeps the loader's reload thread alive when listing a logdir for new runs fails.

    The loader skips a run whose files fail with an `OSError` and tries it again at the next reload,
    but it lets the same error from listing the logdir escape its reload thread, which ends it: after
    an object store's endpoint is away for a moment (object_storage turns each failure into an
    `OSError`), nothing is loaded again. Listing now fails like a run: one warning, kept data, and
    another try at the next reload.
    """
    multiplexer_class = plugin_event_multiplexer.EventMultiplexer
    add_runs = multiplexer_class.AddRunsFromDirectory
    if getattr(add_runs, "keeps_reloading", False):
        return

    @functools.wraps(add_runs)
    def add_runs_or_try_again_later(self, path, name=None):
        try:
            return add_runs(self, path, name)
        except OSError as e:
            logger.warning("Cannot list %s for new runs; serving what is loaded, trying again at the next reload: %s", path, e)
            return self

    add_runs_or_try_again_later.keeps_reloading = True
    multiplexer_class.AddRunsFromDirectory = add_runs_or_try_again_later
