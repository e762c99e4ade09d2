"""Reading a logdir's greetings back as data: rows, or a pandas DataFrame, for analysis in a notebook.

    from greeter_plugin import greetings_data

    greetings_data.read_greetings("/tmp/logs")       # [Greeting(run, tag, step, wall_time, text), ...]
    greetings_data.greetings_dataframe("/tmp/logs")  # the same rows as a pandas DataFrame

The logdir is read by TensorBoard's own Python loader (its event multiplexer and data provider, as
`tensorboard --load_fast=false` serves it), so the rows are what the Greeter's routes serve with
`--samples_per_plugin=greeter=0`: every greeting, no sampling. It needs no TensorFlow; where TensorFlow
is installed, TensorBoard's loader reads through it, as TensorBoard does, and so also reads the
filesystems that TensorFlow knows (gs://, ...).

Each call reads the logdir afresh. A logdir that a writer is still appending to reads as far as its
last complete record: a record cut off mid-write is left for a later call, never an error.
"""

import collections
import logging

from tensorboard import context
from tensorboard.backend.event_processing import data_provider
from tensorboard.backend.event_processing import plugin_event_multiplexer
from tensorboard.compat import tf
from tensorboard.data import provider

from plugin_kit import sampling

from greeter_plugin import metadata
from greeter_plugin import plugin

logger = logging.getLogger(__name__)

Greeting = collections.namedtuple("Greeting", ["run", "tag", "step", "wall_time", "text"])
Greeting.__doc__ = """One greeting: its run and tag, its step, its wall time (seconds since the epoch) and text."""


def read_greetings(logdir):
    """Returns every greeting under `logdir` as `Greeting` rows, ordered by run, tag and step.

    Runs are named as TensorBoard names them: their directories relative to `logdir` ("." for event
    files in `logdir` itself). A tag whose metadata this Greeter cannot read (written by a newer one)
    is skipped with a warning, as the dashboard skips it.

    Args:
      logdir: A directory of runs, as `tensorboard --logdir` takes it.

    Raises:
      FileNotFoundError: there is no directory at `logdir`.
    """
    if not tf.io.gfile.isdir(logdir):
        raise FileNotFoundError("no logdir at %r" % logdir)
    # Size guidance 0 keeps every greeting: the reservoir samples nothing away.
    multiplexer = plugin_event_multiplexer.EventMultiplexer(tensor_size_guidance={metadata.PLUGIN_NAME: 0})
    multiplexer.AddRunsFromDirectory(logdir)
    multiplexer.Reload()
    greetings = data_provider.MultiplexerDataProvider(multiplexer, logdir)
    request = context.RequestContext()
    readable = {
        (run, tag)
        for run, tag_to_series in greetings.list_tensors(
            request, experiment_id="", plugin_name=metadata.PLUGIN_NAME
        ).items()
        for tag, series in tag_to_series.items()
        if _is_readable(run, tag, series.plugin_content)
    }
    if not readable:
        return []
    by_run = greetings.read_tensors(
        request,
        experiment_id="",
        plugin_name=metadata.PLUGIN_NAME,
        downsample=sampling.ALL_SAMPLES,
        run_tag_filter=provider.RunTagFilter(
            runs=sorted({run for run, _ in readable}), tags=sorted({tag for _, tag in readable})
        ),
    )
    return [
        Greeting(run, tag, datum.step, datum.wall_time, plugin.text_of(datum))
        for run, tag_to_data in sorted(by_run.items())
        for tag, data in sorted(tag_to_data.items())
        if (run, tag) in readable
        for datum in sorted(data, key=lambda datum: datum.step)
        if not datum.numpy.shape  # A greeting is one string; the Greeter's routes skip others too.
    ]


def greetings_dataframe(logdir):
    """Returns `read_greetings(logdir)` as a pandas `DataFrame` with the columns of `Greeting`.

    Raises:
      ImportError: pandas is not installed.
      FileNotFoundError: there is no directory at `logdir`.
    """
    try:
        import pandas
    except ImportError as e:
        raise ImportError(
            "greetings_dataframe needs pandas, which is not installed: `pip install pandas`, or use "
            "read_greetings(logdir) for the same rows without it"
        ) from e
    return pandas.DataFrame(read_greetings(logdir), columns=Greeting._fields)


def _is_readable(run, tag, plugin_content):
    try:
        metadata.parse_plugin_data(plugin_content)
        return True
    except metadata.PluginDataError as e:
        logger.warning("Skipping greeter tag %r of run %r: %s", tag, run, e)
        return False
