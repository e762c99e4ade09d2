"""The health routes a load balancer's check and a Kubernetes probe ask, without a token.

    GET /health/live   200 while the server answers.
    GET /health/ready  200 once the logdir has been listed and read once; 503 before, and while stopping.

Each answer reads a flag, never the logdir, and tells nothing else.
"""

import functools
import json
import logging
import threading

import grpc

from tensorboard.backend.event_processing import data_ingester as local_ingester
from tensorboard.backend.event_processing import plugin_event_multiplexer
from tensorboard.context import RequestContext

logger = logging.getLogger(__name__)

LIVE_PATH = "/health/live"
READY_PATH = "/health/ready"
# How often a check asks the fast loader's data server whether it answers, until it does.
_DATA_SERVER_POLL_SECONDS = 0.5


class Readiness:
    """Whether the server has read its logdir once, and whether it is stopping."""

    def __init__(self):
        self._loaded = threading.Event()
        self._also = []
        self.stopping = False

    def mark_loaded(self):
        self._loaded.set()

    def also_wait_for(self, event):
        """Ready only once `event` is set too: the first copy of an s3:// logdir (bucket_mirror)."""
        self._also.append(event)

    @property
    def loaded(self):
        return self._loaded.is_set() and all(event.is_set() for event in self._also)

    def state(self):
        """"ready", or why not: "loading" or "stopping"."""
        if self.stopping:
            return "stopping"
        return "ready" if self.loaded else "loading"


def install():
    """Makes each Python-loader multiplexer remember that a reload of all its runs has ended; idempotent.

    TensorBoard's loader lists the logdir and then reloads every run, in a loop, and tells nobody
    when a pass ends: a marked multiplexer does.
    """
    multiplexer_class = plugin_event_multiplexer.EventMultiplexer
    reload = multiplexer_class.Reload
    if getattr(reload, "marks_reloaded", False):
        return

    @functools.wraps(reload)
    def reload_and_mark(self):
        result = reload(self)
        self.reloaded_once = True
        for callback in getattr(self, "on_first_reload", ()):
            callback()
        self.on_first_reload = ()
        return result

    reload_and_mark.marks_reloaded = True
    multiplexer_class.Reload = reload_and_mark


def watch(ingester, readiness):
    """Marks `readiness` loaded once `ingester` has read its logdir once.

    The Python loader: at the end of its first full reload (needs `install()` before it starts).
    The fast loader: once its data server lists runs, which it does from its first pass over the
    logdir on; TensorBoard asks it nothing that tells more.
    """
    if isinstance(ingester, local_ingester.LocalDataIngester):
        multiplexer = ingester.deprecated_multiplexer
        multiplexer.on_first_reload = list(getattr(multiplexer, "on_first_reload", ())) + [readiness.mark_loaded]
        if getattr(multiplexer, "reloaded_once", False):
            readiness.mark_loaded()
        return
    threading.Thread(target=_wait_for_data_server, args=(ingester.data_provider, readiness), daemon=True).start()


def _wait_for_data_server(data_provider, readiness):
    while True:
        try:
            data_provider.list_runs(RequestContext(), experiment_id="")
        except grpc.RpcError as e:
            logger.info("The data server does not list runs yet: %s", e)
            threading.Event().wait(_DATA_SERVER_POLL_SECONDS)
            continue
        readiness.mark_loaded()
        return


class HealthRoutes:
    """WSGI middleware answering the health routes (under `path_prefix`) before anything else."""

    def __init__(self, app, readiness, path_prefix=""):
        self._app = app
        self._readiness = readiness
        prefix = path_prefix.rstrip("/")
        self._live, self._ready = prefix + LIVE_PATH, prefix + READY_PATH

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == self._live:
            return _answer(start_response, 200, {"live": True})
        if path == self._ready:
            state = self._readiness.state()
            return _answer(start_response, 200 if state == "ready" else 503, {"ready": state == "ready", "state": state})
        return self._app(environ, start_response)


def _answer(start_response, status, body):
    payload = json.dumps(body).encode()
    reason = {200: "OK", 503: "Service Unavailable"}[status]
    start_response(
        "%d %s" % (status, reason),
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
    return [payload]
