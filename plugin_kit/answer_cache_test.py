"""Tests of the answer cache: reuse until expiry, one computation of a key at a time, nothing left over.

Computations block on events that the test sets, and the clock is the test's: nothing depends on how
fast threads run.
"""

import collections
import gc
import threading
import time
import weakref

from absl.testing import absltest

from plugin_kit import answer_cache

SECONDS = 1.0
# Only a deadlock waits this long.
TIMEOUT_SECONDS = 30


class FakeClock:
    """A monotonic clock that moves only when told."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Computations:
    """A computation per call, counted by key, that can be made to block or fail."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls = collections.Counter()
        self.in_flight = collections.Counter()
        self.most_in_flight = 0

    def value(self, key, started=None, release=None, error=None):
        with self.lock:
            self.calls[key] += 1
            self.in_flight[key] += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight[key])
        try:
            if started:
                started.set()
            if release and not release.wait(TIMEOUT_SECONDS):
                raise AssertionError("never released")
            if error:
                raise error
            return "value of %s #%d" % (key, self.calls[key])
        finally:
            with self.lock:
                self.in_flight[key] -= 1


def run_in_thread(function):
    """Starts `function` in a thread; returns a callable that joins it and returns its result or raises."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except Exception as e:  # pylint: disable=broad-except
            outcome["error"] = e

    thread = threading.Thread(target=run)
    thread.start()

    def result():
        thread.join(TIMEOUT_SECONDS)
        if thread.is_alive():
            raise AssertionError("the thread did not finish")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    return result


class AnswerCacheTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        self.clock = FakeClock()
        self.cache = answer_cache.AnswerCache(SECONDS, self.clock)
        self.computations = Computations()

    def test_reuses_a_value_until_it_expires(self):
        first = self.cache.get("k", lambda: self.computations.value("k"))
        self.clock.now += SECONDS - 0.001
        self.assertEqual(self.cache.get("k", lambda: self.computations.value("k")), first)
        self.clock.now += 0.001
        self.assertEqual(self.cache.get("k", lambda: self.computations.value("k")), "value of k #2")

    def test_a_caller_may_ask_for_a_younger_value_than_the_cache_keeps(self):
        first = self.cache.get("k", lambda: self.computations.value("k"))
        self.clock.now += 0.25
        self.assertEqual(self.cache.get("k", lambda: self.computations.value("k"), max_age=0.5), first)
        second = self.cache.get("k", lambda: self.computations.value("k"), max_age=0.25)
        self.assertEqual(second, "value of k #2")
        # The younger value is the one kept for everyone.
        self.assertEqual(self.cache.get("k", lambda: self.computations.value("k")), second)

    def test_computes_the_missing_keys_together(self):
        self.cache.get("a", lambda: "A")
        asked = []

        def compute(keys):
            asked.append(keys)
            return {key: key.upper() for key in keys}

        self.assertEqual(self.cache.get_many(["c", "a", "b"], compute), {"a": "A", "b": "B", "c": "C"})
        self.assertEqual(asked, [["b", "c"]])

    def test_callers_of_a_key_being_computed_wait_for_its_value(self):
        started, release = threading.Event(), threading.Event()
        first = run_in_thread(lambda: self.cache.get("k", lambda: self.computations.value("k", started, release)))
        self.assertTrue(started.wait(TIMEOUT_SECONDS))
        others = [run_in_thread(lambda: self.cache.get("k", lambda: self.computations.value("k"))) for _ in range(8)]
        release.set()
        self.assertEqual({first()} | {other() for other in others}, {"value of k #1"})
        self.assertEqual(self.computations.calls["k"], 1)

    def test_a_failed_computation_leaves_nothing_behind(self):
        for _ in range(3):
            with self.assertRaisesRegex(RuntimeError, "the data server is gone"):
                self.cache.get("k", lambda: self.computations.value("k", error=RuntimeError("the data server is gone")))
        self.assertLen(self.cache, 0)
        self.assertEqual(self.cache.get("k", lambda: self.computations.value("k")), "value of k #4")
        self.assertLen(self.cache, 1)

    def test_waiters_compute_a_key_whose_computation_failed(self):
        started, release = threading.Event(), threading.Event()
        failing = run_in_thread(
            lambda: self.cache.get("k", lambda: self.computations.value("k", started, release, RuntimeError("gone")))
        )
        self.assertTrue(started.wait(TIMEOUT_SECONDS))
        waiting = run_in_thread(lambda: self.cache.get("k", lambda: self.computations.value("k")))
        release.set()
        with self.assertRaisesRegex(RuntimeError, "gone"):
            failing()
        self.assertEqual(waiting(), "value of k #2")
        self.assertLen(self.cache, 1)

    def test_expired_values_are_dropped_and_a_key_is_never_computed_twice_at_once(self):
        # Each computation moves the clock past every value's expiry, so values expire while other
        # threads wait for them: the case in which the cache used to drop the lock of a waited-for key.
        barrier = threading.Barrier(4)

        def compute(keys):
            self.clock.now += SECONDS
            return {key: self.computations.value(key) for key in keys}

        def ask():
            barrier.wait(TIMEOUT_SECONDS)
            for index in range(200):
                self.cache.get_many(["k", "k%d" % (index % 5)], compute)

        threads = [run_in_thread(ask) for _ in range(4)]
        for thread in threads:
            thread()
        self.assertEqual(self.computations.most_in_flight, 1)
        self.clock.now += SECONDS
        self.cache.get("other", lambda: "value")
        self.assertLen(self.cache, 1)

    def test_the_least_recently_used_values_go_past_the_weight_bound(self):
        cache = answer_cache.AnswerCache(SECONDS, self.clock, max_weight=10, weigh=len)
        cache.get("a", lambda: "a" * 4)
        cache.get("b", lambda: "b" * 4)
        cache.get("a", lambda: "never")  # a is used again: b is now the least recently used.
        cache.get("c", lambda: "c" * 4)
        self.assertEqual(cache.weight, 8)
        self.assertEqual(cache.get("a", lambda: "again"), "aaaa")
        self.assertEqual(cache.get("b", lambda: "bb"), "bb")
        # A value heavier than the bound is answered, and not kept.
        self.assertEqual(cache.get("big", lambda: "x" * 11), "x" * 11)
        self.assertEqual(cache.get("big", lambda: "y"), "y")
        self.assertLessEqual(cache.weight, 10)


class ExpiryOnTimeTest(absltest.TestCase):
    """On the real clock: a value is dropped when it expires, although nothing else happens."""

    def test_an_idle_value_is_gone_after_its_time(self):
        cache = answer_cache.AnswerCache(0.05)

        class Value:
            pass

        value = cache.get("k", Value)
        held = weakref.ref(value)
        del value
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while (len(cache) or held() is not None) and time.monotonic() < deadline:
            time.sleep(0.01)
            gc.collect()
        self.assertLen(cache, 0)
        self.assertIsNone(held(), "the cache still holds an expired value")


if __name__ == "__main__":
    absltest.main()
