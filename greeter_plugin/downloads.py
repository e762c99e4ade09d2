"""A card's greetings as a file to download: CSV or JSON, named after the run and the tag.

Greetings are text anyone could have written, and a CSV is often opened in a spreadsheet, which
evaluates a cell that begins with `=`, `+`, `-` or `@` as a formula (CSV injection). Following OWASP's
guidance, such a text cell is prefixed with a single quote, so that the spreadsheet shows it as text;
numbers (a negative step, say) are written as numbers.
"""

import csv
import io

from werkzeug import http as werkzeug_http
from werkzeug import utils as werkzeug_utils

from tensorboard.backend import http_util

# The `format` parameter's values and the content type of each.
CONTENT_TYPES = {"csv": "text/csv", "json": "application/json"}
# The CSV's header row: the columns of a greeting's JSON, in the card's order.
COLUMNS = ("wall_time", "step", "text")
# What a spreadsheet may evaluate when a cell begins with it (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Keeps file names well inside every filesystem's limit, whatever the length of run and tag names.
MAX_FILE_STEM = 100


def neutralise_formula(text):
    """`text` as a spreadsheet shows it rather than evaluates it: prefixed with "'" when needed."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def to_csv(greetings):
    """The greetings (`[{"wall_time", "step", "text"}]`) as CSV text, with a header row."""
    out = io.StringIO()
    # The csv module quotes commas, quotes and line breaks inside a cell; QUOTE_NONNUMERIC quotes
    # every text cell too, so that no reader takes a greeting for a number.
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for greeting in greetings:
        writer.writerow((greeting["wall_time"], greeting["step"], neutralise_formula(greeting["text"])))
    return out.getvalue()


def file_name(run, tag, file_format):
    """A file name from `run` and `tag` that is safe on every filesystem: ASCII letters, digits, `._-`."""
    stem = werkzeug_utils.secure_filename("%s_%s" % (run, tag))[:MAX_FILE_STEM] or "greetings"
    return "%s.%s" % (stem, file_format)


def respond(request, file_format, run, tag, greetings):
    """The response that downloads `greetings` of `run` and `tag` in `file_format` ("csv" or "json")."""
    content = to_csv(greetings) if file_format == "csv" else greetings
    disposition = werkzeug_http.dump_options_header("attachment", {"filename": file_name(run, tag, file_format)})
    return http_util.Respond(
        request, content, CONTENT_TYPES[file_format], headers=[("Content-Disposition", disposition)]
    )
