"""Property-based fuzzing of the Greeter's routes: any query gets a JSON answer, never a server error.

Hypothesis generates the parameters (very long, Unicode, percent-encoded, path-like, repeated, unknown
names) and how they are encoded into the query string; both loaders answer the same requests. The
static route gets path-like names and must serve the bundle's one file and nothing else.
"""

import json
import os
import urllib.parse

from absl.testing import absltest
from absl.testing import parameterized
import hypothesis
from hypothesis import strategies as st

from greeter_plugin import plugin
from greeter_plugin import plugin_testing

TAG = "guests"
RUNS = ("ada", "bob")
JSON_ROUTES = ("tags", "tag_info", "greetings", "greetings_by_run", "greetings_by_tag", "search",
               "unreadable_tags", "card", "other_metadata")
# Routes that answer a file when they succeed, and JSON errors otherwise.
FILE_ROUTES = ("download",)
FORMATS = ("csv", "json")
STATIC_PREFIX = "/data/plugin/greeter/static/"

# Bounded so that each test takes seconds; `deadline=None` because the fast loader's first read
# after the plugin's cache expires waits on the data server.
FUZZ_SETTINGS = hypothesis.settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.too_slow, hypothesis.HealthCheck.data_too_large],
    database=None,
)

PATH_LIKE = (
    "..",
    "../..",
    "../plugin.py",
    "/etc/passwd",
    "//etc/passwd",
    "\\..\\plugin.py",
    "C:\\Windows\\win.ini",
    "%2e%2e%2f",
    "..%2fplugin.py",
    "%252e%252e%252f",
    "index.js/..",
    "./index.js",
    "index.js%00.py",
    "file:///etc/passwd",
)

parameter_values = st.one_of(
    st.sampled_from(RUNS + (TAG, "") + FORMATS),
    # The card's windows: numbers in and out of range, and what is not quite a number.
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(("0", "-1", "1e3", "0x10", " 7", "7 ", "1_000", "٣", "NaN", "inf")),
    st.text(max_size=40),
    st.sampled_from(PATH_LIKE),
    # Very long: a name of tens of kilobytes.
    st.builds(lambda text, times: text * times, st.text(min_size=1, max_size=4), st.integers(1000, 5000)),
)
parameter_names = st.one_of(
    st.sampled_from(("run", "tag", "format", "q", "latest", "step_min", "step_max", "offset", "limit")),
    st.text(max_size=8),
)


@st.composite
def query_strings(draw):
    """A query string of run, tag and other parameters, each encoded in one of several ways."""
    parts = []
    for name, value in draw(st.lists(st.tuples(parameter_names, parameter_values), max_size=6)):
        encoding = draw(st.sampled_from(("quoted", "raw", "double")))
        if encoding == "quoted":
            parts.append(urllib.parse.quote(name, safe="") + "=" + urllib.parse.quote(value, safe=""))
        elif encoding == "raw":
            # Leaves '%', '&', '=', '/' and '+' alone: stray escapes and parameters split mid-value.
            parts.append(urllib.parse.quote(name + "=" + value, safe="%&=/+"))
        else:
            parts.append(name + "=" + urllib.parse.quote(urllib.parse.quote(value, safe=""), safe=""))
    return "&".join(parts)


@st.composite
def static_names(draw):
    """Names after static/: path-like pieces joined by plain or encoded separators."""
    pieces = draw(st.lists(st.one_of(st.sampled_from(PATH_LIKE + ("index.js", "static", "")), st.text(max_size=12)), min_size=1, max_size=4))
    separators = draw(st.lists(st.sampled_from(("/", "%2f", "%2F", "%5c", "\\")), min_size=len(pieces) - 1, max_size=len(pieces) - 1))
    name = pieces[0]
    for separator, piece in zip(separators, pieces[1:]):
        name += separator + piece
    return urllib.parse.quote(name, safe="%/\\")


def bundle():
    """The bytes of the dashboard's bundle, as built."""
    with open(os.path.join(os.path.dirname(plugin.__file__), "frontend", "index.js"), "rb") as bundle_file:
        return bundle_file.read()


class RouteFuzzTest(parameterized.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        logdir = absltest.get_default_test_tmpdir() + "/fuzz"
        for run in RUNS:
            plugin_testing.write_greetings(os.path.join(logdir, run), TAG, [(0, "Ada"), (1, "Grace")])
        cls.clients = {}
        for loader in plugin_testing.LOADERS:
            flags = plugin_testing.tensorboard_flags(logdir)
            data_provider = plugin_testing.start_data_provider(flags, loader)
            plugin_testing.wait_for_greetings(data_provider, 2 * len(RUNS))
            cls.clients[loader] = plugin_testing.greeter_client(flags, data_provider)
        cls.bundle = bundle()

    @parameterized.product(loader=plugin_testing.LOADERS, route=JSON_ROUTES)
    def test_any_query_gets_json_and_no_server_error(self, loader, route):
        @FUZZ_SETTINGS
        @hypothesis.given(query=query_strings())
        def check(query):
            status, body = plugin_testing.get_json(self.clients[loader], route, query)
            self.assertIn(status, (200, 400, 404), (query, body))
            if status != 200:
                self.assertIsInstance(body["error"], str)

        check()

    @parameterized.product(loader=plugin_testing.LOADERS, route=FILE_ROUTES)
    def test_any_query_gets_a_file_or_a_json_error_and_no_server_error(self, loader, route):
        @FUZZ_SETTINGS
        @hypothesis.given(query=query_strings())
        def check(query):
            response = self.clients[loader].get("/data/plugin/greeter/%s?%s" % (route, query))
            self.assertIn(response.status_code, (200, 400, 404), (query, response.get_data()[:300]))
            if response.status_code == 200:
                self.assertTrue(response.headers["Content-Disposition"].startswith("attachment; filename="))
            else:
                self.assertEqual(response.headers["Content-Type"], "application/json")
                self.assertIsInstance(json.loads(response.get_data())["error"], str)

        check()

    def test_any_static_name_but_the_bundle_is_refused(self):
        client = self.clients["python"]

        @FUZZ_SETTINGS
        @hypothesis.given(name=static_names())
        def check(name):
            response = client.get(STATIC_PREFIX + name)
            if name == "index.js":
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.get_data(), self.bundle)
            else:
                self.assertEqual(response.status_code, 404, (name, response.get_data()[:200]))

        check()

    def test_traversal_to_the_bundle_or_beyond_is_refused(self):
        client = self.clients["python"]
        for name in (
            "..%2fstatic%2findex.js",
            "x%2F..%2Findex.js",
            "..%5cplugin.py",
            "%2fetc%2fpasswd",
            "/etc/passwd",
            "%2e%2e/%2e%2e/plugin.py",
            "frontend%2findex.js",
            "static/index.js",
            "./index.js",
            "index.js/",
        ):
            with self.subTest(name=name):
                response = client.get(STATIC_PREFIX + name)
                self.assertEqual(response.status_code, 404, response.get_data()[:200])
                self.assertEqual(response.headers["Content-Type"], "application/json")
                self.assertIn("error", json.loads(response.get_data()))


if __name__ == "__main__":
    absltest.main()
