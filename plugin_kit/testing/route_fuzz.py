"""Property-based fuzzing of a plugin's routes: any query gets a JSON answer, never a server error.

    class NumbersRouteFuzzTest(route_fuzz.RouteFuzzTestCase):
        plugin_class = plugin.NumbersPlugin
        loader_class = plugin.NumbersLoader

        @classmethod
        def write_logdir(cls, logdir):
            ...  # writes a few data under cls.TAG for each of cls.RUNS; returns how many

Hypothesis generates the route, its parameters (very long, Unicode, percent-encoded, path-like,
repeated, unknown names) and how they are encoded into the query string; both loaders answer the
same requests. The static route gets path-like names and must serve the bundle's one file and nothing
else. Each example draws its route, so that every route is fuzzed at a cost bounded by
`EXAMPLES_PER_LOADER`, not by how many routes the plugin has.
"""

import json
import os
import urllib.parse

from absl.testing import absltest
import hypothesis
from hypothesis import strategies as st

from plugin_kit.testing import route_harness

# How many requests each loader answers, over every JSON and file route; and the static route's.
EXAMPLES_PER_LOADER = 400
STATIC_EXAMPLES = 150

FORMATS = ("csv", "json")
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
# Names after static/ that reach, or try to reach, the bundle another way; each must be refused.
TRAVERSALS = (
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
)
PARAMETER_NAMES = ("run", "tag", "format", "q", "latest", "earliest", "step_min", "step_max", "offset", "limit")


def fuzz_settings(max_examples):
    """Hypothesis settings: `deadline=None` because the fast loader's first read after the plugin's
    cache expires waits on the data server; no example database, so that every run is the same size."""
    return hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[hypothesis.HealthCheck.too_slow, hypothesis.HealthCheck.data_too_large],
        database=None,
    )


def parameter_values(names):
    """Values of a query parameter: `names` (runs, tags...), numbers, path-like text, very long text."""
    return st.one_of(
        st.sampled_from(tuple(names) + ("",) + FORMATS),
        # The card's windows: numbers in and out of range, and what is not quite a number.
        st.integers(-(2**70), 2**70).map(str),
        st.sampled_from(("0", "-1", "1e3", "0x10", " 7", "7 ", "1_000", "٣", "NaN", "inf")),
        st.text(max_size=40),
        st.sampled_from(PATH_LIKE),
        # Very long: a name of tens of kilobytes.
        st.builds(lambda text, times: text * times, st.text(min_size=1, max_size=4), st.integers(1000, 5000)),
    )


@st.composite
def query_strings(draw, names):
    """A query string of run, tag and other parameters (`names` among the values), each encoded in one of several ways."""
    parameter_names = st.one_of(st.sampled_from(PARAMETER_NAMES), st.text(max_size=8))
    parts = []
    for name, value in draw(st.lists(st.tuples(parameter_names, parameter_values(names)), max_size=6)):
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


def json_routes(plugin_class):
    """The kit's routes of a `SeriesPlugin` subclass that answer JSON, success or failure."""
    rows = plugin_class.rows_key
    routes = ["info", "tags", "tag_info", "other_metadata", "unreadable_tags", "card", rows, rows + "_by_run", rows + "_by_tag"]
    if plugin_class.searchable():
        routes.append("search")
    return tuple(routes)


class RouteFuzzTestCase(absltest.TestCase):
    """Fuzzes the routes of `plugin_class` under both loaders. A subclass sets:

      plugin_class: The `SeriesPlugin` subclass.
      loader_class: Its `SeriesLoader`, which fixes TensorBoard's flags.
      write_logdir(logdir): A classmethod that writes a few data under TAG for each of RUNS and
        returns how many it wrote.
    """

    plugin_class = None
    loader_class = None
    TAG = "guests"
    RUNS = ("ada", "bob")

    @classmethod
    def write_logdir(cls, logdir):
        """Writes the logdir the routes serve; returns how many data it holds."""
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        """Writes the logdir once, and serves it under both loaders."""
        super().setUpClass()
        logdir = os.path.join(absltest.get_default_test_tmpdir(), "fuzz")
        count = cls.write_logdir(logdir)
        cls.clients = {}
        for loader in route_harness.LOADERS:
            flags = route_harness.tensorboard_flags(logdir, loaders=[cls.loader_class()])
            data_provider = route_harness.start_data_provider(flags, loader)
            route_harness.wait_for_data(data_provider, cls.plugin_class.plugin_name, count)
            cls.clients[loader] = route_harness.plugin_client(cls.plugin_class, flags, data_provider)
        with open(os.path.join(cls.plugin_class.bundle_dir, "index.js"), "rb") as bundle_file:
            cls.bundle = bundle_file.read()
        cls.prefix = "/data/plugin/%s/" % cls.plugin_class.plugin_name

    def check_answer(self, loader, route, query):
        """Asks `route?query` of `loader`'s client: a JSON answer (or a file from `download`), never a 5xx."""
        response = self.clients[loader].get("%s%s?%s" % (self.prefix, route, query))
        self.assertIn(response.status_code, (200, 400, 404), (route, query, response.get_data()[:300]))
        if route == "download" and response.status_code == 200:
            self.assertTrue(response.headers["Content-Disposition"].startswith("attachment; filename="))
            return
        self.assertEqual(response.headers["Content-Type"], "application/json", (route, query))
        body = json.loads(response.get_data())
        if response.status_code != 200:
            self.assertIsInstance(body["error"], str)

    def test_any_query_of_any_route_gets_json_or_a_file_and_no_server_error(self):
        """Every loader answers fuzzed queries of every route with JSON (or a download), never a 5xx."""
        routes = json_routes(self.plugin_class) + ("download",)
        for loader in route_harness.LOADERS:
            with self.subTest(loader=loader):

                @fuzz_settings(EXAMPLES_PER_LOADER)
                @hypothesis.given(route=st.sampled_from(routes), query=query_strings(self.RUNS + (self.TAG,)))
                def check(route, query):
                    self.check_answer(loader, route, query)

                check()

    def test_any_static_name_but_the_bundle_is_refused(self):
        """The static route serves `index.js` and answers 404 to any other name."""
        client = self.clients["python"]

        @fuzz_settings(STATIC_EXAMPLES)
        @hypothesis.given(name=static_names())
        def check(name):
            response = client.get(self.prefix + "static/" + name)
            if name == "index.js":
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.get_data(), self.bundle)
            else:
                self.assertEqual(response.status_code, 404, (name, response.get_data()[:200]))

        check()

    def test_traversal_to_the_bundle_or_beyond_is_refused(self):
        """Names that reach the bundle, or past it, by another path get a JSON 404."""
        client = self.clients["python"]
        for name in TRAVERSALS:
            with self.subTest(name=name):
                response = client.get(self.prefix + "static/" + name)
                self.assertEqual(response.status_code, 404, response.get_data()[:200])
                self.assertEqual(response.headers["Content-Type"], "application/json")
                self.assertIn("error", json.loads(response.get_data()))
