"""Serving a logdir with stock TensorBoard and a plugin, in this process, for browser tests."""

import contextlib
import threading

from tensorboard import default
from tensorboard import program


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
