"""The greetings' text kept for searching, refreshed series by series when the loader's data changes."""

import collections
import threading

from greeter_plugin import search

# How many runs one read of the data provider covers while the index is built: a build holds one
# such read's greetings as objects at a time, not a sweep's.
RUNS_PER_READ = 20
# How many requesters' (users') indexes are kept; the least recently used goes first.
MAX_REQUESTERS = 4


class SearchIndex:
    """{(tag, run): search.SeriesText}, one for each requester, each series rebuilt when its stamp changes.

    A series' stamp is what tells that the loader's data changed (its count, last step or wall time
    from the data provider's listing). One build runs at a time: concurrent searches wait for it
    and share what it built, rather than each hold a copy.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._by_requester = collections.OrderedDict()  # requester: {(tag, run): (stamp, SeriesText)}

    def series_by_tag(self, requester, stamps, read):
        """{tag: {run: SeriesText}} for the series of `stamps`, reading those whose stamp changed.

        Args:
          requester: Who asks (a hashable key); each requester has its own index.
          stamps: {(tag, run): stamp} of every series to search. Other series of the same tags are
            dropped from the index: their runs are gone.
          read: Called with [(tag, run)] (at most RUNS_PER_READ runs at a time); returns
            {(tag, run): [(step, wall_time, text)] by step} for those it found.
        """
        with self._lock:
            held = self._by_requester.pop(requester, {})
            self._by_requester[requester] = held
            while len(self._by_requester) > MAX_REQUESTERS:
                self._by_requester.popitem(last=False)
            tags = {tag for tag, _ in stamps}
            for pair in [pair for pair in held if pair[0] in tags and pair not in stamps]:
                del held[pair]
            stale = sorted(pair for pair, stamp in stamps.items() if held.get(pair, (None,))[0] != stamp)
            runs = sorted({run for _, run in stale})
            for first in range(0, len(runs), RUNS_PER_READ):
                chunk_runs = set(runs[first : first + RUNS_PER_READ])
                chunk = [pair for pair in stale if pair[1] in chunk_runs]
                greetings = read(chunk)
                for pair in chunk:
                    held[pair] = (stamps[pair], search.SeriesText(greetings.get(pair, [])))
            by_tag = {}
            for tag, run in stamps:
                by_tag.setdefault(tag, {})[run] = held[(tag, run)][1]
            return by_tag
