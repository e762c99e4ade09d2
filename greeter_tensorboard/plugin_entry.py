"""The page that starts a dynamic plugin's frontend in its iframe, in every browser engine.

TensorBoard 2.21's `/data/plugin_entry.html` imports the plugin's module with a relative specifier,
`import("./index.js")`, under `<base href="plugin/NAME/">`. WebKit (Safari's engine) resolves a
dynamic import of an inline script against the document's URL, not its base: it asks for
`/data/index.js`, gets 404, and the tab stays blank (TensorBoard issues #3736, #6059, #6124).

This page's script resolves the module's URL against `document.baseURI` itself and imports that
absolute URL, which every engine reads alike; the module's own relative imports then resolve against
its real URL too. Answering the mis-resolved URL instead would not do: `/data/index.js` names no
plugin, and every module it imports would be mis-resolved in turn. The Content-Security-Policy allows
this one script by its hash, as TensorBoard's does.
"""

import base64
import hashlib
import json
import urllib.parse

from tensorboard import errors
from tensorboard.backend import application
from tensorboard.backend import http_util
from werkzeug import wrappers

_PAGE = """<!DOCTYPE html>
<head><base href="plugin/{name}/" /></head>
<body><script type="module">{script}</script></body>
"""


def entry_script(es_module_path):
    """The page's one script: imports the plugin's `es_module_path` (its frontend metadata's, relative
    to its data URL) from the URL it resolves against the page's base, and calls `render()`."""
    # `<` escaped: a path holding "</script>" cannot end the element.
    specifier = json.dumps("." + es_module_path).replace("<", "\\u003c")
    return "import(new URL(%s, document.baseURI).href).then((m) => void m.render());" % specifier


def script_sha256(script):
    """The base64 SHA-256 by which a Content-Security-Policy allows the inline `script`."""
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


@wrappers.Request.application
def serve_plugin_entry(app, request):
    """TensorBoard's plugin entry route with this module's page; `app` is the TensorBoardWSGI.

    Unknown plugins and plugins without an ES module get TensorBoard's answers (404, 400).
    """
    name = request.args.get("name")
    plugin = next((plugin for plugin in app._plugins if plugin.plugin_name == name), None)
    if plugin is None:
        raise errors.NotFoundError(name)
    module_path = plugin.frontend_metadata().es_module_path
    if not module_path:
        return http_util.Respond(request, "Plugin is not module loadable", "text/plain", code=400)
    if urllib.parse.urlparse(module_path).netloc:
        raise ValueError("Expected es_module_path to be non-absolute path")
    script = entry_script(module_path)
    # Plugin names match TensorBoard's `^[A-Za-z0-9_.-]+$`: nothing to escape.
    page = _PAGE.format(name=name, script=script)
    return http_util.Respond(request, page, "text/html", csp_scripts_sha256s=[script_sha256(script)])


def install():
    """Makes every TensorBoard app made after this call serve `serve_plugin_entry`; idempotent.

    The app binds the route to its method when it is made (TensorBoardWSGI's `exact_routes`).
    """
    application.TensorBoardWSGI._serve_plugin_entry = serve_plugin_entry
