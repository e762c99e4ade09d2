"""Serving a logdir to the Greeter in-process, under either of TensorBoard's loaders, for tests."""

import time

from werkzeug import test as werkzeug_test

from tensorboard import context as tb_context
from tensorboard import program
from tensorboard.backend import application
from tensorboard.backend.event_processing import data_ingester as local_ingester
from tensorboard.data import server_ingester
from tensorboard.plugins import base_plugin
from tensorboard.plugins.core import core_plugin
from tensorboard.util import grpc_util

from greeter_plugin import plugin
from greeter_plugin import metadata

# "python": the multiplexer in this process; "fast": the Rust data server, as a child process.
LOADERS = ("python", "fast")


def tensorboard_flags(logdir, *args):
    """TensorBoard's flags for `logdir` and `args`, parsed and fixed as the real binary does."""
    tb = program.TensorBoard(plugins=[core_plugin.CorePluginLoader(), plugin.GreeterLoader()])
    tb.configure(["tensorboard", "--logdir", logdir, "--reload_interval", "0", *args])
    return tb.flags


def start_data_provider(flags, loader):
    """Loads `flags.logdir` once with `loader` and returns its data provider.

    The fast loader loads in the background: wait for what you expect with `wait_for_greetings`.
    """
    if loader == "python":
        flags.reload_task = "blocking"
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
                downsample=2**31 - 1,
                run_tag_filter=None,
            ).values()
            for data in tags.values()
        )
        if held == count:
            return
        if time.monotonic() > deadline:
            raise AssertionError("expected %d greetings to be loaded, found %d" % (count, held))
        time.sleep(0.2)


def greeter_client(flags, data_provider):
    """A werkzeug test client of a TensorBoard app that holds the Greeter only."""
    context = base_plugin.TBContext(
        flags=flags,
        logdir=flags.logdir,
        data_provider=data_provider,
        sampling_hints=flags.samples_per_plugin,
    )
    greeter = plugin.GreeterLoader().load(context)
    return werkzeug_test.Client(application.TensorBoardWSGI([greeter]))
