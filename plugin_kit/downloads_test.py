"""Tests of the download files' contents and names."""

import csv
import io

from absl.testing import absltest

from plugin_kit import downloads

HOSTILE_TEXTS = (
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    'comma, "quote"\nand a new line',
    "Hello, Ada!",
)


class ToCsvTest(absltest.TestCase):
    def test_parses_back_to_the_rows_with_formulas_shown_as_text(self):
        greetings = [{"wall_time": 1000.5 + i, "step": i - 1, "text": t} for i, t in enumerate(HOSTILE_TEXTS)]
        rows = list(csv.reader(io.StringIO(downloads.to_csv(greetings, ("wall_time", "step", "text")), newline="")))
        self.assertEqual(rows[0], ["wall_time", "step", "text"])
        self.assertEqual(
            rows[1:],
            [
                [str(g["wall_time"]), str(g["step"]), ("'" if g["text"][0] in "=+-@\t\r" else "") + g["text"]]
                for g in greetings
            ],
        )
        self.assertEqual(rows[1][1], "-1", "a negative step stays a number")

    def test_neutralises_only_what_a_spreadsheet_would_evaluate(self):
        self.assertEqual(downloads.neutralise_formula("=1+1"), "'=1+1")
        self.assertEqual(downloads.neutralise_formula("a=1"), "a=1")
        self.assertEqual(downloads.neutralise_formula(""), "")


class FileNameTest(absltest.TestCase):
    def test_is_safe_on_every_filesystem(self):
        self.assertEqual(downloads.file_name("lr=0.1", "guests", "csv", "greetings"), "lr0.1_guests.csv")
        self.assertEqual(downloads.file_name("../../etc", "passwd", "json", "greetings"), "etc_passwd.json")
        self.assertEqual(downloads.file_name("李雷", "🦊", "csv", "greetings"), "greetings.csv")
        self.assertLen(downloads.file_name("r" * 5000, "t", "csv", "greetings"), downloads.MAX_FILE_STEM + 4)


if __name__ == "__main__":
    absltest.main()
