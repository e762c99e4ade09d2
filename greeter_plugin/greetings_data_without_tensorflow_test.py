"""`greetings_data_test`'s logdir tests where TensorFlow cannot be imported, as for most PyTorch and JAX users.

TensorBoard's loader then reads with its own stub, whose record reader meets the records cut off
mid-write of the growing logdir.
"""

from greeter_plugin import without_tensorflow

without_tensorflow.refuse()

from absl.testing import absltest  # noqa: E402 (TensorFlow must be refused first)

from tensorboard.compat import tf  # noqa: E402

from greeter_plugin import greetings_data_test  # noqa: E402

GrowingLogdirTest = greetings_data_test.GrowingLogdirTest
LogdirTest = greetings_data_test.LogdirTest


class StubTest(absltest.TestCase):
    def test_tensorboard_reads_with_its_stub(self):
        self.assertEqual(tf.__version__, "stub")


if __name__ == "__main__":
    absltest.main()
