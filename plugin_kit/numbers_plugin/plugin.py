"""The numbers plugin's backend: the kit serves every route; a row is the number of its step."""

import os

from plugin_kit import series_plugin
from plugin_kit.numbers_plugin import metadata


class NumbersPlugin(series_plugin.SeriesPlugin):
    """Serves the numbers plugin's series: rows of {"wall_time", "step", "value"}."""

    plugin_name = metadata.PLUGIN_NAME
    tab_name = "Numbers"
    bundle_dir = os.path.join(os.path.dirname(__file__), "frontend")
    columns = ("value",)

    def parse_plugin_data(self, content):
        """Reads a tag's metadata content; raises `plugin_data.PluginDataError` (a ValueError) if it cannot."""
        metadata.parse_plugin_data(content)

    def row_of(self, datum):
        """A stored number as its row's own column."""
        return {"value": float(datum.numpy.item())}


class NumbersLoader(series_plugin.SeriesLoader):
    """Loads the numbers plugin: what TensorBoard-X's plugins.bzl or a wheel's entry point names."""

    plugin_class = NumbersPlugin
