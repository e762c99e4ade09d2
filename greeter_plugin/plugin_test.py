"""Tests of the Greeter's routes against event files written by the summary API, under both loaders.

What the kit does for any plugin (answer reuse, access, errors, the static route) is tested in
plugin_kit/series_plugin*_test.py.
"""

import csv
import io
import json
import os
import urllib.parse

from absl.testing import absltest
from absl.testing import parameterized

from tensorboard.compat.proto import event_pb2
from tensorboard.summary.writer import event_file_writer

from plugin_kit import sampling
from plugin_kit import search

from greeter_plugin import plugin
from greeter_plugin import plugin_testing
from greeter_plugin import summary

ADA_STEPS = (0, 3, 10)
LONG_TAG_STEPS = sampling.DEFAULT_SAMPLES_PER_TAG + 200

each_loader = parameterized.named_parameters(*((loader, loader) for loader in plugin_testing.LOADERS))


def write_logdir(logdir):
    """Writes the logdir the route tests read; returns how many greetings it holds."""
    plugin_testing.write_greetings(
        os.path.join(logdir, "ada"),
        "guests",
        [(step, "Ada %d" % step) for step in ADA_STEPS],
        display_name="Guests",
        description="Who *came*. <script>alert(1)</script>",
    )
    plugin_testing.write_greetings(os.path.join(logdir, "ada"), "vip", [(0, "李雷 🦊")])
    plugin_testing.write_greetings(os.path.join(logdir, "bob"), "guests", [(5, "Bob")])
    plugin_testing.write_greetings(
        os.path.join(logdir, "long"), "many", [(step, "G%d" % step) for step in range(LONG_TAG_STEPS)]
    )
    return len(ADA_STEPS) + 2 + LONG_TAG_STEPS


def make_a_pair(proto):
    """Makes a greeting's tensor a pair of strings, as a writer other than `summary`'s could."""
    tensor = proto.value[0].tensor
    tensor.tensor_shape.dim.add(size=2)
    tensor.string_val.append(b"Hello, Eve!")


def set_plugin_content(content):
    """An `edit` for `write_greetings` that gives the greeting other plugin content."""

    def edit(proto):
        proto.value[0].metadata.plugin_data.content = content

    return edit


