"""Serving a logdir to a plugin in-process, under either of TensorBoard's loaders, for route tests.

    flags = route_harness.tensorboard_flags(logdir, loaders=[NumbersLoader()])
    data_provider = route_harness.start_data_provider(flags, "fast")
    route_harness.wait_for_data(data_provider, "numbers", 3)
    client = route_harness.plugin_client(NumbersPlugin, flags, data_provider)
    status, body = route_harness.get_json(client, "numbers", "tags")
"""

import collections
import contextlib
import json
import os
import threading
import time

from werkzeug import serving
from werkzeug import test as werkzeug_test

from tensorboard import context as tb_context
from tensorboard import program
from tensorboard.backend import application
from tensorboard.backend.event_processing import data_ingester as local_ingester
from tensorboard.compat.proto import event_pb2
from tensorboard.data import server_ingester
from tensorboard.plugins import base_plugin
from tensorboard.plugins.core import core_plugin
from tensorboard.summary.writer import event_file_writer
from tensorboard.util import grpc_util

from plugin_kit import sampling

# "python": the multiplexer in this process; "fast": the Rust data server, as a child process.
LOADERS = ("python", "fast")


def tensorboard_flags(logdir, *args, loaders=()):
    """TensorBoard's flags for `logdir` and `args`, parsed and fixed as the real binary does.

    `loaders`: the plugins' `TBLoader`s, which fix the flags (a `SeriesLoader` sets its sample default).
    """
    tb = program.TensorBoard(plugins=[core_plugin.CorePluginLoader(), *loaders])
    tb.configure(["tensorboard", "--logdir", logdir, "--reload_interval", "0", *args])
    return tb.flags


def start_data_provider(flags, loader):
    """Loads `flags.logdir` once with `loader` and returns its data provider.

    With `--reload_interval` 0 (`tensorboard_flags`' default) the Python loader loads before this
    returns; otherwise both loaders load in the background and keep reloading: wait for what you
    expect with `wait_for_data`.
    """
    if loader == "python":
        flags.reload_task = "thread" if flags.reload_interval else "blocking"
        ingester = local_ingester.LocalDataIngester(flags)
    elif loader == "fast":
        return _start_data_server(flags)
    else:
        raise ValueError("unknown loader %r; expected one of %s" % (loader, LOADERS))
    ingester.start()
    return ingester.data_provider


def _start_data_server(flags, attempts=2):
    # Tests run side by side with other servers on loopback: once in CI, the port the data server
    # reported answered as another gRPC server ("Method not found: ...GetExperiment"). A second
    # data server, on a new port, is what a user would try too.
    for attempt in range(attempts):
        ingester = server_ingester.SubprocessServerDataIngester(
            server_binary=server_ingester.get_server_binary(),
            logdir=flags.logdir,
            reload_interval=flags.reload_interval,
            channel_creds_type=grpc_util.ChannelCredsType.LOCAL,
            samples_per_plugin=flags.samples_per_plugin,
        )
        try:
            ingester.start()
        except server_ingester.DataServerStartupError:
            if attempt == attempts - 1:
                raise
            continue
        return ingester.data_provider


def write_summaries(run_dir, steps_and_summaries):
    """Writes each (step, `Summary` proto) into a new event file of `run_dir`, at wall time 1000 + step.

    Returns:
      The event file's path.
    """
    existing = set(os.listdir(run_dir)) if os.path.isdir(run_dir) else set()
    writer = event_file_writer.EventFileWriter(run_dir)
    for step, proto in steps_and_summaries:
        writer.add_event(event_pb2.Event(step=step, wall_time=1000.0 + step, summary=proto))
    writer.close()
    (new_file,) = set(os.listdir(run_dir)) - existing
    return os.path.join(run_dir, new_file)


