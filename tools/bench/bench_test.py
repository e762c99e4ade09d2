"""Tests of the benchmark's reporting (no timings are asserted: it is a benchmark, not a test)."""

import os

from absl.testing import absltest

from tools.bench import bench


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


if __name__ == "__main__":
    absltest.main()
