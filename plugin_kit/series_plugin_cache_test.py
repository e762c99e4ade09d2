"""The kit reuses the data provider's answers for CACHE_SECONDS, then reads again; concurrent requests
share one read; searches read a plugin's data once until it changes. On the kit tests' notes plugin.
"""

import concurrent.futures
import json
from unittest import mock

from absl.testing import absltest

from plugin_kit import kit_test_plugins
from plugin_kit import series_plugin
from plugin_kit.testing import route_harness


class ReuseTest(absltest.TestCase):
    """The data provider's answers are reused for CACHE_SECONDS, then read again."""

    def setUp(self):
        super().setUp()
        logdir = self.create_tempdir().full_path
        kit_test_plugins.write_logdir(logdir)
        tb_flags = route_harness.tensorboard_flags(logdir, loaders=[kit_test_plugins.NotesLoader()])
        self.data_provider = route_harness.CountingDataProvider(route_harness.start_data_provider(tb_flags, "python"))
        self.now = 1000.0
        self.client = route_harness.plugin_client(kit_test_plugins.NotesPlugin, tb_flags, self.data_provider,
                                                  clock=lambda: self.now)

    def get(self, path):
        response = self.client.get("/data/plugin/kit_notes/" + path)
        self.assertEqual(response.status_code, 200)
        return json.loads(response.get_data())

    def test_answers_are_reused_until_they_expire(self):
        both = self.get("notes_by_run?tag=guests")
        self.assertEqual(self.get("notes_by_run?tag=guests"), both)
        ada = self.get("notes?run=ada&tag=guests")
        self.assertEqual(self.get("notes?run=ada&tag=guests"), ada)
        self.assertEqual(ada, both["ada"])
        # One list of tags; one read of every run, and one of the run asked for alone.
        self.assertEqual(self.data_provider.calls, {"list_tensors": 1, "read_tensors": 2})
        self.now += series_plugin.CACHE_SECONDS
        self.assertEqual(self.get("notes?run=ada&tag=guests"), ada)
        self.assertEqual(self.data_provider.calls, {"list_tensors": 2, "read_tensors": 3})

    def test_a_listing_is_read_and_answered_once(self):
        # On a sweep each of these is a pass over 10,000 runs: done once per listing, not per request,
        # and a metadata content that every run writes is parsed once, not once a run.
        with mock.patch.object(kit_test_plugins.NotesPlugin, "parse_plugin_data", autospec=True) as parse, \
                mock.patch.object(series_plugin, "_tags_json", wraps=series_plugin._tags_json) as tags_json, \
                mock.patch.object(series_plugin, "_versions_by_tag", wraps=series_plugin._versions_by_tag) as versions:
            tags = self.get("tags")
            tag_info = self.get("tag_info")
            self.assertEqual(self.get("tags"), tags)
            self.assertEqual(self.get("tag_info"), tag_info)
            self.assertEqual(self.get("other_metadata?tag=guests")["total"], 1)
            self.assertEqual(sorted(tags), ["ada", "bob", "long"])
            self.assertEqual(sorted(tag_info), ["guests", "many", "vip"])
            self.assertEqual((parse.call_count, tags_json.call_count, versions.call_count), (1, 1, 1))
            # A new listing is answered anew.
            self.now += series_plugin.CACHE_SECONDS
            self.assertEqual(self.get("tags"), tags)
            self.assertEqual((parse.call_count, tags_json.call_count), (2, 2))
        self.assertEqual(self.data_provider.calls, {"list_tensors": 2})

    def test_tags_missing_from_the_cache_are_read_together(self):
        self.get("notes?run=ada&tag=guests")
        by_tag = self.get("notes_by_tag?tag=guests&tag=vip&tag=many")
        self.assertEqual(sorted(by_tag), ["guests", "many", "vip"])
        self.assertEqual(self.data_provider.calls["read_tensors"], 2)

    def test_a_run_read_since_the_reused_listing_is_served_at_once(self):
        self.data_provider.unread_runs = {"bob"}
        self.assertEqual(sorted(self.get("tags")), ["ada", "long"])
        # The loader reads bob; the dashboard (or a link) asks for it before the listing expires.
        self.data_provider.unread_runs = set()
        self.now += 1.5 * series_plugin.RECHECK_SECONDS
        self.assertLess(1.5 * series_plugin.RECHECK_SECONDS, series_plugin.CACHE_SECONDS)
        self.assertEqual([g["text"] for g in self.get("notes?run=bob&tag=guests")], ["Bob"])
        card = self.get("card?tag=guests&run=bob")
        self.assertEqual(card["bob"]["total"], 1)

    def test_a_run_gone_since_the_listing_costs_only_its_own_window(self):
        self.assertIn("bob", self.get("tags"))
        self.data_provider.unread_runs = {"bob"}
        self.now += series_plugin.CACHE_SECONDS
        card = self.get("card?tag=guests&run=ada&run=bob")
        self.assertEqual([g["step"] for g in card["ada"]["notes"]], list(kit_test_plugins.ADA_STEPS))
        self.assertEqual(card["bob"], {"total": 0, "sampled": False, "start": None, "offset": 0, "notes": [],
                                       "gone": "no run 'bob' with notes"})
        self.assertNotIn("gone", card["ada"])

    def test_a_tag_read_since_the_reused_listing_is_served_at_once(self):
        self.data_provider.unread_runs = {"long"}
        self.assertNotIn("many", self.get("tag_info"))
        self.data_provider.unread_runs = set()
        self.now += 1.5 * series_plugin.RECHECK_SECONDS
        self.assertEqual(list(self.get("notes_by_run?tag=many")), ["long"])

    def test_runs_that_do_not_exist_cost_at_most_one_listing_a_recheck(self):
        self.get("tags")
        for _ in range(5):
            response = self.client.get("/data/plugin/kit_notes/notes?run=nobody&tag=guests")
            self.assertEqual(response.status_code, 404)
        self.now += 0.5 * series_plugin.RECHECK_SECONDS
        self.client.get("/data/plugin/kit_notes/notes?run=nobody&tag=guests")
        self.assertEqual(self.data_provider.calls["list_tensors"], 1)
        self.now += series_plugin.RECHECK_SECONDS
        self.client.get("/data/plugin/kit_notes/notes?run=nobody&tag=guests")
        self.assertEqual(self.data_provider.calls["list_tensors"], 2)

    def test_searches_read_the_notes_once_until_they_change(self):
        self.assertEqual(self.get("search?q=ada")["total"], len(kit_test_plugins.ADA_STEPS))
        calls = dict(self.data_provider.calls)
        # Within SEARCH_LISTING_SECONDS, nor is the list of series asked for again.
        self.now += series_plugin.CACHE_SECONDS
        self.assertLess(series_plugin.CACHE_SECONDS, series_plugin.SEARCH_LISTING_SECONDS)
        self.assertEqual(self.get("search?q=bob")["total"], 1)
        self.assertEqual(self.data_provider.calls, calls)
        self.now += series_plugin.SEARCH_LISTING_SECONDS
        self.assertEqual(self.get("search?q=bob")["total"], 1)
        self.assertEqual(self.data_provider.calls["list_tensors"], calls["list_tensors"] + 1)
        self.assertEqual(self.data_provider.calls["read_tensors"], calls["read_tensors"])

    def test_a_search_asked_again_with_its_etag_is_not_modified_until_the_data_changes(self):
        first = self.client.get("/data/plugin/kit_notes/search?q=ada")
        etag = first.headers["ETag"]
        again = self.client.get("/data/plugin/kit_notes/search?q=ada", headers={"If-None-Match": etag})
        self.assertEqual((again.status_code, again.get_data()), (304, b""))
        other_query = self.client.get("/data/plugin/kit_notes/search?q=bob", headers={"If-None-Match": etag})
        self.assertEqual(other_query.status_code, 200)
        # The loader's data changes: a run goes.
        self.data_provider.unread_runs = {"bob"}
        self.now += series_plugin.SEARCH_LISTING_SECONDS
        changed = self.client.get("/data/plugin/kit_notes/search?q=ada", headers={"If-None-Match": etag})
        self.assertEqual(changed.status_code, 200)
        self.assertEqual(json.loads(changed.get_data())["total"], len(kit_test_plugins.ADA_STEPS))

    def test_concurrent_requests_share_one_read(self):
        # The clock stands still: however slowly the threads run, no answer expires meanwhile.
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: self.get("notes?run=long&tag=many"), range(16)))
        self.assertTrue(all(answer == answers[0] for answer in answers))
        self.assertEqual(self.data_provider.calls["read_tensors"], 1)


if __name__ == "__main__":
    absltest.main()
