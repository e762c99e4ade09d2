"""Halves what TensorBoard's Python loader holds in memory for each tensor it keeps.

The loader keeps a sampled tensor as a sub-message of the event it was parsed from, and protobuf's
C implementation then keeps the whole event's arena alive: about 2.7 KB for a one-string tensor.
A copy of the tensor lives in an arena of its own, about half that (see BENCHMARKS.md). The Rust
fast loader holds its data in the data server and is not concerned.
"""

import functools

from tensorboard.backend.event_processing import plugin_event_accumulator
from tensorboard.compat.proto import tensor_pb2


def keep_tensor_copies():
    """Makes every `EventAccumulator` keep copies of the tensors it samples; idempotent."""
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