class RoutesTest(parameterized.TestCase):
    def serve(self, loader, *flags, more_runs=None):
        """Serves `write_logdir`'s logdir; `more_runs(logdir)` writes more, and returns how many greetings."""
        logdir = self.create_tempdir().full_path
        write_logdir(logdir)
        more_greetings = more_runs(logdir) if more_runs else 0
        tb_flags = plugin_testing.tensorboard_flags(logdir, *flags)
        data_provider = plugin_testing.start_data_provider(tb_flags, loader)
        samples = tb_flags.samples_per_plugin["greeter"]
        plugin_testing.wait_for_greetings(
            data_provider, len(ADA_STEPS) + 2 + min(samples or LONG_TAG_STEPS, LONG_TAG_STEPS) + more_greetings
        )
        return plugin_testing.greeter_client(tb_flags, data_provider)

    def get_json(self, client, route, expected_status=200, **params):
        query = urllib.parse.urlencode(params, doseq=True)
        response = client.get("/data/plugin/greeter/%s?%s" % (route, query))
        self.assertEqual(response.status_code, expected_status, response.get_data(as_text=True))
        self.assertEqual(response.headers["Content-Type"], "application/json")
        return json.loads(response.get_data())

    @each_loader
    def test_tags_lists_the_runs_with_greetings(self, loader):
        client = self.serve(loader)
        self.assertEqual(
            self.get_json(client, "tags"),
            {"ada": ["guests", "vip"], "bob": ["guests"], "long": ["many"]},
        )

    @each_loader
    def test_greetings_come_in_step_order(self, loader):
        client = self.serve(loader)
        self.assertEqual(
            self.get_json(client, "greetings", run="ada", tag="guests"),
            [{"wall_time": 1000.0 + s, "step": s, "text": "Hello, Ada %d!" % s} for s in ADA_STEPS],
        )
        self.assertEqual(
            self.get_json(client, "greetings", run="ada", tag="vip"),
            [{"wall_time": 1000.0, "step": 0, "text": "Hello, 李雷 🦊!"}],
        )

    def test_wall_times_that_json_cannot_hold_are_written_as_tensorboard_writes_them(self):
        def odd_wall_times(logdir):
            writer = event_file_writer.EventFileWriter(os.path.join(logdir, "odd"))
            for step, wall_time in enumerate([float("nan"), float("inf")]):
                writer.add_event(event_pb2.Event(step=step, wall_time=wall_time, summary=summary.pb("guests", "Ada")))
            writer.close()
            return 2

        # The Python loader only: the Rust data server drops events whose wall time is not finite.
        client = self.serve("python", more_runs=odd_wall_times)
        response = client.get("/data/plugin/greeter/greetings?run=odd&tag=guests")

        def refuse(constant):
            raise ValueError("%s is not JSON" % constant)

        # What a browser's JSON.parse accepts: no NaN or Infinity tokens.
        served = json.loads(response.get_data(), parse_constant=refuse)
        self.assertEqual([(g["step"], g["wall_time"]) for g in served], [(0, "NaN"), (1, "Infinity")])

    @each_loader
    def test_greetings_by_run_serves_many_runs_at_once(self, loader):
        client = self.serve(loader)
        all_runs = self.get_json(client, "greetings_by_run", tag="guests")
        self.assertEqual(sorted(all_runs), ["ada", "bob"])
        self.assertEqual([g["text"] for g in all_runs["bob"]], ["Hello, Bob!"])
        self.assertEqual([g["step"] for g in all_runs["ada"]], list(ADA_STEPS))
        only_bob = self.get_json(client, "greetings_by_run", tag="guests", run=["bob"])
        self.assertEqual(only_bob, {"bob": all_runs["bob"]})

    @each_loader
    def test_greetings_by_tag_serves_many_tags_at_once(self, loader):
        client = self.serve(loader)
        by_tag = self.get_json(client, "greetings_by_tag", tag=["guests", "vip"])
        self.assertEqual(by_tag["guests"], self.get_json(client, "greetings_by_run", tag="guests"))
        self.assertEqual(by_tag["vip"], {"ada": [{"wall_time": 1000.0, "step": 0, "text": "Hello, 李雷 🦊!"}]})
        self.assertEqual(sorted(by_tag), ["guests", "vip"])
        # A tag gone since the dashboard listed it is empty, and the page's other tags still come.
        partly_gone = self.get_json(client, "greetings_by_tag", tag=["vip", "gone"])
        self.assertEqual(partly_gone, {"vip": by_tag["vip"], "gone": {}})
        # And when every tag of the page has gone: the same rule, not an error for the whole page.
        all_gone = self.get_json(client, "greetings_by_tag", tag=["gone", "nothing"])
        self.assertEqual(all_gone, {"gone": {}, "nothing": {}})

    @each_loader
    def test_card_answers_each_runs_latest_greetings_and_how_many_it_keeps(self, loader):
        client = self.serve(loader)
        ada = self.get_json(client, "greetings", run="ada", tag="guests")
        bob = self.get_json(client, "greetings", run="bob", tag="guests")
        self.assertEqual(
            self.get_json(client, "card", tag="guests", run=["ada", "bob"], latest=2),
            {"ada": {"total": 3, "sampled": False, "start": 1000.0, "offset": 1, "greetings": ada[-2:]},
             "bob": {"total": 1, "sampled": False, "start": 1005.0, "offset": 0, "greetings": bob}},
        )
        # Every step of one run: the greetings route's answer, with its count.
        self.assertEqual(
            self.get_json(client, "card", tag="guests", run="ada"),
            {"ada": {"total": 3, "sampled": False, "start": 1000.0, "offset": 0, "greetings": ada}},
        )
        # A run without the tag has none of it, and costs no error: the tag may have gone since it was listed.
        self.assertEqual(
            self.get_json(client, "card", tag="vip", run=["ada", "bob"], latest=1),
            {"ada": {"total": 1, "sampled": False, "start": 1000.0, "offset": 0,
                     "greetings": self.get_json(client, "greetings", run="ada", tag="vip")},
             "bob": {"total": 0, "sampled": False, "start": None, "offset": 0, "greetings": []}},
        )
        # The count is of what the loader keeps, not of the window; a tag longer than the bound is a sample.
        many = self.get_json(client, "card", tag="many", run="long", latest=1)["long"]
        self.assertEqual(many["total"], sampling.DEFAULT_SAMPLES_PER_TAG)
        self.assertTrue(many["sampled"])
        self.assertEqual([g["step"] for g in many["greetings"]], [LONG_TAG_STEPS - 1])

    @each_loader
    def test_card_says_no_sample_when_every_greeting_is_kept(self, loader):
        client = self.serve(loader, "--samples_per_plugin=greeter=0")
        many = self.get_json(client, "card", tag="many", run="long", latest=1)["long"]
        self.assertEqual((many["total"], many["sampled"]), (LONG_TAG_STEPS, False))

    @each_loader
    def test_card_answers_a_range_of_steps(self, loader):
        client = self.serve(loader)

        def steps(**window):
            answer = self.get_json(client, "card", tag="guests", run="ada", **window)["ada"]
            self.assertEqual(answer["total"], len(ADA_STEPS))
            steps = [g["step"] for g in answer["greetings"]]
            if steps:
                # Where the window starts among the run's greetings: a card pages with it.
                self.assertEqual(answer["offset"], ADA_STEPS.index(steps[0]))
            return steps

        self.assertEqual(steps(step_min=3, step_max=10), [3, 10])
        self.assertEqual(steps(step_min=1, step_max=9), [3])
        self.assertEqual(steps(step_min=4), [10])
        self.assertEqual(steps(step_max=3), [0, 3])
        self.assertEqual(steps(step_max=-1), [])
        self.assertEqual(steps(step_max=10, latest=2), [3, 10])
        self.assertEqual(steps(step_max=9, latest=1), [3])
        # A page forward from a step, as `latest` pages back to one.
        self.assertEqual(steps(earliest=2), [0, 3])
        self.assertEqual(steps(step_min=1, earliest=1), [3])
        self.assertEqual(steps(step_min=3, step_max=3, earliest=5), [3])

    @each_loader
    def test_tag_info_renders_descriptions_to_safe_html(self, loader):
        client = self.serve(loader)
        info = self.get_json(client, "tag_info")
        self.assertEqual(sorted(info), ["guests", "many", "vip"])
        self.assertEqual(info["guests"]["display_name"], "Guests")
        self.assertEqual(info["guests"]["runs"], ["ada", "bob"])
        self.assertIn("<em>came</em>", info["guests"]["description"])
        self.assertNotIn("<script>", info["guests"]["description"])
        self.assertEqual(info["vip"]["display_name"], "vip")
        self.assertEqual((info["vip"]["other_metadata_count"], info["vip"]["runs_differing"]), (0, 0))

    @each_loader
    def test_tag_info_counts_where_runs_disagree_and_other_metadata_lists_them_a_page_at_a_time(self, loader):
        def write_carol(logdir):
            # "carol" sorts after "ada" and "bob": its metadata used to be hidden behind ada's.
            plugin_testing.write_greetings(
                os.path.join(logdir, "carol"), "guests", [(0, "Carol")], display_name="Visitors",
                description="Who *left*. [home](http://example.com)",
            )
            return 1

        client = self.serve(loader, more_runs=write_carol)
        guests = self.get_json(client, "tag_info")["guests"]
        self.assertEqual(guests["display_name"], "Guests")
        self.assertIn("<em>came</em>", guests["description"])
        self.assertEqual(guests["runs"], ["ada", "bob", "carol"])
        self.assertEqual((guests["other_metadata_count"], guests["runs_differing"]), (2, 2))
        self.assertNotIn("other_metadata", guests)
        others = self.get_json(client, "other_metadata", tag="guests")
        self.assertEqual(others["total"], 2)
        self.assertEqual(
            [(other["display_name"], other["runs"]) for other in others["other_metadata"]],
            [("guests", ["bob"]), ("Visitors", ["carol"])],
        )
        self.assertIn("<p>Who <em>left</em>.", others["other_metadata"][1]["description"])
        second = self.get_json(client, "other_metadata", tag="guests", offset=1, limit=1)
        self.assertEqual((second["total"], second["other_metadata"]), (2, others["other_metadata"][1:]))
        self.assertEqual(self.get_json(client, "other_metadata", tag="guests", offset=5)["other_metadata"], [])
        self.assertEqual(self.get_json(client, "other_metadata", tag="vip"), {"total": 0, "other_metadata": []})

    @each_loader
    def test_greetings_that_are_not_one_string_are_skipped_with_a_warning(self, loader):
        def write_pairs(logdir):
            run_dir = os.path.join(logdir, "pairs")
            plugin_testing.write_greetings(run_dir, "pairs", [(0, "Ada")])
            plugin_testing.write_greetings(run_dir, "pairs", [(1, "Bob")], edit=make_a_pair)
            return 2

        client = self.serve(loader, more_runs=write_pairs)
        with self.assertLogs(plugin.logger, "WARNING") as logs:
            greetings = self.get_json(client, "greetings", run="pairs", tag="pairs")
        self.assertEqual([g["text"] for g in greetings], ["Hello, Ada!"])
        self.assertIn("not one of shape [2]", logs.output[0])

    @each_loader
    def test_unreadable_tags_say_why_when_no_greeting_can_be_read(self, loader):
        logdir = self.create_tempdir().full_path
        run_dir = os.path.join(logdir, "old_reader")
        plugin_testing.write_greetings(run_dir, "future", [(0, "Ada")], edit=set_plugin_content(b'{"version": 99}'))
        plugin_testing.write_greetings(run_dir, "broken", [(0, "Bob")], edit=set_plugin_content(b"not json"))
        tb_flags = plugin_testing.tensorboard_flags(logdir)
        data_provider = plugin_testing.start_data_provider(tb_flags, loader)
        plugin_testing.wait_for_greetings(data_provider, 2)
        client = plugin_testing.greeter_client(tb_flags, data_provider)
        with self.assertLogs(plugin.logger, "WARNING"):
            self.assertEqual(self.get_json(client, "tags"), {})
        unreadable = self.get_json(client, "unreadable_tags")
        self.assertEqual(list(unreadable), ["old_reader"])
        self.assertEqual(sorted(unreadable["old_reader"]), ["broken", "future"])
        self.assertIn("written by a newer Greeter", unreadable["old_reader"]["future"])
        self.assertIn("not UTF-8 JSON", unreadable["old_reader"]["broken"])
        self.assertEqual(self.get_json(self.serve(loader), "unreadable_tags"), {})

    @each_loader
    def test_a_tag_keeps_the_default_number_of_greetings_and_the_latest(self, loader):
        client = self.serve(loader)
        steps = [g["step"] for g in self.get_json(client, "greetings", run="long", tag="many")]
        self.assertLen(steps, sampling.DEFAULT_SAMPLES_PER_TAG)
        self.assertEqual(steps[-1], LONG_TAG_STEPS - 1)

    @each_loader
    def test_samples_per_plugin_changes_the_bound(self, loader):
        client = self.serve(loader, "--samples_per_plugin=greeter=7")
        steps = [g["step"] for g in self.get_json(client, "greetings", run="long", tag="many")]
        self.assertLen(steps, 7)
        self.assertEqual(steps[-1], LONG_TAG_STEPS - 1)

    @each_loader
    def test_samples_per_plugin_zero_keeps_every_greeting(self, loader):
        client = self.serve(loader, "--samples_per_plugin=greeter=0")
        steps = [g["step"] for g in self.get_json(client, "greetings", run="long", tag="many")]
        self.assertEqual(steps, list(range(LONG_TAG_STEPS)))

    @each_loader
    def test_search_finds_greetings_in_every_run_and_tag(self, loader):
        client = self.serve(loader)
        found = self.get_json(client, "search", q="ADA 1")
        self.assertEqual(
            found,
            {
                "query": "ADA 1",
                "total": 1,
                "total_is_lower_bound": False,
                "matches": [{"run": "ada", "tag": "guests", "wall_time": 1010.0, "step": 10, "text": "Hello, Ada 10!"}],
            },
        )
        self.assertEqual(self.get_json(client, "search", q="🦊")["matches"][0]["tag"], "vip")
        only_vip = self.get_json(client, "search", q="hello", tag="vip")
        self.assertEqual([(m["run"], m["tag"]) for m in only_vip["matches"]], [("ada", "vip")])
        self.assertEqual(self.get_json(client, "search", q="nobody")["total"], 0)
        self.assertEqual(self.get_json(client, "search", q="hello", tag="gone")["total"], 0)

    @each_loader
    def test_search_returns_a_limited_number_of_matches_and_counts_them_all(self, loader):
        client = self.serve(loader, "--samples_per_plugin=greeter=0")
        found = self.get_json(client, "search", q="g", tag="many")
        self.assertEqual(found["total"], LONG_TAG_STEPS)
        self.assertLen(found["matches"], search.MATCH_LIMIT)

    @each_loader
    def test_bad_requests_get_json_errors(self, loader):
        client = self.serve(loader)
        cases = [
            ("search", 400, {"tag": "guests"}, "missing query parameter 'q'"),
            ("search", 400, {"q": "ada", "tag": ["guests", ""]}, "empty query parameter 'tag'"),
            ("greetings", 400, {"tag": "guests"}, "missing query parameter 'run'"),
            ("greetings", 400, {"run": "ada", "tag": ""}, "missing query parameter 'tag'"),
            ("greetings", 404, {"run": "nobody", "tag": "guests"}, "no run 'nobody' with greetings"),
            ("greetings", 404, {"run": "bob", "tag": "vip"}, "run 'bob' has no greeter tag 'vip'"),
            ("greetings_by_run", 400, {}, "missing query parameter 'tag'"),
            ("greetings_by_run", 404, {"tag": "nothing"}, "no run has greetings under the tag 'nothing'"),
            ("greetings_by_run", 404, {"tag": "vip", "run": ["ada", "bob"]}, "run 'bob' has no greeter tag"),
            ("greetings_by_run", 400, {"tag": "vip", "run": ["ada", ""]}, "empty query parameter 'run'"),
            ("greetings_by_tag", 400, {}, "missing query parameter 'tag'"),
            ("greetings_by_tag", 400, {"tag": ["vip", ""]}, "empty query parameter 'tag'"),
            ("card", 400, {"run": "ada"}, "missing query parameter 'tag'"),
            ("card", 400, {"tag": "guests"}, "missing query parameter 'run'"),
            ("card", 400, {"tag": "guests", "run": ["ada", ""]}, "empty query parameter 'run'"),
            ("card", 400, {"tag": "guests", "run": "ada", "latest": "two"}, "'latest' must be an integer, not 'two'"),
            ("card", 400, {"tag": "guests", "run": "ada", "latest": "0"}, "'latest' must be at least 1, not 0"),
            ("card", 400, {"tag": "guests", "run": "ada", "latest": ""}, "'latest' must be an integer"),
            ("card", 400, {"tag": "guests", "run": "ada", "step_min": "1.5"}, "'step_min' must be an integer"),
            ("card", 400, {"tag": "guests", "run": "ada", "step_max": "9" * 5000}, "'step_max' must be an integer"),
            ("card", 400, {"tag": "guests", "run": "ada", "step_min": 5, "step_max": 4}, "step_min (5) is after step_max (4)"),
            ("card", 400, {"tag": "guests", "run": "ada", "earliest": "0"}, "'earliest' must be at least 1, not 0"),
            ("card", 400, {"tag": "guests", "run": "ada", "earliest": 1, "latest": 1}, "the latest or the earliest"),
            ("card", 404, {"tag": "guests", "run": ["nobody", "nobody_else"]}, "no run 'nobody' with greetings"),
            ("other_metadata", 400, {}, "missing query parameter 'tag'"),
            ("other_metadata", 404, {"tag": "nothing"}, "no run has greetings under the tag 'nothing'"),
            ("other_metadata", 400, {"tag": "guests", "offset": "-1"}, "'offset' must be at least 0"),
            ("other_metadata", 400, {"tag": "guests", "limit": "0"}, "'limit' must be at least 1"),
            ("other_metadata", 400, {"tag": "guests", "limit": "100000"}, "'limit' must be at most 200"),
        ]
        for route, status, params, message in cases:
            with self.subTest(route=route, params=params):
                self.assertIn(message, self.get_json(client, route, status, **params)["error"])


