"""Tests of the download files' contents and names."""

import csv
import io
import json
from unittest import mock

from absl.testing import absltest
from werkzeug import test as werkzeug_test
from werkzeug import wrappers

from tensorboard.backend import json_util

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


class RespondTest(absltest.TestCase):
    def test_writes_json_without_walking_every_row_unless_it_must(self):
        request = wrappers.Request(werkzeug_test.EnvironBuilder().get_environ())
        rows = [{"wall_time": 1000.5, "step": 0, "value": 0.5}]
        with mock.patch.object(json_util, "Cleanse", side_effect=AssertionError("walked every row")):
            response = downloads.respond(request, "json", "run", "tag", rows, ("wall_time", "step", "value"), "rows")
        self.assertEqual(json.loads(response.get_data(as_text=True)), rows)
        self.assertEqual(response.headers["Content-Disposition"], "attachment; filename=run_tag.json")


if __name__ == "__main__":
    absltest.main()
