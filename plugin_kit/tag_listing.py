"""The runs and tags that the data provider lists for a plugin: those it can read, and those it cannot."""

import threading


class TagListing:
    """A plugin's tags: `readable` {run: {tag: TensorTimeSeries}}, `unreadable` {run: {tag: why}}.

    What routes derive from the whole listing (the `tags` and `tag_info` answers) is derived once per
    listing (`derived`), not once per request: on 10,000 runs each costs a pass over every run.
    """

    def __init__(self, readable, unreadable):
        """`readable` {run: {tag: TensorTimeSeries}}; `unreadable` {run: {tag: why}}."""
        self.readable = readable
        self.unreadable = unreadable
        # Reentrant: one derivation may use another (`tag_info` uses the tags' versions).
        self._lock = threading.RLock()
        self._derived = {}

    def derived(self, name, derive):
        """`derive(self)`'s value, computed by the first caller for `name` and kept with the listing.

        One derivation at a time: a caller that asks for a `name` being derived waits for it rather
        than derive it too (under the GIL, two at once would finish no sooner).
        """
        with self._lock:
            if name not in self._derived:
                self._derived[name] = derive(self)
            return self._derived[name]


def list_tags(data_provider, request_context, experiment_id, plugin_name, why_unreadable):
    """The `TagListing` of `plugin_name`'s tags in the experiment.

    Args:
      data_provider: TensorBoard's data provider.
      request_context: The request's `context.RequestContext`.
      experiment_id: The experiment's id.
      plugin_name: Whose tags.
      why_unreadable: Called with a plugin content (bytes); None if readable, else why not. Called
        once for each distinct content: a sweep's 10,000 runs write one.
    """
    mapping = data_provider.list_tensors(request_context, experiment_id=experiment_id, plugin_name=plugin_name)
    why_by_content = {}
    readable, unreadable = {}, {}
    for run, tag_to_series in mapping.items():
        for tag, series in tag_to_series.items():
            content = series.plugin_content
            if content not in why_by_content:
                why_by_content[content] = why_unreadable(content)
            why = why_by_content[content]
            if why is None:
                readable.setdefault(run, {})[tag] = series
            else:
                unreadable.setdefault(run, {})[tag] = why
    return TagListing(readable, unreadable)


def weight(answer):
    """How many data (or listed series) a reused answer holds: a `TagListing`, or {run: [datum]}."""
    if isinstance(answer, TagListing):
        return sum(len(tags) for tags in answer.readable.values()) + sum(len(tags) for tags in answer.unreadable.values())
    return sum(len(data) for data in answer.values())
