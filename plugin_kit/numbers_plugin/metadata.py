"""The numbers plugin's name, and what it writes into a summary's metadata (no TensorFlow)."""

from plugin_kit import plugin_data

PLUGIN_NAME = "numbers"

# The version of the plugin content that create_summary_metadata writes; 1: JSON `{"version": 1}`.
PLUGIN_DATA_VERSION = 1


def create_summary_metadata(display_name=None, description=None):
    """Returns the `SummaryMetadata` proto that marks a summary as one of this plugin's.

    Args:
      display_name: The tag's name in the dashboard; None: the tag itself.
      description: A Markdown description of the tag; None: none.
    """
    return plugin_data.create_summary_metadata(PLUGIN_NAME, PLUGIN_DATA_VERSION, display_name, description)


def parse_plugin_data(content):
    """Reads a summary's `plugin_data.content`; raises `plugin_data.PluginDataError` if it cannot."""
    return plugin_data.parse_plugin_data(PLUGIN_NAME, content, PLUGIN_DATA_VERSION)
