"""What the Greeter writes into a summary's metadata, and how it reads it back.

Both the summary API and the backend depend on this module, so it imports no TensorFlow.
"""

from plugin_kit import plugin_data

PLUGIN_NAME = "greeter"

# The version of the plugin content that create_summary_metadata writes.
# 0: the original plugin example, which wrote no content at all.
# 1: JSON `{"version": 1}`.
PLUGIN_DATA_VERSION = 1

# The plugin content of a greeter summary cannot be read by this version of the plugin.
PluginDataError = plugin_data.PluginDataError


def create_summary_metadata(display_name, description):
    """Returns the `SummaryMetadata` proto that marks a summary as a greeting.

    Args:
      display_name: The tag's name in the dashboard, a `str`; None or empty: the tag itself.
      description: A Markdown description of the tag, a `str`; None or empty: none.

    Raises:
      TypeError: `display_name` or `description` is neither a `str` nor None.
    """
    return plugin_data.create_summary_metadata(PLUGIN_NAME, PLUGIN_DATA_VERSION, display_name, description)


def parse_plugin_data(content):
    """Reads the `plugin_data.content` of a greeter summary, of any version this plugin wrote.

    Args:
      content: The `bytes` of `SummaryMetadata.plugin_data.content`.

    Returns:
      A `dict` with at least the key `"version"`.

    Raises:
      PluginDataError: the content is not greeter plugin data, or is of a newer version.
    """
    return plugin_data.parse_plugin_data(PLUGIN_NAME, content, PLUGIN_DATA_VERSION, writer_name="Greeter")
