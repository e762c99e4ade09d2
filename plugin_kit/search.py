"""Searching the rows' text, so that a dashboard finds rows that are not on screen.

A series' kept rows are held as one buffer of their case-folded UTF-8 text, searched by
`bytes.find` (in C), with arrays of where each row's text starts: a search costs a scan of bytes and
the matches it answers, not a Python object per row.
"""

import array
import bisect
import json
import zlib

# The most matches one answer carries. Enough to scan, few enough that a search matching every
# row of a large logdir answers at once.
MATCH_LIMIT = 200
# Counting stops here: an answer says "at least this many" (`total_is_lower_bound`) rather than scan
# every match of a query that matches most of a sweep.
COUNT_LIMIT = 1000

# Between two rows' text in a buffer. A query may hold it too: a match across it is skipped.
_SEPARATOR = b"\0"


class FoldedText:
    """Rows' case-folded UTF-8 text in one buffer, and where each row's text starts in it.

    Equal texts share one (`SearchIndex` interns them): a run's tags that log the same strings, or
    runs copied from one another, hold their text once.
    """

    __slots__ = ("folded", "starts", "__weakref__")

    def __init__(self, texts):
        """`texts`: each row's text searched, in order."""
        folded = [text.casefold().encode("utf-8") for text in texts]
        self.folded = _SEPARATOR.join(folded)
        self.starts = array.array("I" if len(self.folded) < 2**32 else "Q")
        offset = 0
        for part in folded:
            self.starts.append(offset)
            offset += len(part) + len(_SEPARATOR)


class SeriesText:
    """One run's kept rows of one tag, held compactly for searching.

    What a search scans stays as it is: the folded text (`FoldedText`, maybe shared with other
    series). What only a match needs (the rows' JSON) is compressed with zlib: a sweep's rows repeat
    themselves, and the index would otherwise hold their text twice.
    """

    __slots__ = ("text", "_rows")

    def __init__(self, entries, intern=lambda text: text):
        """`entries`: [(text searched, row JSON {"wall_time", "step", ...})], by step.

        `intern` takes the series' FoldedText and returns it, or an equal one to share.
        """
        self.text = intern(FoldedText([text for text, _ in entries]))
        self._rows = zlib.compress(json.dumps([row for _, row in entries]).encode("utf-8"), 1)

    def matching(self, needle):
        """Yields the index of each row whose folded text contains `needle` (folded UTF-8), in order."""
        folded, starts = self.text.folded, self.text.starts
        position = folded.find(needle)
        while position != -1:
            index = bisect.bisect_right(starts, position) - 1
            end = starts[index + 1] - len(_SEPARATOR) if index + 1 < len(starts) else len(folded)
            if position + len(needle) <= end:
                yield index
                position = folded.find(needle, end + len(_SEPARATOR))
            else:
                position = folded.find(needle, position + 1)

    def rows(self, indexes):
        """The JSON of the rows at `indexes`, as given."""
        rows = json.loads(zlib.decompress(self._rows))
        return [rows[i] for i in indexes]


def find(series_by_tag, query, limit=MATCH_LIMIT, count_limit=COUNT_LIMIT):
    """The rows whose text contains `query`, ignoring case, in tag, run and step order.

    A plain substring rather than a regular expression: the server runs it, and a user's expression
    could take exponential time.

    Args:
      series_by_tag: {tag: {run: SeriesText}}.
      query: The text to look for; not empty.
      limit: The most matches to return.
      count_limit: Counting stops at this many matches.

    Returns:
      {"query": query, "total": how many rows match (at most `count_limit`),
      "total_is_lower_bound": whether counting stopped at `count_limit` (more may match),
      "matches": the first `limit` of them, each a row with its "run" and "tag"}.
    """
    needle = query.casefold().encode("utf-8")
    matches = []
    total = 0
    for tag in sorted(series_by_tag):
        for run in sorted(series_by_tag[tag]):
            series = series_by_tag[tag][run]
            shown = []
            for index in series.matching(needle):
                if len(matches) + len(shown) < limit:
                    shown.append(index)
                total += 1
                if total >= count_limit:
                    break
            if shown:
                matches.extend({"run": run, "tag": tag, **row} for row in series.rows(shown))
            if total >= count_limit:
                return {"query": query, "total": total, "total_is_lower_bound": True, "matches": matches}
    return {"query": query, "total": total, "total_is_lower_bound": False, "matches": matches}
