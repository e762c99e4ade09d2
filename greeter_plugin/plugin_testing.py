"""Serving a logdir to the Greeter in-process, under either of TensorBoard's loaders, for tests."""

import contextlib
import json
import os
import threading
import time

from werkzeug import serving
from werkzeug import test as werkzeug_test

from tensorboard import context as tb_context
from tensorboard.compat.proto import event_pb2
from tensorboard import program
from tensorboard.backend import application
from tensorboard.backend.event_processing import data_ingester as local_ingester
from tensorboard.data import server_ingester
from tensorboard.plugins import base_plugin
from tensorboard.plugins.core import core_plugin
from tensorboard.summary.writer import event_file_writer
from tensorboard.util import grpc_util

from greeter_plugin import plugin
from greeter_plugin import metadata
from greeter_plugin import summary

# "python": the multiplexer in this process; "fast": the Rust data server, as a child process.
LOADERS = ("python", "fast")


def tensorboard_flags(logdir, *args):
    """TensorBoard's flags for `logdir` and `args`, parsed and fixed as the real binary does."""
    tb = program.TensorBoard(plugins=[core_plugin.CorePluginLoader(), plugin.GreeterLoader()])
    tb.configure(["tensorboard", "--logdir", logdir, "--reload_interval", "0", *args])
    return tb.flags


def start_data_provider(flags, loader):
    """Loads `flags.logdir` once with `loader` and returns its data provider.

    With `--reload_interval` 0 (`tensorboard_flags`' default) the Python loader loads before this
    returns; otherwise both loaders load in the background and keep reloading: wait for what you
    expect with `wait_for_greetings`.
    """
    if loader == "python":
        flags.reload_task = "thread" if flags.reload_interval else "blocking"
        ingester = local_ingester.LocalDataIngester(flags)
    elif loader == "fast":
        ingester = server_ingester.SubprocessServerDataIngester(
            server_binary=server_ingester.get_server_binary(),
            logdir=flags.logdir,
            reload_interval=flags.reload_interval,
            channel_creds_type=grpc_util.ChannelCredsType.LOCAL,
            samples_per_plugin=flags.samples_per_plugin,
        )
    else:
        raise ValueError("unknown loader %r; expected one of %s" % (loader, LOADERS))
    ingester.start()
    return ingester.data_provider


def write_greetings(run_dir, tag, steps_and_guests, edit=None, **pb_kwargs):
    """Writes `summary.pb(tag, guest, **pb_kwargs)` at each (step, guest) into a new event file.

    Args:
      run_dir: The run's directory.
      tag: The greetings' tag.
      steps_and_guests: [(step, guest)].
      edit: Called with each `Summary` before it is written, to write what `summary.pb` would not
        (other metadata, bytes that are not UTF-8); None: none.
      **pb_kwargs: `summary.pb`'s display_name and description.

    Returns:
      The event file's path.
    """
    existing = set(os.listdir(run_dir)) if os.path.isdir(run_dir) else set()
    writer = event_file_writer.EventFileWriter(run_dir)
    for step, guest in steps_and_guests:
        proto = summary.pb(tag, guest, **pb_kwargs)
        if edit is not None:
            edit(proto)
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


def wait_for_greetings(data_provider, count, timeout_seconds=60):
    """Waits until `data_provider` holds `count` greetings in all, the loaders' sampling applied.

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
                plugin_name=metadata.PLUGIN_NAME,
                downsample=plugin.ALL_SAMPLES,
                run_tag_filter=None,
            ).values()
            for data in tags.values()
        )
        if held == count:
            return
        if time.monotonic() > deadline:
            raise AssertionError("expected %d greetings to be loaded, found %d" % (count, held))
        time.sleep(0.2)


def greeter_app(flags, data_provider, clock=time.monotonic, auth_providers=None):
    """A TensorBoard WSGI app that holds the Greeter only.

    Args:
      flags: TensorBoard's flags, from `tensorboard_flags`.
      data_provider: What the Greeter reads from.
      clock: The Greeter's monotonic clock, by which its reused answers expire.
      auth_providers: TensorBoard's {key: `auth.AuthProvider`}, for a data provider that checks access.
    """
    context = base_plugin.TBContext(
        flags=flags,
        logdir=flags.logdir,
        data_provider=data_provider,
        sampling_hints=flags.samples_per_plugin,
    )
    greeter = plugin.GreeterPlugin(context, clock=clock)
    return application.TensorBoardWSGI([greeter], auth_providers=auth_providers)


def greeter_client(flags, data_provider, clock=time.monotonic):
    """A werkzeug test client of a `greeter_app`."""
    return werkzeug_test.Client(greeter_app(flags, data_provider, clock))


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


def get_json(client, path, query_string=None):
    """GETs `path` (after /data/plugin/greeter/) from a `greeter_client`; returns (status, parsed JSON).

    Raises:
      AssertionError: the answer is a server error (5xx) or is not JSON.
    """
    response = client.get("/data/plugin/greeter/" + path, query_string=query_string)
    body = response.get_data()
    if response.status_code >= 500:
        raise AssertionError("%s answered %d: %r" % (path, response.status_code, body[:300]))
    if response.headers.get("Content-Type") != "application/json":
        raise AssertionError("%s answered %s, not JSON: %r" % (path, response.headers.get("Content-Type"), body[:300]))
    return response.status_code, json.loads(body)
