"""Tests of the benchmark's reporting (no timings are asserted: it is a benchmark, not a test)."""

import contextlib
import io
import os
from unittest import mock

from absl.testing import absltest

from tensorboard.backend.event_processing import event_file_loader

from greeter_plugin import summary
from greeter_plugin import sweep_demo
from tools.bench import bench
from tools.bench import bucket
from tools.bench import logdirs
from tools.bench import sweeps


class WriteMarkdownTest(absltest.TestCase):
    def test_replaces_only_the_section_between_the_marks(self):
        path = os.path.join(self.create_tempdir().full_path, "BENCHMARKS.md")
        bench.write_markdown(path, "first table")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write("# Benchmarks\n\nIntro.\n\n" + text + "\n## Analysis\n\nKept.\n")
        bench.write_markdown(path, "second table")
        with open(path) as f:
            text = f.read()
        self.assertIn("Intro.", text)
        self.assertIn("## Analysis\n\nKept.", text)
        self.assertIn("second table", text)
        self.assertNotIn("first table", text)
        self.assertEqual(text.count(bench.BEGIN_MARK), 1)


    def test_a_named_section_leaves_the_main_one_alone(self):
        path = os.path.join(self.create_tempdir().full_path, "BENCHMARKS.md")
        bench.write_markdown(path, "main table")
        bench.write_markdown(path, "s3 table", "s3")
        bench.write_markdown(path, "new s3 table", "s3")
        with open(path) as f:
            text = f.read()
        self.assertIn("main table", text)
        self.assertIn("new s3 table", text)
        self.assertNotIn("\ns3 table", text)
        self.assertEqual(text.count(bench.marks("s3")[0]), 1)


class TableTest(absltest.TestCase):
    def test_reports_medians_and_their_ratio(self):
        table = bench.Table()
        table.add("start-up", [1.0, 3.0, 2.0], [4.0, 40.0, 8.0], "s")
        table.add("frontend", [0.5], None, "s", note="no stock dashboard")
        self.assertEqual(table.rows[0], ("start-up", "2 s", "8 s", "0.25x", ""))
        self.assertEqual(table.rows[1], ("frontend", "0.5 s", "n/a", "", "no stock dashboard"))
        self.assertIn("| start-up | 2 s | 8 s | 0.25x |  |", table.markdown())

    def test_percentile(self):
        values = list(range(1, 101))
        self.assertEqual(bench.percentile(values, 0.5), 51)
        self.assertEqual(bench.percentile(values, 0.99), 100)


class ArgumentsTest(absltest.TestCase):
    def test_an_unknown_shape_is_one_line_naming_it(self):
        err = io.StringIO()
        with self.assertRaises(SystemExit) as raised, contextlib.redirect_stderr(err):
            bench.main(["--cases", "sweeps", "--shapes", "1000x200x3,5x5x5"])
        self.assertEqual(raised.exception.code, 2)
        self.assertIn("unknown shape 5x5x5; expected 1000x200x3, 10000x5x1", err.getvalue())

    def test_an_unknown_case_is_one_line_naming_it(self):
        err = io.StringIO()
        with self.assertRaises(SystemExit), contextlib.redirect_stderr(err):
            bench.main(["--cases", "sweeps,sweep"])
        self.assertIn("unknown case sweep; expected servers, writing, frontend, sweeps, memory, stages", err.getvalue())


class TextSweepTest(absltest.TestCase):
    def test_holds_the_sweep_demos_runs_tags_steps_and_strings_as_text(self):
        logdir = self.create_tempdir().full_path
        logdirs.write_text_sweep(logdir, runs=12, steps=3, tags=2)
        found = {}
        for run_index in range(12):
            run_dir = os.path.join(logdir, *sweep_demo.run_name(run_index).split("/"))
            (event_file,) = os.listdir(run_dir)
            for event in event_file_loader.EventFileLoader(os.path.join(run_dir, event_file)).Load():
                for value in event.summary.value:
                    self.assertEqual(value.metadata.plugin_data.plugin_name, "text")
                    found[(run_index, value.tag, event.step)] = value.tensor.string_val[0].decode()
        self.assertLen(found, 12 * 2 * 3)
        self.assertEqual(
            found[(11, sweep_demo.tag_name(1), 2)], summary.greeting_text(sweep_demo.guest(11, 2)))
        self.assertEqual(sorted(os.listdir(os.path.join(logdir, "sweep"))), ["lr0", "lr1"])


