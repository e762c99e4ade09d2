"""The plugin entry page: its script imports the module from its base's URL, the only script its CSP allows."""

import base64
import hashlib
import re
import urllib.parse

from absl.testing import absltest
from tensorboard.backend import application
from tensorboard.backend import http_util
from tensorboard.plugins import base_plugin
from werkzeug import test as werkzeug_test
from werkzeug import wrappers

from greeter_tensorboard import plugin_entry

PREFIX = "/tensorboard"
MODULE = b"export function render() {}"


class _Plugin(base_plugin.TBPlugin):
    """A dynamic plugin whose frontend is `es_module_path`, served under that path."""

    def __init__(self, name, es_module_path):
        self.plugin_name = name
        self._es_module_path = es_module_path

    def get_plugin_apps(self):
        @wrappers.Request.application
        def serve_module(request):
            return http_util.Respond(request, MODULE, "text/javascript")

        return {self._es_module_path: serve_module} if self._es_module_path else {}

    def is_active(self):
        return True

    def frontend_metadata(self):
        return base_plugin.FrontendMetadata(es_module_path=self._es_module_path)


PLUGINS = [
    _Plugin("greeter", "/static/index.js"),
    _Plugin("projector", "/index.js"),
    _Plugin("polymer_era", None),
]


def _script_and_csp(response):
    body = response.get_data(as_text=True)
    (script,) = re.findall(r'<script type="module">(.*?)</script>', body, re.S)
    return script, response.headers["Content-Security-Policy"]


def _script_src(csp):
    (directive,) = [d.strip() for d in csp.split(";") if d.strip().startswith("script-src ")]
    return directive.split()[1:]


class PluginEntryTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        stock_route = application.TensorBoardWSGI._serve_plugin_entry
        cls.stock = werkzeug_test.Client(application.TensorBoardWSGI(PLUGINS, path_prefix=PREFIX))
        plugin_entry.install()
        cls.addClassCleanup(setattr, application.TensorBoardWSGI, "_serve_plugin_entry", stock_route)
        cls.client = werkzeug_test.Client(application.TensorBoardWSGI(PLUGINS, path_prefix=PREFIX))

    def entry(self, name, client=None):
        return (client or self.client).get(PREFIX + "/data/plugin_entry.html", query_string={"name": name})

    def test_the_module_url_is_resolved_against_the_base_not_the_document(self):
        for plugin, module_url in [
            ("greeter", "http://localhost/tensorboard/data/plugin/greeter/static/index.js"),
            ("projector", "http://localhost/tensorboard/data/plugin/projector/index.js"),
        ]:
            response = self.entry(plugin)
            self.assertEqual(response.status_code, 200)
            body = response.get_data(as_text=True)
            self.assertIn('<base href="plugin/%s/" />' % plugin, body)
            script, _ = _script_and_csp(response)
            # What `new URL(specifier, document.baseURI)` makes of the page's base, in every engine.
            (specifier,) = re.findall(r'^import\(new URL\(("[^"]*"), document\.baseURI\)\.href\)', script)
            base = urllib.parse.urljoin("http://localhost" + PREFIX + "/data/plugin_entry.html", "plugin/%s/" % plugin)
            self.assertEqual(urllib.parse.urljoin(base, specifier.strip('"')), module_url)
            module = self.client.get(urllib.parse.urlsplit(module_url).path)
            self.assertEqual((module.status_code, module.get_data()), (200, MODULE))

    def test_the_csp_allows_this_script_by_hash_and_is_otherwise_tensorboards(self):
        script, csp = _script_and_csp(self.entry("greeter"))
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        self.assertEqual(
            [source for source in _script_src(csp) if "sha256" in source or "inline" in source],
            ["'sha256-%s'" % digest],
        )
        stock_script, stock_csp = _script_and_csp(self.entry("greeter", self.stock))
        self.assertNotEqual(stock_script, script)
        self.assertEqual(csp.replace(digest, "HASH"), stock_csp.replace(plugin_entry.script_sha256(stock_script), "HASH"))

    def test_unknown_and_unloadable_plugins_get_tensorboards_answers(self):
        for name in ["no_such_plugin", "polymer_era", ""]:
            ours, stock = self.entry(name), self.entry(name, self.stock)
            self.assertIn(ours.status_code, (400, 404))
            self.assertEqual((ours.status_code, ours.get_data()), (stock.status_code, stock.get_data()))

    def test_a_module_path_cannot_end_the_script_element(self):
        self.assertNotIn("</script", plugin_entry.entry_script("/</script><script>alert(1)//.js"))


if __name__ == "__main__":
    absltest.main()