class DownloadTest(parameterized.TestCase):
    """A run's greetings of one tag as a CSV or JSON file."""

    FORMULA = '=HYPERLINK("http://evil.example","click")'

    def serve(self, loader):
        logdir = self.create_tempdir().full_path
        write_logdir(logdir)

        def write_formula(proto):
            # Text as another writer than `summary` could store it: no "Hello, " before the formula.
            proto.value[0].tensor.string_val[:] = [self.FORMULA.encode()]

        plugin_testing.write_greetings(os.path.join(logdir, "eve"), "guests", [(-1, "")], edit=write_formula)
        tb_flags = plugin_testing.tensorboard_flags(logdir)
        data_provider = plugin_testing.start_data_provider(tb_flags, loader)
        plugin_testing.wait_for_greetings(data_provider, len(ADA_STEPS) + 2 + sampling.DEFAULT_SAMPLES_PER_TAG + 1)
        return plugin_testing.greeter_client(tb_flags, data_provider)

    @each_loader
    def test_csv_is_an_attachment_whose_rows_are_the_greetings_with_formulas_as_text(self, loader):
        client = self.serve(loader)

        def csv_rows(run):
            response = client.get("/data/plugin/greeter/download?run=%s&tag=guests&format=csv" % run)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.headers["Content-Type"], "text/csv; charset=utf-8")
            self.assertEqual(response.headers["Content-Disposition"], "attachment; filename=%s_guests.csv" % run)
            return list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))

        self.assertEqual(
            csv_rows("ada"),
            [["wall_time", "step", "text"]] + [[str(1000.0 + s), str(s), "Hello, Ada %d!" % s] for s in ADA_STEPS],
        )
        self.assertEqual(csv_rows("eve")[1], ["999.0", "-1", "'" + self.FORMULA])

    @each_loader
    def test_json_is_the_greetings_route_as_an_attachment(self, loader):
        client = self.serve(loader)
        response = client.get("/data/plugin/greeter/download?run=ada&tag=vip&format=json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/json")
        self.assertEqual(response.headers["Content-Disposition"], "attachment; filename=ada_vip.json")
        self.assertEqual(json.loads(response.get_data()), [{"wall_time": 1000.0, "step": 0, "text": "Hello, 李雷 🦊!"}])

    @each_loader
    def test_bad_requests_get_json_errors(self, loader):
        client = self.serve(loader)
        cases = [
            (400, {"run": "ada", "tag": "guests"}, "missing query parameter 'format'"),
            (400, {"run": "ada", "tag": "guests", "format": "xlsx"}, "format must be one of csv, json, not 'xlsx'"),
            (400, {"tag": "guests", "format": "csv"}, "missing query parameter 'run'"),
            (404, {"run": "nobody", "tag": "guests", "format": "csv"}, "no run 'nobody' with greetings"),
            (404, {"run": "bob", "tag": "vip", "format": "json"}, "run 'bob' has no greeter tag 'vip'"),
        ]
        for status, params, message in cases:
            with self.subTest(params=params):
                response = client.get("/data/plugin/greeter/download?" + urllib.parse.urlencode(params))
                self.assertEqual(response.status_code, status)
                self.assertNotIn("Content-Disposition", response.headers)
                self.assertIn(message, json.loads(response.get_data())["error"])


if __name__ == "__main__":
    absltest.main()
