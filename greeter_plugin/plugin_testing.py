"""The kit's route harness (`plugin_kit.testing.route_harness`) bound to the Greeter, for tests.

Greeter tests (and greeter_tensorboard's, tools/bench's) serve a logdir of greetings with these.
"""

import time

from plugin_kit.testing import route_harness

from greeter_plugin import metadata
from greeter_plugin import plugin
from greeter_plugin import summary

LOADERS = route_harness.LOADERS
start_data_provider = route_harness.start_data_provider
wait_for = route_harness.wait_for
serve_http = route_harness.serve_http


def tensorboard_flags(logdir, *args):
    """TensorBoard's flags for `logdir` and `args`, fixed by the Greeter's loader as the binary does."""
    return route_harness.tensorboard_flags(logdir, *args, loaders=[plugin.GreeterLoader()])


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

    def proto_of(guest):
        proto = summary.pb(tag, guest, **pb_kwargs)
        if edit is not None:
            edit(proto)
        return proto

    return route_harness.write_summaries(run_dir, [(step, proto_of(guest)) for step, guest in steps_and_guests])


def wait_for_greetings(data_provider, count, timeout_seconds=60):
    """Waits until `data_provider` holds `count` greetings in all, the loaders' sampling applied."""
    route_harness.wait_for_data(data_provider, metadata.PLUGIN_NAME, count, timeout_seconds)


def greeter(flags, data_provider, clock=time.monotonic):
    """A `GreeterPlugin` reading `data_provider` (see `route_harness.make_plugin`)."""
    return route_harness.make_plugin(plugin.GreeterPlugin, flags, data_provider, clock)


def greeter_app(flags, data_provider, clock=time.monotonic, auth_providers=None):
    """A TensorBoard WSGI app that holds the Greeter only (see `route_harness.plugin_app`)."""
    return route_harness.plugin_app(plugin.GreeterPlugin, flags, data_provider, clock, auth_providers)


def greeter_client(flags, data_provider, clock=time.monotonic):
    """A werkzeug test client of a `greeter_app`."""
    return route_harness.plugin_client(plugin.GreeterPlugin, flags, data_provider, clock)


def get_json(client, path, query_string=None):
    """GETs `path` (after /data/plugin/greeter/) from a `greeter_client`; returns (status, parsed JSON)."""
    return route_harness.get_json(client, metadata.PLUGIN_NAME, path, query_string)
