"""Serving a logdir with stock TensorBoard and a plugin, in this process, for browser tests."""

import contextlib
import json
import threading
import urllib.request

from tensorboard import default
from tensorboard import program

from plugin_kit.testing import route_harness


@contextlib.contextmanager
def serve(logdir, *loaders, flags=()):
    """Serves `logdir` with stock TensorBoard's plugins and `loaders` on a free loopback port.

    Yields its URL, ending in "/". `flags` are more of TensorBoard's flags.
    """
    tensorboard = program.TensorBoard(plugins=default.get_plugins() + list(loaders))
    tensorboard.configure(["tensorboard", "--logdir", logdir, "--host", "127.0.0.1", "--port", "0", *flags])
    server = tensorboard._make_server()  # pylint: disable=protected-access (launch() gives no way to stop it)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.get_url()
    finally:
        server.shutdown()
        thread.join()


def tags_of_every_run(plugin_url, runs, timeout_seconds=60):
    """Polls a plugin's `tags` route (`plugin_url` is its data URL, ending in "/") until it names every
    run of `runs`; returns the answer.

    `runs` is a collection of run names, or a {run: its tags} to wait for those tags too: a loader
    may list a run before it has read all of its tags.
    """
    wanted = runs if isinstance(runs, dict) else dict.fromkeys(runs, ())

    def tags():
        with urllib.request.urlopen(plugin_url + "tags", timeout=30) as response:
            served = json.loads(response.read())
        every_tag_served = all(run in served and set(served[run]) >= set(tags) for run, tags in wanted.items())
        return served if every_tag_served else None

    return route_harness.wait_for(tags, timeout_seconds=timeout_seconds)
