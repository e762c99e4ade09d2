"""The rows' text kept for searching, refreshed series by series when the loader's data changes."""

import collections
import threading
import time
import weakref

from plugin_kit import search

# How many runs one read of the data provider covers while the index is built: a build holds one
# such read's rows as objects at a time, not a sweep's, and so does the data server's answer.
RUNS_PER_READ = 5
# How many experiments' indexes are kept; the least recently used goes first.
MAX_EXPERIMENTS = 4
# How long a series stays in the index after the last search that covered it. Users who may list
# different runs (a data provider that checks access) each search their own runs: a series one of
# them does not see is kept for the others, and one that is gone is dropped after this long.
IDLE_SECONDS = 600.0


class SearchIndex:
    """{(tag, run): search.SeriesText} for each experiment, each series rebuilt when its stamp changes.

    A series' stamp is what tells that the loader's data changed (its last step and wall time from
    the data provider's listing). Every user of an experiment shares its index: a user's search
    covers only the series their own listing holds (the data provider decided which), and a series
    of one stamp holds the same data for everyone who may list it. So ten users behind a proxy that
    sends each one's cookie build it once, not ten times.

    Series are built by one search at a time each: a search that needs a series another search is
    building waits for it and shares it; searches of other series, or of other tags, go on.
    """

    def __init__(self, clock=time.monotonic):
        """An empty index; `clock`, a monotonic time in seconds, tells which series are idle."""
        self._clock = clock
        self._changed = threading.Condition()
        self._by_experiment = collections.OrderedDict()  # experiment: {(tag, run): (stamp, SeriesText)}
        self._last_searched = {}  # experiment: {(tag, run): when a search last covered it}
        self._building = set()  # (experiment, tag, run) that a search is reading
        # Every series' folded text, by its bytes, while a series holds it: equal texts are held once.
        self._texts = weakref.WeakValueDictionary()
        self._texts_lock = threading.Lock()

    def series_by_tag(self, experiment, stamps, read):
        """{tag: {run: SeriesText}} for the series of `stamps`, reading those whose stamp changed.

        Args:
          experiment: Which experiment's index (a hashable key).
          stamps: {(tag, run): stamp} of every series to search. Series that no search has covered
            for IDLE_SECONDS are dropped from the index.
          read: Called with [(tag, run)] (at most RUNS_PER_READ runs at a time); returns
            {(tag, run): [(text, row JSON)] by step} for those it found.
        """
        with self._changed:
            held = self._by_experiment.pop(experiment, {})
            self._by_experiment[experiment] = held
            last_searched = self._last_searched.setdefault(experiment, {})
            while len(self._by_experiment) > MAX_EXPERIMENTS:
                evicted, _ = self._by_experiment.popitem(last=False)
                del self._last_searched[evicted]
            now = self._clock()
            last_searched.update(dict.fromkeys(stamps, now))
            for pair in [pair for pair, when in last_searched.items() if when <= now - IDLE_SECONDS]:
                del last_searched[pair]
                held.pop(pair, None)
        while True:
            with self._changed:
                stale = [pair for pair, stamp in stamps.items() if held.get(pair, (None,))[0] != stamp]
                mine = sorted(pair for pair in stale if (experiment,) + pair not in self._building)
                if not stale:
                    by_tag = {}
                    for tag, run in stamps:
                        by_tag.setdefault(tag, {})[run] = held[(tag, run)][1]
                    return by_tag
                if not mine:
                    # Other searches build the rest; they notify when they are done, or have failed.
                    self._changed.wait()
                    continue
                self._building.update((experiment,) + pair for pair in mine)
            try:
                self._build(held, mine, stamps, read)
            finally:
                with self._changed:
                    self._building.difference_update((experiment,) + pair for pair in mine)
                    self._changed.notify_all()

    def _build(self, held, pairs, stamps, read):
        """Reads `pairs` RUNS_PER_READ runs at a time into `held`, outside the lock."""
        runs = sorted({run for _, run in pairs})
        for first in range(0, len(runs), RUNS_PER_READ):
            chunk_runs = set(runs[first : first + RUNS_PER_READ])
            chunk = [pair for pair in pairs if pair[1] in chunk_runs]
            entries = read(chunk)
            built = {pair: (stamps[pair], search.SeriesText(entries.get(pair, []), self._shared)) for pair in chunk}
            with self._changed:
                held.update(built)

    def _shared(self, text):
        """An equal search.FoldedText that a series holds already, or `text`, kept to be shared from now."""
        with self._texts_lock:
            held = self._texts.setdefault(text.folded, text)
        # The same bytes split into rows otherwise (a row's text may hold the separator) is not equal.
        return held if held.starts == text.starts else text
