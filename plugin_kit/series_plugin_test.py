"""Tests of `SeriesPlugin` on plugins of the kit's tests (`kit_test_plugins`), not the Greeter.

These cover what a plugin chooses (rows_key, columns, no search, routes of its own), what the kit
shares between requests and users, and what it answers when reading fails. The Greeter's own route
tests (greeter_plugin/plugin_test.py) cover every route in depth.
"""

import csv
import io
import json
import os

from absl.testing import absltest
from absl.testing import parameterized
from werkzeug import test as werkzeug_test
from werkzeug import wrappers

from tensorboard.backend import application
from tensorboard.plugins import base_plugin

from plugin_kit import kit_test_plugins
from plugin_kit import routes
from plugin_kit import sampling
from plugin_kit import series_plugin
from plugin_kit.numbers_plugin import plugin as numbers_plugin
from plugin_kit.testing import route_harness

COUNTS = kit_test_plugins.COUNTS


class AnotherPluginTest(parameterized.TestCase):
    @parameterized.named_parameters(*((loader, loader) for loader in route_harness.LOADERS))
    def test_serves_its_rows_its_columns_and_its_own_route_and_no_search(self, loader):
        logdir = self.create_tempdir().full_path
        counts = [(step, kit_test_plugins.count_summary("counts", 10 * step)) for step in range(3)]
        route_harness.write_summaries(os.path.join(logdir, "a"), counts)
        flags = route_harness.tensorboard_flags(logdir, loaders=[kit_test_plugins.CountsLoader()])
        self.assertEqual(flags.samples_per_plugin[COUNTS], sampling.DEFAULT_SAMPLES_PER_TAG)
        data_provider = route_harness.start_data_provider(flags, loader)
        route_harness.wait_for_data(data_provider, COUNTS, 3)
        client = route_harness.plugin_client(kit_test_plugins.CountsPlugin, flags, data_provider)

        def get(path):
            return route_harness.get_json(client, COUNTS, path)

        self.assertEqual(get("tags"), (200, {"a": ["counts"]}))
        self.assertEqual(get("rows?run=a&tag=counts")[1][2], {"wall_time": 1002.0, "step": 2, "count": 20})
        status, card = get("card?run=a&tag=counts&latest=1")
        self.assertEqual((status, card["a"]["rows"], card["a"]["total"]), (200, [{"wall_time": 1002.0, "step": 2, "count": 20}], 3))
        self.assertEqual(get("rows_by_tag?tag=counts")[1]["counts"]["a"][0]["count"], 0)
        self.assertEqual(get("total?run=a"), (200, 30))
        self.assertEqual(get("rows?run=b&tag=counts"), (404, {"error": "no run 'b' with rows"}))
        download = client.get("/data/plugin/%s/download?run=a&tag=counts&format=csv" % COUNTS)
        self.assertEqual(
            list(csv.reader(io.StringIO(download.get_data(as_text=True)))),
            [["wall_time", "step", "count"], ["1000.0", "0", "0"], ["1001.0", "1", "10"], ["1002.0", "2", "20"]],
        )
        self.assertEqual(client.get("/data/plugin/%s/search?q=1" % COUNTS).status_code, 404)
        self.assertEqual(client.get("/data/plugin/%s/static/series_plugin.py" % COUNTS).status_code, 404)


def write_described_logdir(logdir):
    kit_test_plugins.write_notes(os.path.join(logdir, "ada"), "guests", [(0, "Ada")], description="Who *came*.")
    kit_test_plugins.write_notes(os.path.join(logdir, "bob"), "guests", [(0, "Bob")], description="Who *else*.")
    kit_test_plugins.write_notes(os.path.join(logdir, "ada"), "vip", [(0, "Grace")], description="The *few*.")


class SharingTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        logdir = self.create_tempdir().full_path
        write_described_logdir(logdir)
        flags = route_harness.tensorboard_flags(logdir, loaders=[kit_test_plugins.NotesLoader()])
        self.data_provider = route_harness.CountingDataProvider(route_harness.start_data_provider(flags, "python"))
        self.notes = route_harness.make_plugin(kit_test_plugins.NotesPlugin, flags, self.data_provider)
        self.client = werkzeug_test.Client(application.TensorBoardWSGI([self.notes]))

    def get(self, path, **headers):
        response = self.client.get("/data/plugin/%s/%s" % (kit_test_plugins.NOTES, path), headers=headers)
        self.assertEqual(response.status_code, 200, response.get_data()[:300])
        return json.loads(response.get_data())

    def test_one_tags_metadata_keeps_the_other_tags_rendered_descriptions(self):
        rendered = []
        render = self.notes._descriptions._render  # pylint: disable=protected-access
        self.notes._descriptions._render = lambda markdown: rendered.append(markdown) or render(markdown)  # pylint: disable=protected-access
        info = self.get("tag_info")
        self.assertEqual(info["vip"]["description"], "<p>The <em>few</em>.</p>")
        others = self.get("other_metadata?tag=guests")["other_metadata"]
        self.assertEqual([other["runs"] for other in others], [["bob"]])
        self.assertEqual(self.get("tag_info"), info)
        # Each description rendered once: asking for one tag's other metadata dropped none of the others.
        self.assertCountEqual(rendered, ["Who *came*.", "Who *else*.", "The *few*."])

    def test_users_who_see_the_same_series_share_one_search_index(self):
        for user in ("ada", "bob", "eve", "dan", "fay"):
            found = self.get("search?q=grace", Authorization="Bearer " + user)
            self.assertEqual([match["run"] for match in found["matches"]], ["ada"])
        # Each user's listing is their own (the data provider decides access), the series' text is read once.
        self.assertEqual(self.data_provider.calls["list_tensors"], 5)
        self.assertEqual(self.data_provider.calls["read_tensors"], 1)


