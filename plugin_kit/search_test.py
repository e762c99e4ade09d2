"""Tests of searching the rows' text, and of the index that keeps it."""

import threading
import tracemalloc
import zlib
from unittest import mock

from absl.testing import absltest

from plugin_kit import search
from plugin_kit import search_index


def greeting(step, text):
    """A greeting as a search entry: its text, and its row."""
    return (text, {"wall_time": 1000.0 + step, "step": step, "text": text})


GREETINGS = {
    "vip": {"ada": [greeting(0, "Hello, Grace!")]},
    "guests": {
        "bob": [greeting(1, "Hello, GRACE!"), greeting(2, "Hello, Ada!")],
        "ada": [greeting(0, "Hello, Ἀριστοτέλης!"), greeting(3, "Hello, grace hopper!"), greeting(4, "")],
    },
}
SERIES = {tag: {run: search.SeriesText(data) for run, data in by_run.items()} for tag, by_run in GREETINGS.items()}


class FindTest(absltest.TestCase):
    def test_finds_text_ignoring_case_in_tag_run_and_step_order(self):
        found = search.find(SERIES, "grace")
        self.assertEqual((found["total"], found["total_is_lower_bound"]), (3, False))
        self.assertEqual(
            [(m["tag"], m["run"], m["step"], m["text"]) for m in found["matches"]],
            [
                ("guests", "ada", 3, "Hello, grace hopper!"),
                ("guests", "bob", 1, "Hello, GRACE!"),
                ("vip", "ada", 0, "Hello, Grace!"),
            ],
        )
        self.assertEqual(found["matches"][0]["wall_time"], 1003.0)

    def test_limits_the_matches_but_counts_them_all(self):
        found = search.find(SERIES, "hello", limit=2)
        self.assertEqual(found["total"], 5)
        self.assertLen(found["matches"], 2)

    def test_counting_stops_at_its_bound_and_says_so(self):
        found = search.find(SERIES, "hello", limit=2, count_limit=3)
        self.assertEqual((found["total"], found["total_is_lower_bound"]), (3, True))
        self.assertLen(found["matches"], 2)

    def test_a_greeting_matches_once_however_often_it_holds_the_query(self):
        series = {"t": {"r": search.SeriesText([greeting(0, "aaaa"), greeting(1, "a")])}}
        self.assertEqual([m["step"] for m in search.find(series, "a")["matches"]], [0, 1])

    def test_a_match_never_spans_two_greetings(self):
        series = {"t": {"r": search.SeriesText([greeting(0, "ab"), greeting(1, "cd"), greeting(2, "b\0c")])}}
        self.assertEqual([m["step"] for m in search.find(series, "b\0c")["matches"]], [2])
        self.assertEqual(search.find(series, "bc")["total"], 0)

    def test_a_series_holds_its_text_about_once(self):
        greetings = [greeting(step, "Hello, Guest %d of trial 12!" % (step % 10)) for step in range(10000)]
        text_bytes = sum(len(text) for text, _ in greetings)
        tracemalloc.start()
        try:
            series = search.SeriesText(greetings)
            held, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        self.assertLess(held, 1.5 * text_bytes)
        self.assertEqual(search.find({"t": {"r": series}}, "guest 3 of")["total"], 1000)

    def test_only_the_series_with_matches_to_show_are_unpacked(self):
        with mock.patch.object(search.zlib, "decompress", wraps=zlib.decompress) as decompress:
            search.find(SERIES, "hopper")
        self.assertEqual(decompress.call_count, 1)

    def test_unicode_and_regular_expression_syntax_are_plain_text(self):
        self.assertEqual(search.find(SERIES, "ἀριστοτέλης")["matches"][0]["text"], "Hello, Ἀριστοτέλης!")
        self.assertEqual(search.find(SERIES, "(a+)+$")["total"], 0)
        self.assertEqual(search.find(SERIES, ".")["total"], 0)


class SearchIndexTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        self.index = search_index.SearchIndex()
        self.reads = []

    def read(self, pairs):
        self.reads.append(sorted(pairs))
        return {pair: GREETINGS[pair[0]][pair[1]] for pair in pairs if pair[1] in GREETINGS[pair[0]]}

    def search(self, stamps, query="hello"):
        return search.find(self.index.series_by_tag("ada", stamps, self.read), query)

    def test_reads_only_the_series_whose_stamp_changed(self):
        stamps = {("guests", "ada"): 1, ("guests", "bob"): 1, ("vip", "ada"): 1}
        self.assertEqual(self.search(stamps)["total"], 5)
        self.assertEqual(self.search(stamps)["total"], 5)
        self.assertEqual(self.reads, [sorted(stamps)])
        self.search({**stamps, ("guests", "bob"): 2})
        self.assertEqual(self.reads[1:], [[("guests", "bob")]])

    def test_users_who_list_different_runs_keep_each_others_series(self):
        both = {("guests", "ada"): 1, ("guests", "bob"): 1}
        for _ in range(2):
            self.search(both)
            self.search({("guests", "ada"): 1})
        self.assertEqual(self.reads, [sorted(both)])

    def test_a_series_no_search_covers_for_a_while_is_dropped(self):
        now = [1000.0]
        self.index = search_index.SearchIndex(clock=lambda: now[0])
        self.search({("guests", "ada"): 1, ("guests", "bob"): 1})
        now[0] += search_index.IDLE_SECONDS / 2
        self.search({("guests", "ada"): 1})
        now[0] += search_index.IDLE_SECONDS / 2
        self.search({("guests", "ada"): 1})
        self.search({("guests", "ada"): 1, ("guests", "bob"): 1})
        self.assertEqual(self.reads[1:], [[("guests", "bob")]])

    def test_a_run_gone_from_the_listing_is_not_searched(self):
        self.search({("guests", "ada"): 1, ("guests", "bob"): 1})
        found = self.search({("guests", "ada"): 1})
        self.assertEqual({m["run"] for m in found["matches"]}, {"ada"})

    def test_tags_that_hold_the_same_text_hold_it_once(self):
        texts = ["Hello, Guest %d of trial 12!" % step for step in range(10000)]
        text_bytes = sum(len(text) for text in texts)
        tags = ["greetings_%d" % index for index in range(3)]

        def read(pairs):
            return {pair: [greeting(step, text) for step, text in enumerate(texts)] for pair in pairs}

        tracemalloc.start()
        try:
            by_tag = self.index.series_by_tag("ada", {(tag, "r"): 1 for tag in tags}, read)
            held, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        # One tag's folded text and offsets (about 1.2x), and each tag's compressed rows (about 0.4x):
        # about 2.4x; each tag holding its own text, 4.7x.
        self.assertLess(held, 3 * text_bytes)
        self.assertEqual(search.find(by_tag, "guest 3 of")["total"], 3)

    def test_the_same_bytes_split_into_other_rows_are_not_shared(self):
        by_tag = self.index.series_by_tag(
            "ada", {("one", "r"): 1, ("two", "r"): 1},
            lambda pairs: {("one", "r"): [greeting(0, "a\0b")], ("two", "r"): [greeting(0, "a"), greeting(1, "b")]},
        )
        self.assertEqual([(m["tag"], m["step"]) for m in search.find(by_tag, "a\0b")["matches"]], [("one", 0)])
        self.assertEqual([(m["tag"], m["step"]) for m in search.find(by_tag, "b")["matches"]], [("one", 0), ("two", 1)])

    def test_a_build_reads_a_bounded_number_of_runs_at_a_time(self):
        runs = ["run%04d" % i for i in range(2 * search_index.RUNS_PER_READ + 1)]
        self.index.series_by_tag("ada", {("t", run): 1 for run in runs}, self.read_nothing)
        self.assertEqual([len(pairs) for pairs in self.reads], [search_index.RUNS_PER_READ] * 2 + [1])

    def read_nothing(self, pairs):
        self.reads.append(pairs)
        return {}

    def test_concurrent_searches_share_one_build(self):
        started, release = threading.Event(), threading.Event()

        def slow_read(pairs):
            started.set()
            release.wait(30)
            return self.read(pairs)

        stamps = {("guests", "ada"): 1}
        threads = [threading.Thread(target=self.index.series_by_tag, args=("ada", stamps, slow_read)) for _ in range(4)]
        for thread in threads:
            thread.start()
        self.assertTrue(started.wait(30))
        release.set()
        for thread in threads:
            thread.join(30)
        self.assertLen(self.reads, 1)

    def test_a_build_does_not_hold_up_searches_of_other_tags(self):
        started, other_done = threading.Event(), threading.Event()
        waited = []

        def slow_read(pairs):
            started.set()
            waited.append(other_done.wait(5))
            return self.read(pairs)

        thread = threading.Thread(target=self.index.series_by_tag, args=("ada", {("guests", "ada"): 1}, slow_read))
        thread.start()
        self.assertTrue(started.wait(30))
        self.assertEqual(self.search({("vip", "ada"): 1})["total"], 1)
        other_done.set()
        thread.join(30)
        self.assertEqual(waited, [True])


if __name__ == "__main__":
    absltest.main()
