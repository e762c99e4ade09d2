"""Tests that the three ways of writing a greeting agree, and refuse bad input clearly."""

import os

from absl.testing import absltest
import tensorflow as tf

from tensorboard.backend.event_processing import event_file_loader
from tensorboard.compat.proto import summary_pb2

from greeter_plugin import summary

GUESTS = ("Ada", "Zoë", "李雷", "🦊", "<script>alert(1)</script>", "", "x" * 10000)


def _op_value(name, guest, **kwargs):
    with tf.Graph().as_default():
        guest_input = tf.compat.v1.placeholder(tf.string, shape=[])
        greeting_op = summary.op(name, guest_input, **kwargs)
        with tf.compat.v1.Session() as session:
            serialized = session.run(greeting_op, feed_dict={guest_input: guest})
    (value,) = summary_pb2.Summary.FromString(serialized).value
    return value


def _greeting_value(logdir, name, guest, **kwargs):
    writer = tf.summary.create_file_writer(logdir)
    with writer.as_default():
        written = summary.greeting(name, guest, step=7, **kwargs)
    writer.close()
    (path,) = [os.path.join(logdir, f) for f in os.listdir(logdir)]
    events = [e for e in event_file_loader.EventFileLoader(path).Load() if e.HasField("summary")]
    (event,) = events
    (value,) = event.summary.value
    return bool(written), event.step, value


class SameProtoTest(absltest.TestCase):
    def test_op_greeting_and_pb_write_the_same_value(self):
        for index, guest in enumerate(GUESTS):
            with self.subTest(guest=guest[:20]):
                from_pb = summary.pb("guests", guest, description="Who *came*.")
                (pb_value,) = from_pb.value
                op_value = _op_value("guests", guest, description="Who *came*.")
                written, step, greeting_value = _greeting_value(
                    self.create_tempdir().full_path, "guests", guest, description="Who *came*."
                )
                self.assertTrue(written)
                self.assertEqual(step, 7)
                self.assertEqual(pb_value, op_value)
                self.assertEqual(pb_value, greeting_value)
                self.assertEqual(pb_value.tag, "guests")
                self.assertEqual(tf.make_ndarray(pb_value.tensor).item().decode("utf-8"), "Hello, %s!" % guest)

    def test_display_name_reaches_the_metadata(self):
        (pb_value,) = summary.pb("guests", "Ada", display_name="Guests").value
        self.assertEqual(pb_value, _op_value("guests", "Ada", display_name="Guests"))
        self.assertEqual(pb_value.metadata.display_name, "Guests")


class GreetingTest(absltest.TestCase):
    def test_returns_false_without_a_default_writer(self):
        self.assertFalse(bool(summary.greeting("guests", "Ada", step=0)))

    def test_takes_the_default_step(self):
        logdir = self.create_tempdir().full_path
        tf.summary.experimental.set_step(3)
        try:
            writer = tf.summary.create_file_writer(logdir)
            with writer.as_default():
                self.assertTrue(bool(summary.greeting("guests", "Ada")))
            writer.close()
        finally:
            tf.summary.experimental.set_step(None)
        (path,) = [os.path.join(logdir, f) for f in os.listdir(logdir)]
        steps = [e.step for e in event_file_loader.EventFileLoader(path).Load() if e.HasField("summary")]
        self.assertEqual(steps, [3])

    def test_needs_a_step_when_writing(self):
        with tf.summary.create_file_writer(self.create_tempdir().full_path).as_default():
            with self.assertRaisesRegex(ValueError, "step"):
                summary.greeting("guests", "Ada")

    def test_tags_take_the_name_scope(self):
        logdir = self.create_tempdir().full_path
        with tf.summary.create_file_writer(logdir).as_default(), tf.name_scope("party"):
            summary.greeting("guests", "Ada", step=0)
        (path,) = [os.path.join(logdir, f) for f in os.listdir(logdir)]
        tags = [v.tag for e in event_file_loader.EventFileLoader(path).Load() for v in e.summary.value]
        self.assertEqual(tags, ["party/guests"])


class BadInputTest(absltest.TestCase):
    def test_every_api_refuses_a_guest_that_is_not_text(self):
        for guest in (42, b"Ada", None, ["Ada"]):
            with self.subTest(guest=guest):
                with self.assertRaisesRegex(TypeError, "guest must be a str"):
                    summary.pb("guests", guest)
                with self.assertRaisesRegex(TypeError, "guest must be a str or a string tensor"):
                    with tf.Graph().as_default():
                        summary.op("guests", guest)
                with self.assertRaisesRegex(TypeError, "guest must be a str or a string tensor"):
                    summary.greeting("guests", guest, step=0)

    def test_refuses_a_tensor_that_is_not_a_string(self):
        with self.assertRaisesRegex(TypeError, "not a int32 tensor"):
            summary.greeting("guests", tf.constant(3), step=0)
        with self.assertRaisesRegex(TypeError, "not a float32 tensor"):
            with tf.Graph().as_default():
                summary.op("guests", tf.constant(1.5))

    def test_refuses_a_string_tensor_that_is_not_scalar(self):
        with self.assertRaisesRegex(ValueError, r"scalar string tensor, not one of shape \(2,\)"):
            summary.greeting("guests", tf.constant(["Ada", "Bob"]), step=0)
        with self.assertRaisesRegex(ValueError, r"scalar string tensor, not one of shape \(2,\)"):
            with tf.Graph().as_default():
                summary.op("guests", tf.compat.v1.placeholder(tf.string, shape=[2]))
        # A shape unknown until run is refused when run.
        with tf.Graph().as_default():
            guests = tf.compat.v1.placeholder(tf.string, shape=None)
            greeting_op = summary.op("guests", guests)
            with tf.compat.v1.Session() as session:
                with self.assertRaisesRegex(tf.errors.InvalidArgumentError, "shape"):
                    session.run(greeting_op, feed_dict={guests: ["Ada", "Bob"]})
                self.assertTrue(session.run(greeting_op, feed_dict={guests: "Ada"}))

    def test_pb_refuses_a_bad_tag(self):
        with self.assertRaisesRegex(ValueError, "tag must not be empty"):
            summary.pb("", "Ada")
        with self.assertRaisesRegex(TypeError, "tag must be a str, not int"):
            summary.pb(3, "Ada")

    def test_refuses_a_display_name_that_is_not_text(self):
        with self.assertRaisesRegex(TypeError, "display_name must be a str or None"):
            summary.pb("guests", "Ada", display_name=1)


if __name__ == "__main__":
    absltest.main()