def wait_for(predicate, timeout_seconds=60, interval_seconds=0.25):
    """Calls `predicate` until it returns something true, and returns that; fails after the timeout."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting after %d s" % timeout_seconds)
        time.sleep(interval_seconds)


def wait_for_data(data_provider, plugin_name, count, timeout_seconds=60):
    """Waits until `data_provider` holds `count` data of `plugin_name` in all, the loaders' sampling applied.

    Raises:
      AssertionError: it holds a different number after `timeout_seconds`.
    """
    deadline = time.monotonic() + timeout_seconds
    while True:
        held = sum(
            len(data)
            for tags in data_provider.read_tensors(
                tb_context.RequestContext(),
                experiment_id="",
                plugin_name=plugin_name,
                downsample=sampling.ALL_SAMPLES,
                run_tag_filter=None,
            ).values()
            for data in tags.values()
        )
        if held == count:
            return
        if time.monotonic() > deadline:
            raise AssertionError("expected %d %s data to be loaded, found %d" % (count, plugin_name, held))
        time.sleep(0.2)


def make_plugin(plugin_class, flags, data_provider, clock=time.monotonic):
    """An instance of `plugin_class` (a `SeriesPlugin` subclass) reading `data_provider`.

    Args:
      plugin_class: The plugin's class.
      flags: TensorBoard's flags, from `tensorboard_flags`.
      data_provider: What the plugin reads from.
      clock: The plugin's monotonic clock, by which its reused answers expire.
    """
    context = base_plugin.TBContext(
        flags=flags,
        logdir=flags.logdir,
        data_provider=data_provider,
        sampling_hints=flags.samples_per_plugin,
    )
    return plugin_class(context, clock=clock)


def plugin_app(plugin_class, flags, data_provider, clock=time.monotonic, auth_providers=None):
    """A TensorBoard WSGI app that holds the plugin only (`make_plugin`'s arguments).

    `auth_providers`: TensorBoard's {key: `auth.AuthProvider`}, for a data provider that checks access.
    """
    plugin = make_plugin(plugin_class, flags, data_provider, clock)
    return application.TensorBoardWSGI([plugin], auth_providers=auth_providers)


def plugin_client(plugin_class, flags, data_provider, clock=time.monotonic):
    """A werkzeug test client of a `plugin_app`."""
    return werkzeug_test.Client(plugin_app(plugin_class, flags, data_provider, clock))


@contextlib.contextmanager
def serve_http(app):
    """Serves the WSGI `app` over HTTP on a free loopback port; yields its URL, ending in "/"."""
    server = serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:%d/" % server.server_port
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def get_json(client, plugin_name, path, query_string=None):
    """GETs `path` (after /data/plugin/<plugin_name>/) from a `plugin_client`; returns (status, parsed JSON).

    Raises:
      AssertionError: the answer is a server error (5xx) or is not JSON.
    """
    response = client.get("/data/plugin/%s/%s" % (plugin_name, path), query_string=query_string)
    body = response.get_data()
    if response.status_code >= 500:
        raise AssertionError("%s answered %d: %r" % (path, response.status_code, body[:300]))
    if response.headers.get("Content-Type") != "application/json":
        raise AssertionError("%s answered %s, not JSON: %r" % (path, response.headers.get("Content-Type"), body[:300]))
    return response.status_code, json.loads(body)


class CountingDataProvider:
    """Passes calls to a data provider, counting them by method name.

    The runs of `unread_runs` are left out of its answers, as from a loader that has not read them yet.
    """

    def __init__(self, data_provider):
        """Counts the calls to `data_provider`, which it passes them to."""
        self._data_provider = data_provider
        self.calls = collections.Counter()
        self.unread_runs = set()

    def __getattr__(self, name):
        method = getattr(self._data_provider, name)

        def counted(*args, **kwargs):
            self.calls[name] += 1
            answer = method(*args, **kwargs)
            if name in ("list_tensors", "read_tensors"):
                return {run: tags for run, tags in answer.items() if run not in self.unread_runs}
            return answer

        return counted