class ContractTest(absltest.TestCase):
    def test_a_plugin_that_does_not_say_its_name_is_refused_with_what_it_lacks(self):
        class Nameless(series_plugin.SeriesPlugin):
            tab_name = "Nameless"

        with self.assertRaisesRegex(TypeError, "Nameless must say its plugin_name, bundle_dir"):
            Nameless(base_plugin.TBContext())


class RouteTest(absltest.TestCase):
    def test_a_handlers_response_is_served_as_is_and_a_value_as_json(self):
        class Handlers:
            @routes.json_route
            def response(self, request):
                return wrappers.Response("plain", mimetype="text/plain")

            @routes.json_route
            def value(self, request):
                return {"nan": float("nan"), "n": routes.int_arg(request, "n", maximum=3)}

        client = werkzeug_test.Client(Handlers().response)
        self.assertEqual(client.get("/").get_data(), b"plain")
        client = werkzeug_test.Client(Handlers().value)
        self.assertEqual(json.loads(client.get("/?n=2").get_data()), {"nan": "NaN", "n": 2})
        too_big = client.get("/?n=4")
        self.assertEqual((too_big.status_code, json.loads(too_big.get_data())),
                         (400, {"error": "query parameter 'n' must be at most 3, not 4"}))



class FailingDataProvider:
    """A data provider whose every call fails, as when the data server has died."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise RuntimeError("the data server is gone (secret detail)")

        return fail


class UnexpectedFailureTest(absltest.TestCase):
    def test_is_a_json_500_without_the_stack_trace(self):
        logdir = self.create_tempdir().full_path
        tb_flags = route_harness.tensorboard_flags(logdir, loaders=[kit_test_plugins.NotesLoader()])
        client = route_harness.plugin_client(kit_test_plugins.NotesPlugin, tb_flags, FailingDataProvider())
        for route in ("tags", "tag_info", "notes?run=a&tag=b", "notes_by_tag?tag=b"):
            with self.subTest(route=route):
                with self.assertLogs(kit_test_plugins.__name__, "ERROR"):
                    response = client.get("/data/plugin/kit_notes/" + route)
                self.assertEqual(response.status_code, 500)
                body = response.get_data(as_text=True)
                self.assertEqual(json.loads(body), {"error": "internal error (RuntimeError); see the server's log"})
                self.assertNotIn("Traceback", body)


class StaticRouteTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        tb_flags = route_harness.tensorboard_flags(self.create_tempdir().full_path, loaders=[numbers_plugin.NumbersLoader()])
        data_provider = route_harness.start_data_provider(tb_flags, "python")
        self.client = route_harness.plugin_client(numbers_plugin.NumbersPlugin, tb_flags, data_provider)

    def test_serves_the_bundle_as_javascript(self):
        response = self.client.get("/data/plugin/numbers/static/index.js")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "text/javascript; charset=utf-8")
        self.assertIn(b"render", response.get_data())

    def test_serves_nothing_else(self):
        # TensorBoard's router answers "static/" itself (404), before the static route sees it.
        self.assertEqual(self.client.get("/data/plugin/numbers/static/").status_code, 404)
        for path in ("static/../plugin.py", "static/%2e%2e/plugin.py", "static/..%2fplugin.py", "static//etc/passwd",
                     "static/BUILD", "static/index.ts", "static/frontend/index.js"):
            with self.subTest(path=path):
                response = self.client.get("/data/plugin/numbers/" + path)
                self.assertEqual(response.status_code, 404)
                self.assertIn("error", json.loads(response.get_data()))


class FrontendMetadataTest(absltest.TestCase):
    def test_is_a_dynamic_plugin_tab_named_as_the_plugin_says(self):
        tb_flags = route_harness.tensorboard_flags(self.create_tempdir().full_path, loaders=[numbers_plugin.NumbersLoader()])
        numbers = numbers_plugin.NumbersLoader().load(base_plugin.TBContext(flags=tb_flags))
        self.assertEqual(numbers.frontend_metadata().es_module_path, "/static/index.js")
        self.assertEqual(numbers.frontend_metadata().tab_name, "Numbers")


if __name__ == "__main__":
    absltest.main()
