"""Answers of the data provider, reused for a short time and computed once at a time for each key."""

import collections
import threading
import time
import weakref


class AnswerCache:
    """Values computed on demand and reused for `seconds`; a key is computed by one caller at a time.

    Callers that want a key another caller is computing wait for its value rather than compute it
    too. The cache holds nothing for a key but its fresh value and, while it is being computed, its
    name: a computation that fails leaves nothing behind, and expiry cannot make two callers compute
    one key at once.

    A value is dropped when it expires, whether or not the cache is used again: an idle server holds
    nothing. The values held weigh at most `max_weight` together (by `weigh`); past it, the least
    recently used go first, and a value heavier than the bound alone is returned but not kept.
    """

    def __init__(self, seconds, clock=time.monotonic, max_weight=None, weigh=lambda value: 1):
        """A cache whose values are fresh for `seconds` of `clock()`, a monotonic time in seconds.

        Args:
          seconds: How long a value is reused.
          clock: A monotonic time in seconds; tests pass their own.
          max_weight: The most that the values held may weigh together; None: no bound.
          weigh: A value's weight (say, how many rows it holds).
        """
        self._seconds = seconds
        self._clock = clock
        self._max_weight = max_weight
        self._weigh = weigh
        self._changed = threading.Condition()
        self._entries = collections.OrderedDict()  # key: (expiry, weight, value), least recently used first
        self._weight = 0
        self._computing = set()
        self._timer = None

    def __len__(self):
        """How many keys the cache holds anything for: a value, or a computation in progress."""
        with self._changed:
            return len(self._entries.keys() | self._computing)

    @property
    def weight(self):
        """What the values held weigh together."""
        with self._changed:
            return self._weight

    def get(self, key, compute, max_age=None):
        """Returns the fresh value of `key`, calling `compute()` when there is none.

        `max_age`: for this call, a value computed `max_age` seconds ago or earlier is not fresh either.
        """
        return self.get_many([key], lambda keys: {key: compute()}, max_age)[key]

    def get_many(self, keys, compute_missing, max_age=None):
        """Returns {key: fresh value} for `keys`, computing in one call those that no one else is.

        Args:
          keys: Hashable, sortable keys.
          compute_missing: Called with a sorted list of keys that have no fresh value; returns
            {key: value} for each of them. What it raises reaches the caller, and is not reused:
            a caller waiting for the same keys computes them itself.
          max_age: As in `get`.
        """
        values = {}
        while True:
            with self._changed:
                values.update(self._fresh(set(keys) - values.keys(), max_age))
                missing = set(keys) - values.keys()
                if not missing:
                    return values
                mine = missing - self._computing
                if not mine:
                    # Another caller computes the rest; it notifies when it stores them, or fails.
                    self._changed.wait()
                    continue
                self._computing |= mine
            try:
                computed = compute_missing(sorted(mine))
                with self._changed:
                    self._store({key: computed[key] for key in mine})
                values.update((key, computed[key]) for key in mine)
            finally:
                with self._changed:
                    self._computing -= mine
                    self._changed.notify_all()

    def _fresh(self, keys, max_age):
        now = self._clock()
        # A value was computed `seconds` before its expiry.
        oldest_expiry = now if max_age is None else max(now, now - max_age + self._seconds)
        fresh = {}
        for key in keys:
            entry = self._entries.get(key)
            if entry and entry[0] > oldest_expiry:
                self._entries.move_to_end(key)
                fresh[key] = entry[2]
        return fresh

    def _store(self, values):
        """Keeps `values`, dropping what has expired and what the weight bound leaves no room for."""
        self._expire()
        expiry = self._clock() + self._seconds
        for key, value in values.items():
            self._drop(key)
            weight = self._weigh(value)
            if self._max_weight is not None and weight > self._max_weight:
                continue
            self._entries[key] = (expiry, weight, value)
            self._weight += weight
        while self._max_weight is not None and self._weight > self._max_weight:
            self._drop(next(iter(self._entries)))
        self._schedule_expiry()

    def _drop(self, key):
        entry = self._entries.pop(key, None)
        if entry:
            self._weight -= entry[1]

    def _expire(self):
        now = self._clock()
        for key in [key for key, (expiry, _, _) in self._entries.items() if expiry <= now]:
            self._drop(key)

    def _schedule_expiry(self):
        """Makes sure a timer drops the values held when they expire, if no call does first."""
        if self._timer is not None or not self._entries:
            return
        delay = max(0.0, min(expiry for expiry, _, _ in self._entries.values()) - self._clock())
        # The timer holds the cache weakly: a cache no one uses any more is not kept alive by it.
        self._timer = threading.Timer(delay, _expire_on_time, [weakref.ref(self)])
        self._timer.daemon = True
        self._timer.start()

    def _on_timer(self):
        with self._changed:
            self._timer = None
            self._expire()
            self._schedule_expiry()


def _expire_on_time(cache_ref):
    cache = cache_ref()
    if cache is not None:
        cache._on_timer()  # pylint: disable=protected-access
