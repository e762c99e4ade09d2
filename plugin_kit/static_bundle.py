"""A plugin's frontend bundle, served by its static route: the bundle's files and nothing else."""

import os

from tensorboard.backend import http_util

from plugin_kit import routes

# The files of a bundle that the static route serves, and their content types.
BUNDLE_CONTENT_TYPES = {"index.js": "text/javascript"}


class StaticBundle:
    """The files of the bundle in `directory`, served under /data/plugin/<plugin_name>/static/."""

    def __init__(self, plugin_name, directory):
        """`plugin_name`: the plugin's; `directory`: where the built `index.js` is."""
        self._directory = directory
        # The file's name is what follows the prefix, whole: an encoded slash (`..%2fstatic%2findex.js`)
        # arrives decoded, and must not reach the bundle through another path.
        self._prefix = "/data/plugin/%s/static/" % plugin_name

    def respond(self, request):
        """The response with the bundle's file that `request` names; RequestError 404 for any other name."""
        path = request.path
        name = path[len(self._prefix) :] if path.startswith(self._prefix) else path
        content_type = BUNDLE_CONTENT_TYPES.get(name)
        if content_type is None:
            raise routes.RequestError(404, "no such file in the plugin's bundle: %r" % name)
        with open(os.path.join(self._directory, name), "rb") as bundle_file:
            return http_util.Respond(request, bundle_file.read(), content_type)
