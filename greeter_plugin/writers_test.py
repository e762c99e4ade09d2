"""Greetings written by `summary.add_greeting` through each writer it takes are served by the Greeter.

tensorboardX's `SummaryWriter` (the real one, from the lock file) and TensorBoard's `EventFileWriter`
write Unicode and hostile guests, tags, display names and descriptions; TensorBoard's loaders (the
Python multiplexer and the Rust data server) read them, the Greeter's routes serve them, and
`greetings_data` reads the same rows. PyTorch's `SummaryWriter` is not installed here (see README).
"""

import os

from absl.testing import absltest
from absl.testing import parameterized
import tensorboardX

from tensorboard.summary.writer import event_file_writer

from greeter_plugin import greeter_demo
from greeter_plugin import greetings_data
from greeter_plugin import plugin_testing
from greeter_plugin import summary

GUESTS = greeter_demo.GUESTS + greeter_demo.HOSTILE_TEXTS
HOSTILE_TAG = greeter_demo.HOSTILE_TEXTS[0]
DISPLAY_NAME = greeter_demo.HOSTILE_TEXTS[1]
DESCRIPTION = greeter_demo.HOSTILE_DESCRIPTION

# {run: a new writer of that run's directory}
WRITERS = {
    "tensorboardX": tensorboardX.SummaryWriter,
    "event_file_writer": event_file_writer.EventFileWriter,
}

each_loader = parameterized.named_parameters(*((loader, loader) for loader in plugin_testing.LOADERS))


def write_logdir(logdir):
    """Writes GUESTS under two tags with each writer; returns {run: {tag: [greeting JSON]}}."""
    written = {}
    for run, new_writer in WRITERS.items():
        writer = new_writer(os.path.join(logdir, run))
        written[run] = {"guests": [], HOSTILE_TAG: []}
        for step, guest in enumerate(GUESTS):
            wall_time = 1.7e9 + step
            summary.add_greeting(
                writer, "guests", guest, global_step=step, walltime=wall_time, description=DESCRIPTION
            )
            summary.add_greeting(
                writer, HOSTILE_TAG, guest, global_step=2 * step, walltime=wall_time, display_name=DISPLAY_NAME
            )
            text = summary.greeting_text(guest)
            written[run]["guests"].append({"wall_time": wall_time, "step": step, "text": text})
            written[run][HOSTILE_TAG].append({"wall_time": wall_time, "step": 2 * step, "text": text})
        writer.close()
    return written


class WritersTest(parameterized.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.logdir = os.path.join(absltest.get_default_test_tmpdir(), "writers")
        cls.written = write_logdir(cls.logdir)

    def serve(self, loader):
        flags = plugin_testing.tensorboard_flags(self.logdir)
        data_provider = plugin_testing.start_data_provider(flags, loader)
        plugin_testing.wait_for_greetings(data_provider, 2 * len(WRITERS) * len(GUESTS))
        return plugin_testing.greeter_client(flags, data_provider)

    def get(self, client, route, **params):
        status, body = plugin_testing.get_json(client, route, params)
        self.assertEqual(status, 200, body)
        return body

    @each_loader
    def test_serves_every_greeting_of_each_writer(self, loader):
        client = self.serve(loader)
        self.assertEqual(self.get(client, "tags"), {run: sorted(tags) for run, tags in self.written.items()})
        for run, tags in self.written.items():
            for tag, greetings in tags.items():
                with self.subTest(run=run, tag=tag):
                    self.assertEqual(self.get(client, "greetings", run=run, tag=tag), greetings)

    @each_loader
    def test_serves_display_names_as_text_and_descriptions_sanitised(self, loader):
        info = self.get(self.serve(loader), "tag_info")
        self.assertEqual(info[HOSTILE_TAG]["display_name"], DISPLAY_NAME)
        self.assertEqual(info["guests"]["display_name"], "guests")
        self.assertEqual(info["guests"]["runs"], sorted(WRITERS))
        self.assertIn("<em>emphasis</em>", info["guests"]["description"])
        self.assertNotIn("<script", info["guests"]["description"])
        self.assertNotIn("onerror", info["guests"]["description"])

    def test_greetings_data_reads_what_the_routes_serve(self):
        rows = greetings_data.read_greetings(self.logdir)
        self.assertEqual(
            sorted((row.run, row.tag, row.step, row.wall_time, row.text) for row in rows),
            sorted(
                (run, tag, greeting["step"], greeting["wall_time"], greeting["text"])
                for run, tags in self.written.items()
                for tag, greetings in tags.items()
                for greeting in greetings
            ),
        )


if __name__ == "__main__":
    absltest.main()
