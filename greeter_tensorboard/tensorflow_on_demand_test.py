"""Tests that TensorBoard-X serves a local logdir without TensorFlow, and imports it where needed."""

import json
import os

from absl.testing import absltest
import numpy as np
import tensorflow as tf

from tensorboard.plugins import projector

from greeter_plugin import greeter_demo
from greeter_plugin import plugin_testing
from greeter_tensorboard import server_testing
from greeter_tensorboard import tensorflow_on_demand

EMBEDDING = np.arange(12, dtype=np.float32).reshape(4, 3)


def write_projector_run(run_dir):
    """A run with a checkpoint holding EMBEDDING and the projector config that points at it."""
    with tf.summary.create_file_writer(run_dir).as_default():  # What makes the directory a run.
        tf.summary.scalar("loss", 0.5, step=0)
    embedding = tf.Variable(EMBEDDING, name="embedding")
    checkpoint = tf.train.Checkpoint(embedding=embedding)
    checkpoint.save(os.path.join(run_dir, "embedding.ckpt"))
    config = projector.ProjectorConfig()
    config.embeddings.add().tensor_name = "embedding/.ATTRIBUTES/VARIABLE_VALUE"
    projector.visualize_embeddings(run_dir, config)


class LogdirPathsTest(absltest.TestCase):
    def test_the_stub_reads_local_paths_object_storage_and_file_urls(self):
        for path in ("/tmp/logs", "logs", "file:///tmp/logs", "s3://bucket/logs", "gs://bucket/logs"):
            self.assertTrue(tensorflow_on_demand.stub_reads(path), path)
        # TensorFlow's own in-memory filesystem, which fsspec calls memory://.
        self.assertFalse(tensorflow_on_demand.stub_reads("ram://logs"))

    def test_reads_logdir_and_logdir_spec(self):
        flags = plugin_testing.tensorboard_flags("/tmp/a")
        self.assertEqual(tensorflow_on_demand.logdir_paths(flags), ["/tmp/a"])
        flags.logdir, flags.logdir_spec = "", "one:/tmp/a,gs://bucket/b"
        self.assertCountEqual(tensorflow_on_demand.logdir_paths(flags), ["/tmp/a", "gs://bucket/b"])

    def test_a_filesystem_only_tensorflow_reads_keeps_tensorflow(self):
        flags = plugin_testing.tensorboard_flags("ram://logs")
        self.assertFalse(tensorflow_on_demand.use_stub_unless_needed(flags))


class ServerTestCase(absltest.TestCase):
    def serve(self, logdir):
        url = self.enterContext(server_testing.serve(logdir))
        return url, server_testing.server_process(url)

    def get_json(self, url):
        status, _, body = server_testing.get(url)
        self.assertEqual(status, 200, body)
        return json.loads(body)


class WithoutTensorFlowTest(ServerTestCase):
    def test_the_dashboards_and_the_greeter_serve_without_tensorflow(self):
        logdir = self.create_tempdir().full_path
        written = greeter_demo.write_demo(logdir)
        url, process = self.serve(logdir)
        server_testing.wait_for(lambda: len(self.get_json(url + "data/plugin/greeter/tags")) == len(written))
        self.assertTrue(self.get_json(url + "data/plugins_listing")["greeter"]["enabled"])
        self.get_json(url + "data/plugin/greeter/greetings?run=tf1_graph_op&tag=graph_greetings")
        self.get_json(url + "data/plugin/scalars/tags")
        self.get_json(url + "data/plugin/projector/runs")
        self.assertFalse(server_testing.has_loaded_tensorflow(process))


class FileUrlTest(absltest.TestCase):
    def test_a_file_url_is_served_by_the_fast_loader_like_its_path(self):
        logdir = self.create_tempdir().full_path
        written = greeter_demo.write_demo(logdir)
        url, process = self.enterContext(server_testing.serve_process("file://" + logdir))

        def tags():
            return json.loads(server_testing.get(url + "data/plugin/greeter/tags")[2])

        server_testing.wait_for(lambda: len(tags()) == len(written))
        self.assertCountEqual(tags(), written)
        self.assertIn("reads %s with the fast loader" % logdir, server_testing.printed(process))


class ProjectorTest(ServerTestCase):
    def test_loads_tensorflow_to_read_a_checkpoint(self):
        logdir = self.create_tempdir().full_path
        write_projector_run(os.path.join(logdir, "projector"))
        url, process = self.serve(logdir)
        self.get_json(url + "data/plugins_listing")  # Starts the projector's search for checkpoints.
        runs = server_testing.wait_for(lambda: self.get_json(url + "data/plugin/projector/runs"))
        self.assertEqual(runs, ["projector"])
        status, _, body = server_testing.get(
            url + "data/plugin/projector/tensor?run=projector&name=embedding/.ATTRIBUTES/VARIABLE_VALUE"
        )
        self.assertEqual(status, 200, body)
        self.assertEqual(np.frombuffer(body, dtype=np.float32).tolist(), EMBEDDING.ravel().tolist())
        self.assertTrue(server_testing.has_loaded_tensorflow(process))


if __name__ == "__main__":
    absltest.main()
