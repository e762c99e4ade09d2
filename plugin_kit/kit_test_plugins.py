"""Two small plugins on the kit, with writers of their own data, for the kit's own tests.

`CountsPlugin`: one integer a step, with no search and a route of its own. `NotesPlugin`: one text a
step, searchable, with descriptions. Neither is the Greeter: the kit is tested without it.
"""

import os

import numpy as np

from tensorboard.compat.proto import summary_pb2
from tensorboard.util import tensor_util

from plugin_kit import routes
from plugin_kit import sampling
from plugin_kit import series_plugin
from plugin_kit.testing import route_harness

COUNTS = "kit_counts"
NOTES = "kit_notes"
# The steps of run "ada"'s notes under "guests" in `write_logdir`'s logdir.
ADA_STEPS = (0, 3, 10)
# More notes than the loaders keep of a tag by default: run "long"'s under "many".
LONG_TAG_STEPS = sampling.DEFAULT_SAMPLES_PER_TAG + 200


class CountsPlugin(series_plugin.SeriesPlugin):
    """A plugin of one integer a step, with no search and a route of its own."""

    plugin_name = COUNTS
    tab_name = "Counts"
    bundle_dir = os.path.dirname(__file__)
    columns = ("count",)

    def row_of(self, datum):
        return {"count": int(datum.numpy.item())}

    def extra_routes(self):
        return {"/total": self._serve_total}

    @routes.json_route
    def _serve_total(self, request):
        run = routes.required_arg(request, "run")
        return sum(row["count"] for row in self._read_rows(request, ["counts"], [run])["counts"].get(run, []))


class CountsLoader(series_plugin.SeriesLoader):
    plugin_class = CountsPlugin


class NotesPlugin(series_plugin.SeriesPlugin):
    """A plugin of one text a step, whose rows are called "notes" and which a search matches."""

    plugin_name = NOTES
    tab_name = "Notes"
    bundle_dir = os.path.dirname(__file__)
    columns = ("text",)
    rows_key = "notes"

    def row_of(self, datum):
        return {"text": datum.numpy.item().decode("utf-8")}

    def search_text(self, datum):
        return datum.numpy.item().decode("utf-8")


class NotesLoader(series_plugin.SeriesLoader):
    plugin_class = NotesPlugin


def summary_of(plugin_name, tag, value, display_name="", description=""):
    """A `Summary` of one scalar `value` under `tag`, marked as `plugin_name`'s."""
    metadata = summary_pb2.SummaryMetadata(
        display_name=display_name,
        summary_description=description,
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name=plugin_name),
        data_class=summary_pb2.DATA_CLASS_TENSOR,
    )
    value = summary_pb2.Summary.Value(tag=tag, metadata=metadata, tensor=tensor_util.make_tensor_proto(value))
    return summary_pb2.Summary(value=[value])


def count_summary(tag, count):
    """A `Summary` of one count under `tag`, marked as the counts plugin's."""
    return summary_of(COUNTS, tag, np.int64(count))


def write_notes(run_dir, tag, steps_and_texts, **metadata):
    """Writes a note of `tag` at each (step, text) into a new event file of `run_dir`.

    `metadata`: the summaries' display_name and description.
    """
    return route_harness.write_summaries(
        run_dir, [(step, summary_of(NOTES, tag, np.array(text.encode("utf-8"), dtype=object), **metadata))
                  for step, text in steps_and_texts]
    )


def write_logdir(logdir):
    """Writes a logdir of notes (runs ada, bob and long; tags guests, vip and many); returns how many."""
    write_notes(
        os.path.join(logdir, "ada"),
        "guests",
        [(step, "Ada %d" % step) for step in ADA_STEPS],
        display_name="Guests",
        description="Who *came*. <script>alert(1)</script>",
    )
    write_notes(os.path.join(logdir, "ada"), "vip", [(0, "李雷 🦊")])
    write_notes(os.path.join(logdir, "bob"), "guests", [(5, "Bob")])
    write_notes(os.path.join(logdir, "long"), "many", [(step, "G%d" % step) for step in range(LONG_TAG_STEPS)])
    return len(ADA_STEPS) + 2 + LONG_TAG_STEPS
