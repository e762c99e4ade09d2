"""A plugin's summary metadata: the plugin's name and a versioned JSON content, written and read back.

Both a plugin's summary API and its backend use it, so it imports no TensorFlow.
"""

import json

from tensorboard.compat.proto import summary_pb2


class PluginDataError(ValueError):
    """A summary's plugin content cannot be read by this version of its plugin."""


def create_summary_metadata(plugin_name, version, display_name=None, description=None):
    """Returns the `SummaryMetadata` proto that marks a summary as `plugin_name`'s.

    Args:
      plugin_name: The plugin's name, as its backend's `plugin_name`.
      version: The version of the plugin's content, an `int`: written as JSON `{"version": version}`.
      display_name: The tag's name in the dashboard, a `str`; None or empty: the tag itself.
      description: A Markdown description of the tag, a `str`; None or empty: none.

    Raises:
      TypeError: `display_name` or `description` is neither a `str` nor None.
    """
    return summary_pb2.SummaryMetadata(
        display_name=_str_or_empty("display_name", display_name),
        summary_description=_str_or_empty("description", description),
        plugin_data=summary_pb2.SummaryMetadata.PluginData(
            plugin_name=plugin_name, content=json.dumps({"version": version}).encode("utf-8")
        ),
        # Without a data class TensorBoard's loaders keep nothing of a third-party plugin's summaries.
        data_class=summary_pb2.DATA_CLASS_TENSOR,
    )


def parse_plugin_data(plugin_name, content, newest_version, writer_name="plugin"):
    """Reads the `plugin_data.content` that `create_summary_metadata` wrote, of any version up to `newest_version`.

    Args:
      plugin_name: The plugin's name, for the errors.
      content: The `bytes` of `SummaryMetadata.plugin_data.content`; empty reads as version 0.
      newest_version: The newest version this plugin reads.
      writer_name: What wrote a newer version, in its error: "a newer <writer_name>".

    Returns:
      A `dict` with at least the key `"version"`.

    Raises:
      PluginDataError: the content is not the plugin's data, or is of a newer version.
    """
    if not isinstance(content, bytes):
        raise PluginDataError("%s plugin data must be bytes, not %s" % (plugin_name, type(content).__name__))
    if not content:
        return {"version": 0}
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise PluginDataError("%s plugin data is not UTF-8 JSON: %r (%s)" % (plugin_name, content[:40], e))
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise PluginDataError("%s plugin data has no valid version: %r" % (plugin_name, content[:40]))
    if version > newest_version:
        raise PluginDataError(
            "%s plugin data of version %d was written by a newer %s; this one reads up to %d"
            % (plugin_name, version, writer_name, newest_version)
        )
    return data


def _str_or_empty(name, value):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError("%s must be a str or None, not %s" % (name, type(value).__name__))
    return value
