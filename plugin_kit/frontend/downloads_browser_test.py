"""A card's CSV and JSON downloads in Chromium: the files hold the card's rows, hostile text as data.

Greetings here were stored by a writer other than `summary` (no "Hello, " before them), so the CSV
meets text that a spreadsheet would take for a formula.
"""

import csv
import json
import os

from absl.testing import absltest
from playwright.sync_api import expect

from greeter_tensorboard import tensorboard_x_browser_testing
from greeter_plugin import greeter_demo
from greeter_plugin import plugin_testing

RUN = "spreadsheet"
TAG = "formulas"
TEXTS = (
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    'comma, "quote"\nand a new line',
) + greeter_demo.HOSTILE_TEXTS[:2]
# What a spreadsheet evaluates when a cell begins with it.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def write_raw_texts(run_dir):
    """Writes TEXTS, one a step, as the greetings' whole text."""
    texts = iter(TEXTS)

    def store_raw_text(proto):
        proto.value[0].tensor.string_val[:] = [next(texts).encode()]

    plugin_testing.write_greetings(run_dir, TAG, [(step, "") for step in range(len(TEXTS))], edit=store_raw_text)


class DownloadsBrowserTest(tensorboard_x_browser_testing.TensorBoardXBrowserTest):
    plugin_name = "greeter"

    @classmethod
    def write_logdir(cls, logdir):
        write_raw_texts(os.path.join(logdir, RUN))
        return [RUN]

    def setUp(self):
        super().setUp()
        self.greeter = self.open_tab(self.url)
        self.card = self.greeter.dashboard.locator('greeter-card.card[data-tag="%s"]' % TAG)
        expect(self.card.locator("tr.greeting")).to_have_count(len(TEXTS))

    def card_rows(self):
        """[(step, text)] as the card shows them."""
        return [
            (int(row.locator("td.step").text_content()), row.locator("td.text").text_content())
            for row in self.card.locator("tr.greeting").all()
        ]

    def download(self, format_label):
        with self.greeter.page.expect_download() as download_info:
            self.card.locator('[data-testid="download-%s"]' % format_label).click()
        download = download_info.value
        with open(download.path(), encoding="utf-8", newline="") as downloaded:
            return download.suggested_filename, downloaded.read()

    def test_csv_parses_back_to_the_rows_with_no_formula(self):
        file_name, content = self.download("csv")
        self.assertEqual(file_name, "%s_%s.csv" % (RUN, TAG))
        header, *rows = list(csv.reader(content.splitlines(keepends=True)))
        self.assertEqual(header, ["wall_time", "step", "text"])
        for _, _, text in rows:
            self.assertFalse(text.startswith(FORMULA_TRIGGERS), text)
        shown_as_text = [(int(step), text[1:] if text.startswith("'") else text) for _, step, text in rows]
        self.assertEqual(shown_as_text, self.card_rows())
        self.assertEqual([text for _, text in self.card_rows()], list(TEXTS))
        for wall_time, _, _ in rows:
            float(wall_time)

    def test_json_is_the_rows(self):
        file_name, content = self.download("json")
        self.assertEqual(file_name, "%s_%s.json" % (RUN, TAG))
        self.assertEqual([(g["step"], g["text"]) for g in json.loads(content)], self.card_rows())


if __name__ == "__main__":
    absltest.main()
