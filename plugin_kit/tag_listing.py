"""The runs and tags that the data provider lists for a plugin: those it can read, and those it cannot."""

import collections

TagListing = collections.namedtuple("TagListing", ["readable", "unreadable"])
TagListing.__doc__ = """A plugin's tags: `readable` {run: {tag: TensorTimeSeries}}, `unreadable` {run: {tag: why}}."""


def list_tags(data_provider, request_context, experiment_id, plugin_name, why_unreadable):
    """The `TagListing` of `plugin_name`'s tags in the experiment.

    Args:
      data_provider: TensorBoard's data provider.
      request_context: The request's `context.RequestContext`.
      experiment_id: The experiment's id.
      plugin_name: Whose tags.
      why_unreadable: Called with (run, tag, plugin content bytes); None if readable, else why not.
    """
    mapping = data_provider.list_tensors(request_context, experiment_id=experiment_id, plugin_name=plugin_name)
    listing = TagListing(readable={}, unreadable={})
    for run, tag_to_series in mapping.items():
        for tag, series in tag_to_series.items():
            why = why_unreadable(run, tag, series.plugin_content)
            if why is None:
                listing.readable.setdefault(run, {})[tag] = series
            else:
                listing.unreadable.setdefault(run, {})[tag] = why
    return listing


def weight(answer):
    """How many data (or listed series) a reused answer holds: a `TagListing`, or {run: [datum]}."""
    if isinstance(answer, TagListing):
        return sum(len(tags) for tags in answer.readable.values()) + sum(len(tags) for tags in answer.unreadable.values())
    return sum(len(data) for data in answer.values())
