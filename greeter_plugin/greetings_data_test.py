"""Tests that `greetings_data` reads back every greeting of a logdir, also one that is still being written."""

import os
import random
import threading
import time

from absl.testing import absltest

from greeter_plugin import greeter_demo
from greeter_plugin import greetings_data
from greeter_plugin import plugin_testing
from greeter_plugin import summary


def expected_rows(written):
    """(run, tag, step, text) of `{run: {tag: [(step, text)]}}`, in `read_greetings`' order."""
    return sorted(
        (run, tag, step, text) for run, tags in written.items() for tag, greetings in tags.items()
        for step, text in greetings
    )


def without_wall_time(rows):
    return [(row.run, row.tag, row.step, row.text) for row in rows]


class DemoLogdirTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.logdir = os.path.join(absltest.get_default_test_tmpdir(), "demo")
        cls.written = greeter_demo.write_demo(cls.logdir)
        cls.rows = greetings_data.read_greetings(cls.logdir)

    def test_reads_every_greeting_the_demo_wrote(self):
        self.assertEqual(without_wall_time(self.rows), expected_rows(self.written))
        self.assertTrue(all(isinstance(row, greetings_data.Greeting) for row in self.rows))

    def test_reads_the_wall_times_written(self):
        # The demo writes its `summary.pb` runs at 1.7e9 + step; the others at the time of writing.
        for row in self.rows:
            if row.run in (greeter_demo.PB_RUN, greeter_demo.HOSTILE_RUN):
                self.assertEqual(row.wall_time, 1.7e9 + row.step)
            else:
                self.assertGreater(row.wall_time, 1.7e9)

    def test_dataframe_holds_the_same_rows(self):
        frame = greetings_data.greetings_dataframe(self.logdir)
        self.assertEqual(list(frame.columns), ["run", "tag", "step", "wall_time", "text"])
        self.assertEqual(list(frame.itertuples(index=False, name=None)), [tuple(row) for row in self.rows])


class LogdirTest(absltest.TestCase):
    def test_an_empty_logdir_has_no_greetings(self):
        logdir = self.create_tempdir().full_path
        self.assertEqual(greetings_data.read_greetings(logdir), [])
        frame = greetings_data.greetings_dataframe(logdir)
        self.assertEqual((len(frame), list(frame.columns)), (0, ["run", "tag", "step", "wall_time", "text"]))

    def test_a_missing_logdir_is_a_clear_error(self):
        missing = os.path.join(self.create_tempdir().full_path, "nowhere")
        with self.assertRaisesRegex(FileNotFoundError, "no logdir at '.*nowhere'"):
            greetings_data.read_greetings(missing)

    def test_skips_a_tag_of_a_newer_greeter_and_reads_the_rest(self):
        logdir = self.create_tempdir().full_path

        def newer(proto):
            proto.value[0].metadata.plugin_data.content = b'{"version": 99}'

        plugin_testing.write_greetings(os.path.join(logdir, "run"), "newer", [(0, "Ada")], edit=newer)
        plugin_testing.write_greetings(os.path.join(logdir, "run"), "guests", [(0, "Grace")])
        with self.assertLogs(greetings_data.logger, "WARNING") as logs:
            rows = greetings_data.read_greetings(logdir)
        self.assertEqual(without_wall_time(rows), [("run", "guests", 0, "Hello, Grace!")])
        self.assertIn("written by a newer Greeter", logs.output[0])


class GrowingLogdirTest(absltest.TestCase):
    def test_reads_as_far_as_the_last_complete_record_while_a_writer_appends(self):
        # Event files written whole by TensorBoard's writer, then appended to the logdir by a thread in
        # pieces of random sizes, as a writer on a slow filesystem leaves them: nearly every read meets
        # a record cut off mid-write, and the second run appears while the first is being read.
        source = self.create_tempdir().full_path
        logdir = self.create_tempdir().full_path
        guests = {
            "first": ["Guest %d" % step for step in range(300)],
            "second": [greeter_demo.guest_at(step, greeter_demo.GUESTS + greeter_demo.HOSTILE_TEXTS) for step in range(100)],
        }
        sources = {run: plugin_testing.write_greetings(os.path.join(source, run), "guests", enumerate(names))
                   for run, names in guests.items()}
        expected = expected_rows(
            {run: {"guests": [(step, summary.greeting_text(g)) for step, g in enumerate(names)]}
             for run, names in guests.items()}
        )
        pieces = random.Random(14)
        done = threading.Event()

        def append():
            for run, path in sources.items():
                os.makedirs(os.path.join(logdir, run))
                with open(path, "rb") as whole, open(os.path.join(logdir, run, os.path.basename(path)), "wb") as out:
                    while piece := whole.read(pieces.randint(1, 200)):
                        out.write(piece)
                        out.flush()
                        time.sleep(0.002)
            done.set()

        writer = threading.Thread(target=append)
        writer.start()
        counts = []
        try:
            while not done.is_set():
                rows = without_wall_time(greetings_data.read_greetings(logdir))
                # Complete records only, in order: what is read is the start of each run's greetings.
                for run in guests:
                    read = [row for row in rows if row[0] == run]
                    self.assertEqual(read, [row for row in expected if row[0] == run][: len(read)])
                counts.append(len(rows))
        finally:
            writer.join()
        self.assertEqual(counts, sorted(counts), "a read returned fewer greetings than the one before")
        self.assertTrue([count for count in counts if 0 < count < len(expected)], counts)
        self.assertEqual(without_wall_time(greetings_data.read_greetings(logdir)), expected)


if __name__ == "__main__":
    absltest.main()
