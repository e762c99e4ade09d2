"""What the Greeter writes into a summary's metadata, and how it reads it back.

Both the summary API and the backend depend on this module, so it imports no TensorFlow.
"""

import json

from tensorboard.compat.proto import summary_pb2

PLUGIN_NAME = "greeter"

# The version of the plugin content that create_summary_metadata writes.
# 0: the original plugin example, which wrote no content at all.
# 1: JSON `{"version": 1}`.
PLUGIN_DATA_VERSION = 1


class PluginDataError(ValueError):
    """The plugin content of a greeter summary cannot be read by this version of the plugin."""


def create_summary_metadata(display_name, description):
    """Returns the `SummaryMetadata` proto that marks a summary as a greeting.

    Args:
      display_name: The tag's name in the dashboard, a `str`; None or empty: the tag itself.
      description: A Markdown description of the tag, a `str`; None or empty: none.

    Raises:
      TypeError: `display_name` or `description` is neither a `str` nor None.
    """
    content = json.dumps({"version": PLUGIN_DATA_VERSION}).encode("utf-8")
    return summary_pb2.SummaryMetadata(
        display_name=_str_or_empty("display_name", display_name),
        summary_description=_str_or_empty("description", description),
        plugin_data=summary_pb2.SummaryMetadata.PluginData(
            plugin_name=PLUGIN_NAME, content=content
        ),
        # Without a data class TensorBoard's loaders keep nothing of a third-party plugin's summaries.
        data_class=summary_pb2.DATA_CLASS_TENSOR,
    )


def parse_plugin_data(content):
    """Reads the `plugin_data.content` of a greeter summary, of any version this plugin wrote.

    Args:
      content: The `bytes` of `SummaryMetadata.plugin_data.content`.

    Returns:
      A `dict` with at least the key `"version"`.

    Raises:
      PluginDataError: the content is not greeter plugin data, or is of a newer version.
    """
    if not isinstance(content, bytes):
        raise PluginDataError("greeter plugin data must be bytes, not %s" % type(content).__name__)
    if not content:
        return {"version": 0}
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise PluginDataError("greeter plugin data is not UTF-8 JSON: %r (%s)" % (content[:40], e))
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise PluginDataError("greeter plugin data has no valid version: %r" % content[:40])
    if version > PLUGIN_DATA_VERSION:
        raise PluginDataError(
            "greeter plugin data of version %d was written by a newer Greeter; this one reads up to %d"
            % (version, PLUGIN_DATA_VERSION)
        )
    return data


def _str_or_empty(name, value):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError("%s must be a str or None, not %s" % (name, type(value).__name__))
    return value
