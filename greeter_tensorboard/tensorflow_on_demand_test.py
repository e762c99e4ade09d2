"""Tests that TensorBoard-X serves a local logdir without TensorFlow, and imports it where needed."""

import json
import os
import urllib.parse

from absl.testing import absltest
import numpy as np
import psutil
import tensorflow as tf

from tensorboard.plugins import projector

from greeter_plugin import greeter_demo
from greeter_plugin import plugin_testing
from greeter_tensorboard import server_testing
from greeter_tensorboard import tensorflow_on_demand

EMBEDDING = np.arange(12, dtype=np.float32).reshape(4, 3)


def server_process(url):
    """The process that listens on `url`'s port."""
    port = urllib.parse.urlparse(url).port
    (pid,) = {c.pid for c in psutil.net_connections("tcp") if c.laddr.port == port and c.status == "LISTEN"}
    return psutil.Process(pid)


def has_loaded_tensorflow(process):
    return any("libtensorflow" in region.path for region in process.memory_maps())


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
    def test_local_paths_and_file_urls_are_local(self):
        for path in ("/tmp/logs", "logs", "file:///tmp/logs", "C:/logs"):
            self.assertTrue(tensorflow_on_demand.is_local(path), path)
        for path in ("gs://bucket/logs", "hdfs://host/logs", "s3://bucket/logs"):
            self.assertFalse(tensorflow_on_demand.is_local(path), path)

    def test_reads_logdir_and_logdir_spec(self):
        flags = plugin_testing.tensorboard_flags("/tmp/a")
        self.assertEqual(tensorflow_on_demand.logdir_paths(flags), ["/tmp/a"])
        flags.logdir, flags.logdir_spec = "", "one:/tmp/a,gs://bucket/b"
        self.assertCountEqual(tensorflow_on_demand.logdir_paths(flags), ["/tmp/a", "gs://bucket/b"])

    def test_another_filesystem_keeps_tensorflow(self):
        flags = plugin_testing.tensorboard_flags("gs://bucket/logs")
        self.assertFalse(tensorflow_on_demand.use_stub_unless_needed(flags))


class ServerTestCase(absltest.TestCase):
    def serve(self, logdir):
        url = self.enterContext(server_testing.serve(logdir))
        return url, server_process(url)

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
        self.assertFalse(has_loaded_tensorflow(process))


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
        self.assertTrue(has_loaded_tensorflow(process))


if __name__ == "__main__":
    absltest.main()
