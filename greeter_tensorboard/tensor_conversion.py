"""TensorBoard-X's fix to how TensorBoard 2.21 turns tensors into numpy arrays, applied at start-up.

Every tensor a plugin reads through the data provider, under both loaders, goes through
`tensor_util.make_ndarray`, which finds a tensor's type by up to sixteen comparisons of the stub's
`DType` objects: about 35 µs for a one-string tensor, 35 ms of a cold read of one run's 1,000
greetings, several times what the read costs otherwise (BENCHMARKS.md). String tensors, which the
Greeter and the text plugin read, now take a direct path that builds the same array.
"""

import functools
import math

import numpy as np

from tensorboard.compat.proto import types_pb2
from tensorboard.util import tensor_util


def install():
    """Gives `tensor_util.make_ndarray` its direct path for string tensors; idempotent."""
    make_ndarray = tensor_util.make_ndarray
    if getattr(make_ndarray, "has_string_path", False):
        return

    @functools.wraps(make_ndarray)
    def make_ndarray_with_string_path(tensor):
        if tensor.dtype != types_pb2.DT_STRING or tensor.tensor_content:
            return make_ndarray(tensor)
        shape = [d.size for d in tensor.tensor_shape.dim]
        values = tensor.string_val
        if len(values) == 1:  # One value stands for every element, as in `make_ndarray`.
            array = np.empty(math.prod(shape), dtype=object)
            array[:] = [values[0]]
            return array.reshape(shape)
        return np.array(list(values), dtype=object).reshape(shape)

    make_ndarray_with_string_path.has_string_path = True
    tensor_util.make_ndarray = make_ndarray_with_string_path
