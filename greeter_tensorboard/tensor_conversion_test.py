"""Tests that TensorBoard-X's string path of `make_ndarray` builds what TensorBoard's own does."""

import numpy as np
from absl.testing import absltest

from tensorboard.compat.proto import tensor_pb2
from tensorboard.compat.proto import tensor_shape_pb2
from tensorboard.compat.proto import types_pb2
from tensorboard.util import tensor_util

from greeter_tensorboard import tensor_conversion

ORIGINAL = tensor_util.make_ndarray


def string_tensor(values, shape):
    return tensor_pb2.TensorProto(
        dtype=types_pb2.DT_STRING,
        string_val=values,
        tensor_shape=tensor_shape_pb2.TensorShapeProto(dim=[{"size": size} for size in shape]),
    )


class StringPathTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        tensor_conversion.install()
        self.addCleanup(setattr, tensor_util, "make_ndarray", ORIGINAL)

    def assert_same_array(self, tensor):
        ours, theirs = tensor_util.make_ndarray(tensor), ORIGINAL(tensor)
        self.assertEqual(ours.dtype, theirs.dtype)
        self.assertEqual(ours.shape, theirs.shape)
        self.assertEqual(ours.tolist(), theirs.tolist())

    def test_takes_its_own_path_for_strings(self):
        self.assertTrue(tensor_util.make_ndarray.has_string_path)
        self.assertIsNot(tensor_util.make_ndarray, ORIGINAL)

    def test_builds_what_tensorboard_builds(self):
        for values, shape in (
            ([b"Hello, Ada!"], []),
            (["Zoë 🦊".encode()], [1]),
            ([b"a", b"b", b"c", b"d", b"e", b"f"], [2, 3]),
            ([b"repeated"], [2, 2]),
            ([b"\xff\xfe not UTF-8"], []),
            ([], [0]),
        ):
            with self.subTest(values=values, shape=shape):
                self.assert_same_array(string_tensor(values, shape))

    def test_other_types_take_tensorboards_path(self):
        tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, float_val=[1.5, 2.5])
        tensor.tensor_shape.dim.add(size=2)
        self.assert_same_array(tensor)
        np.testing.assert_array_equal(tensor_util.make_ndarray(tensor), np.array([1.5, 2.5], dtype=np.float32))

    def test_installs_once(self):
        patched = tensor_util.make_ndarray
        tensor_conversion.install()
        self.assertIs(tensor_util.make_ndarray, patched)


if __name__ == "__main__":
    absltest.main()
