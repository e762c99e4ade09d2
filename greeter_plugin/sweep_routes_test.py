"""The search, tag_info and other_metadata routes on a sweep of thousands of runs, under both loaders.

Each run describes its tags its own way, as sweeps do ("lr=..., seed ..."). The logdir is written
once for the whole target.
"""

import json
import tempfile
import urllib.parse

from absl.testing import absltest
from absl.testing import parameterized

from plugin_kit import search
from plugin_kit import series_plugin

from greeter_plugin import plugin_testing
from greeter_plugin import sweep_demo

RUNS = 2000
STEPS = 2
TAGS = 2

each_loader = parameterized.named_parameters(*((loader, loader) for loader in plugin_testing.LOADERS))


def description_of(run_index):
    return "lr=%d, seed %d: [notes](http://example.com/%d)" % (
        run_index // sweep_demo.SEEDS_PER_RATE, run_index % sweep_demo.SEEDS_PER_RATE, run_index)


class SweepRoutesTest(parameterized.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.logdir = tempfile.mkdtemp()
        sweep_demo.write_sweep(cls.logdir, RUNS, STEPS, TAGS, description_of)
        cls.clients = {}
        for loader in plugin_testing.LOADERS:
            flags = plugin_testing.tensorboard_flags(cls.logdir)
            data_provider = plugin_testing.start_data_provider(flags, loader)
            plugin_testing.wait_for_greetings(data_provider, RUNS * STEPS * TAGS, timeout_seconds=300)
            cls.clients[loader] = plugin_testing.greeter_client(flags, data_provider)

    def get(self, loader, route, **params):
        """(status, body bytes, parsed JSON) of `route` under `loader`."""
        response = self.clients[loader].get("/data/plugin/greeter/%s?%s" % (route, urllib.parse.urlencode(params)))
        body = response.get_data()
        return response.status_code, body, json.loads(body)

    @each_loader
    def test_search_finds_and_counts_a_few_greetings_among_thousands_of_runs(self, loader):
        # "trial 1234" and nothing else: each of its steps, under each tag.
        status, _, found = self.get(loader, "search", q="OF TRIAL 1234")
        self.assertEqual(status, 200)
        self.assertEqual((found["total"], found["total_is_lower_bound"]), (STEPS * TAGS, False))
        self.assertEqual(
            [(m["tag"], m["run"], m["step"]) for m in found["matches"]],
            [(sweep_demo.tag_name(t), sweep_demo.run_name(1234), s) for t in range(TAGS) for s in range(STEPS)],
        )
        self.assertEqual(found["matches"][0]["text"], "Hello, %s!" % sweep_demo.guest(1234, 0))
        # "trial 12", "trial 120".."129" and "trial 1200".."1299": 111 runs, under one tag.
        one_tag = self.get(loader, "search", q="of trial 12", tag=sweep_demo.tag_name(1))[2]
        self.assertEqual((one_tag["total"], one_tag["total_is_lower_bound"]), (111 * STEPS, False))

    @each_loader
    def test_search_stops_counting_at_its_bound_and_says_so(self, loader):
        found = self.get(loader, "search", q="of trial")[2]
        self.assertEqual((found["total"], found["total_is_lower_bound"]), (search.COUNT_LIMIT, True))
        self.assertLen(found["matches"], search.MATCH_LIMIT)
        first_tag = sweep_demo.tag_name(0)
        first_run = min(sweep_demo.run_name(i) for i in range(RUNS))
        self.assertEqual((found["matches"][0]["tag"], found["matches"][0]["run"]), (first_tag, first_run))

    @each_loader
    def test_tag_info_counts_the_runs_that_differ_without_listing_them(self, loader):
        status, body, info = self.get(loader, "tag_info")
        self.assertEqual(status, 200)
        tag = info[sweep_demo.tag_name(0)]
        self.assertLen(tag["runs"], RUNS)
        self.assertEqual((tag["other_metadata_count"], tag["runs_differing"]), (RUNS - 1, RUNS - 1))
        # The runs' names, once a tag; no other run's description.
        self.assertEqual(body.count(b"example.com"), TAGS)

    @each_loader
    def test_other_metadata_pages_through_the_runs_that_differ(self, loader):
        tag = sweep_demo.tag_name(1)
        first = self.get(loader, "other_metadata", tag=tag)[2]
        self.assertEqual(first["total"], RUNS - 1)
        self.assertLen(first["other_metadata"], series_plugin.OTHER_METADATA_PAGE)
        runs_by_name = sorted(sweep_demo.run_name(i) for i in range(RUNS))
        self.assertEqual([other["runs"] for other in first["other_metadata"]],
                         [[run] for run in runs_by_name[1 : 1 + series_plugin.OTHER_METADATA_PAGE]])
        self.assertIn('href="http://example.com/', first["other_metadata"][0]["description"])
        last = self.get(loader, "other_metadata", tag=tag, offset=RUNS - 5, limit=10)[2]
        self.assertEqual([other["runs"] for other in last["other_metadata"]], [[run] for run in runs_by_name[-4:]])


if __name__ == "__main__":
    absltest.main()
