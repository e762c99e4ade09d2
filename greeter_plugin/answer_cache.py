"""Answers of the data provider, reused for a short time and computed once at a time for each key."""

import threading
import time


class AnswerCache:
    """Values computed on demand and reused for `seconds`; a key is computed by one caller at a time.

    Callers that want a key another caller is computing wait for its value rather than compute it
    too. The cache holds nothing for a key but its fresh value and, while it is being computed, its
    name: a computation that fails leaves nothing behind, and expiry cannot make two callers compute
    one key at once.
    """

    def __init__(self, seconds, clock=time.monotonic):
        """A cache whose values are fresh for `seconds` of `clock()`, a monotonic time in seconds."""
        self._seconds = seconds
        self._clock = clock
        self._changed = threading.Condition()
        self._entries = {}  # key: (expiry, value)
        self._computing = set()

    def __len__(self):
        """How many keys the cache holds anything for: a value, or a computation in progress."""
        with self._changed:
            return len(self._entries.keys() | self._computing)

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
                    self._expire()
                    expiry = self._clock() + self._seconds
                    self._entries.update((key, (expiry, computed[key])) for key in mine)
                values.update((key, computed[key]) for key in mine)
            finally:
                with self._changed:
                    self._computing -= mine
                    self._changed.notify_all()

    def _fresh(self, keys, max_age):
        now = self._clock()
        # A value was computed `seconds` before its expiry.
        oldest_expiry = now if max_age is None else max(now, now - max_age + self._seconds)
        entries = ((key, self._entries.get(key)) for key in keys)
        return {key: entry[1] for key, entry in entries if entry and entry[0] > oldest_expiry}

    def _expire(self):
        now = self._clock()
        for key in [key for key, (expiry, _) in self._entries.items() if expiry <= now]:
            del self._entries[key]
