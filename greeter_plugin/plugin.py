"""The Greeter's backend: the plugin kit's routes over the greetings that `summary` wrote.

Everything but what makes a greeting a greeting is the kit's (`plugin_kit.series_plugin`): the routes,
both loaders, the answer cache, downloads and search. The Greeter says its name and metadata, that a
greeting's row is its text, and that a search matches that text. Its routes of rows are called
`greetings`, `greetings_by_run` and `greetings_by_tag`, and a card's rows `greetings`.
"""

import logging
import os

from plugin_kit import series_plugin

from greeter_plugin import metadata

# The kit logs on the plugin's module's logger: warnings about skipped tags, failed requests.
logger = logging.getLogger(__name__)


def text_of(datum):
    """The text of one scalar string datum; bytes that are not UTF-8 show as U+FFFD, not as an error."""
    value = datum.numpy.item()
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


class GreeterPlugin(series_plugin.SeriesPlugin):
    """Serves greetings to the Greeter dashboard: each row is a greeting's text."""

    plugin_name = metadata.PLUGIN_NAME
    tab_name = "Greeter"
    bundle_dir = os.path.join(os.path.dirname(__file__), "frontend")
    columns = ("text",)
    rows_key = "greetings"

    def parse_plugin_data(self, content):
        """Reads a greeter tag's metadata; a `metadata.PluginDataError` (a ValueError) if it cannot."""
        return metadata.parse_plugin_data(content)

    def row_of(self, datum):
        """A greeting's row: {"text": ...}."""
        return {"text": text_of(datum)}

    def search_text(self, datum):
        """A search matches a greeting's text."""
        return text_of(datum)


class GreeterLoader(series_plugin.SeriesLoader):
    """Loads the Greeter, and makes the kit's default sample size the loaders' default for its tags."""

    plugin_class = GreeterPlugin
