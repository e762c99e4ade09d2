"""A card's rows as a file to download: CSV or JSON, named after the run and the tag.

Rows hold text anyone could have written, and a CSV is often opened in a spreadsheet, which
evaluates a cell that begins with `=`, `+`, `-` or `@` as a formula (CSV injection). Following OWASP's
guidance, such a text cell is prefixed with a single quote, so that the spreadsheet shows it as text;
numbers (a negative step, say) are written as numbers.
"""

import csv
import io

from werkzeug import http as werkzeug_http
from werkzeug import utils as werkzeug_utils

from tensorboard.backend import http_util

from plugin_kit import routes

# The `format` parameter's values and the content type of each.
CONTENT_TYPES = {"csv": "text/csv", "json": "application/json"}
# What a spreadsheet may evaluate when a cell begins with it (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Keeps file names well inside every filesystem's limit, whatever the length of run and tag names.
MAX_FILE_STEM = 100


def neutralise_formula(text):
    """`text` as a spreadsheet shows it rather than evaluates it: prefixed with "'" when needed."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _cell(value):
    return neutralise_formula(value) if isinstance(value, str) else value


def to_csv(rows, columns):
    """`rows` (`[{column: value}]`) as CSV text, with a header row of `columns`, in their order."""
    out = io.StringIO()
    # The csv module quotes commas, quotes and line breaks inside a cell; QUOTE_NONNUMERIC quotes
    # every text cell too, so that no reader takes a text for a number.
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in columns])
    return out.getvalue()


def file_name(run, tag, file_format, fallback_stem):
    """A file name from `run` and `tag` that is safe on every filesystem: ASCII letters, digits, `._-`.

    `fallback_stem` names the file when nothing of `run` and `tag` is left.
    """
    stem = werkzeug_utils.secure_filename("%s_%s" % (run, tag))[:MAX_FILE_STEM] or fallback_stem
    return "%s.%s" % (stem, file_format)


def respond(request, file_format, run, tag, rows, columns, fallback_stem):
    """The response that downloads `rows` of `run` and `tag` in `file_format` ("csv" or "json").

    `columns`: the CSV's columns, in order; `fallback_stem`: as in `file_name`.
    """
    # JSON through `routes.json_text`, as every JSON answer: NaN as "NaN", without Respond's walk of every row.
    content = to_csv(rows, columns) if file_format == "csv" else routes.json_text(rows)
    disposition = werkzeug_http.dump_options_header(
        "attachment", {"filename": file_name(run, tag, file_format, fallback_stem)}
    )
    return http_util.Respond(
        request, content, CONTENT_TYPES[file_format], headers=[("Content-Disposition", disposition)]
    )