class SweepRowsTest(absltest.TestCase):
    def test_one_page_of_cards_is_a_row_saying_why_and_each_side_is_compared_at_equal_sampling(self):
        table = bench.Table()
        in_browser = [{"first": 2.0, "launch to first": 3.0, "switch": None, "run page switch": 0.05,
                       "run filter keystrokes": [0.01, 0.03, 0.02], "wire bytes": 1000, "json bytes": 8000,
                       "memory": 200 * 2**20}]
        by_route = {
            sweeps.TENSORBOARD_X_SIDE.name: [{"launch to first": 1.0, "cold read": 0.008, "memory": 100 * 2**20}],
            sweeps.STOCK_AT_DEFAULTS_SIDE.name: [{"launch to first": 4.0, "cold read": 0.004, "memory": 400 * 2**20}],
            sweeps.TENSORBOARD_X_AT_EQUAL_SAMPLING_SIDE.name: [
                {"launch to first": 1.5, "cold read": 0.01, "memory": 300 * 2**20}],
            sweeps.STOCK_AT_EQUAL_SAMPLING_SIDE.name: [
                {"launch to first": 5.0, "cold read": 0.1, "memory": 600 * 2**20}],
        }
        sweeps.add_rows(table, "1000x200x3", in_browser, by_route)
        rows = {row[0].split(": ", 1)[1]: row for row in table.rows}
        self.assertEqual(rows["page switch"][1:4], ("n/a", "n/a", ""))
        self.assertIn("one page of cards for 3 tag(s)", rows["page switch"][4])
        self.assertEqual(rows["a card's switch to its next runs"][1], "50 ms")
        self.assertEqual(
            rows["launch to first run's /greetings vs /text, both keeping 1,000 a tag"][1:4], ("1.5 s", "5 s", "0.30x"))
        self.assertEqual(
            rows["peak RSS without a browser vs stock, both at their defaults"][1:4], ("100 MiB", "400 MiB", "0.25x"))
        self.assertEqual(
            rows["peak RSS without a browser vs stock, both keeping 1,000 a tag"][1:4], ("300 MiB", "600 MiB", "0.50x"))
        self.assertEqual(rows["peak RSS with the dashboard open vs stock, both at their defaults"][3], "0.50x")
        self.assertEqual(rows["KB of Greeter data fetched before the first greeting, decoded JSON"][1], "8 KB")
        self.assertEqual(rows["a keystroke in the run filter"][1], "20 ms")
        self.assertEqual(rows["the run filter's slowest keystroke"][1], "30 ms")
        self.assertEqual(rows["cold /greetings vs /text p50, both at their defaults"][1:4], ("8 ms", "4 ms", "2.00x"))
        self.assertEqual(
            rows["cold /greetings vs /text p50, both keeping 1,000 a tag"][1:4], ("10 ms", "100 ms", "0.10x"))


class BucketTimingTest(absltest.TestCase):
    def test_a_side_is_timed_when_its_answer_arrives_not_when_it_was_asked(self):
        class Clock:
            now = 0.0

        def slow_answer(url):
            Clock.now += 40.0  # Stock answers once its reload lets it.
            return ["run"] if url.endswith("data/runs") else {"run": ["tag"]}

        server = mock.Mock(url="http://localhost/", seconds_since_launch=lambda: Clock.now)
        with mock.patch.object(bucket, "_json", slow_answer), mock.patch.object(bucket.time, "sleep"):
            figures = bucket._wait_until_served(server, "text/tags", 1, float("inf"))
        self.assertEqual(figures, {"first": 40.0, "all": 80.0})


if __name__ == "__main__":
    absltest.main()
