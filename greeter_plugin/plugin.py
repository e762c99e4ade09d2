"""The Greeter's backend: JSON routes over the greetings that `summary` wrote.

It reads only through `context.data_provider`, so it serves the same data under the Rust fast loader
and the Python loader, and it imports no TensorFlow.
"""

import contextlib
import functools
import logging
import os
import threading
import time

from werkzeug import wrappers

from tensorboard import errors
from tensorboard import plugin_util
from tensorboard.backend import http_util
from tensorboard.data import provider
from tensorboard.plugins import base_plugin

from greeter_plugin import downloads
from greeter_plugin import metadata
from greeter_plugin import search

logger = logging.getLogger(__name__)

# How many greetings a tag keeps by default, under either loader, unless
# `--samples_per_plugin=greeter=N` says otherwise (N=0 keeps them all). Loaders keep the latest step
# and a uniform sample of the others.
DEFAULT_SAMPLES_PER_TAG = 1000

# The files of the frontend bundle that the static route serves, and nothing else.
_BUNDLE_DIR = os.path.join(os.path.dirname(__file__), "frontend")
_BUNDLE_CONTENT_TYPES = {"index.js": "text/javascript"}
# Where the static route is mounted. The file's name is what follows it, whole: an encoded slash
# (`..%2fstatic%2findex.js`) arrives decoded, and must not reach the bundle through another path.
_STATIC_PREFIX = "/data/plugin/%s/static/" % metadata.PLUGIN_NAME

# What `downsample` asks of the data provider when the user asked for every sample.
ALL_SAMPLES = 2**31 - 1

# How long an answer of the data provider is reused. The Rust data server leaves Nagle's algorithm on
# (no TCP_NODELAY), so most of its answers wait ~40 ms for the client's delayed ACK: without reuse,
# every request would pay that once per call. Loaders refresh every --reload_interval (5 s by
# default), so a second adds little staleness.
CACHE_SECONDS = 1.0


class _ExpiringCache:
    """Values computed on demand and reused for `CACHE_SECONDS`; computes each key once at a time."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = {}  # key: (expiry, value)
        self._key_locks = {}

    def get(self, key, compute):
        """Returns the fresh value of `key`, calling `compute()` when there is none."""
        return self.get_many([key], lambda keys: {key: compute()})[key]

    def get_many(self, keys, compute_missing):
        """Returns {key: fresh value} for `keys`, computing those that have none in one call.

        Args:
          keys: Hashable, sortable keys.
          compute_missing: Called with the list of keys that have no fresh value; returns
            {key: value} for each of them.
        """
        values = self._fresh(keys)
        missing = sorted(set(keys) - set(values))
        if not missing:
            return values
        with self._lock:
            key_locks = [self._key_locks.setdefault(key, threading.Lock()) for key in missing]
        # Concurrent requests for a key wait for one computation instead of each calling. Locks are
        # taken in key order, so two requests never wait for each other.
        with contextlib.ExitStack() as held:
            for key_lock in key_locks:
                held.enter_context(key_lock)
            values.update(self._fresh(missing))
            still_missing = [key for key in missing if key not in values]
            if still_missing:
                computed = compute_missing(still_missing)
                with self._lock:
                    self._expire()
                    expiry = time.monotonic() + CACHE_SECONDS
                    self._entries.update((key, (expiry, value)) for key, value in computed.items())
                values.update(computed)
        return values

    def _fresh(self, keys):
        now = time.monotonic()
        with self._lock:
            entries = [(key, self._entries.get(key)) for key in keys]
        return {key: entry[1] for key, entry in entries if entry and entry[0] > now}

    def _expire(self):
        now = time.monotonic()
        for key in [key for key, (expiry, _) in self._entries.items() if expiry <= now]:
            del self._entries[key]
            # A lock that is held stays: its holder's waiters must find it.
            key_lock = self._key_locks.get(key)
            if key_lock and not key_lock.locked():
                del self._key_locks[key]


class _RequestError(Exception):
    """A request the plugin cannot answer; becomes a JSON error response."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _route(handler):
    """Serves `handler(self, request)`'s value (a response, or JSON), and every failure as a JSON error.

    An unexpected failure (say, the data server has died) is logged with its stack trace and answered
    as a 500 that names no more than its kind: the stack trace is for the log, not the user.
    """

    @functools.wraps(handler)
    @wrappers.Request.application
    def route(self, request):
        try:
            value = handler(self, request)
        except _RequestError as e:
            return _error_response(request, e.code, str(e))
        except errors.PublicError as e:
            return _error_response(request, e.http_code, str(e))
        except Exception as e:  # pylint: disable=broad-except
            logger.exception("The Greeter failed to answer %s", request.full_path)
            return _error_response(request, 500, "internal error (%s); see the server's log" % type(e).__name__)
        if isinstance(value, wrappers.Response):
            return value
        return http_util.Respond(request, value, "application/json")

    return route


def _error_response(request, code, message):
    return http_util.Respond(request, {"error": message}, "application/json", code=code)


def _required_arg(request, name):
    value = request.args.get(name)
    if not value:
        raise _RequestError(400, "missing query parameter %r" % name)
    return value


def _listed_args(request, name):
    """Every value of the repeated parameter `name`; none may be empty."""
    values = request.args.getlist(name)
    if any(not value for value in values):
        raise _RequestError(400, "empty query parameter %r" % name)
    return values


def _greeting_text(datum):
    """The text of one tensor datum; bytes that are not UTF-8 show as U+FFFD, not as an error."""
    return "\n".join(
        value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)
        for value in datum.numpy.ravel().tolist()
    )


def _greetings_json(data):
    return [
        {"wall_time": datum.wall_time, "step": datum.step, "text": _greeting_text(datum)}
        for datum in sorted(data, key=lambda datum: datum.step)
    ]


@functools.lru_cache(maxsize=1024)
def _description_html(markdown):
    return plugin_util.markdown_to_safe_html(markdown)


class GreeterPlugin(base_plugin.TBPlugin):
    """Serves greetings to the Greeter dashboard."""

    plugin_name = metadata.PLUGIN_NAME

    def __init__(self, context):
        """Instantiates the plugin from TensorBoard's `base_plugin.TBContext`."""
        self._data_provider = context.data_provider
        samples = (context.sampling_hints or {}).get(self.plugin_name, DEFAULT_SAMPLES_PER_TAG)
        self._downsample_to = samples or ALL_SAMPLES
        self._unreadable_lock = threading.Lock()
        self._unreadable = set()
        self._cache = _ExpiringCache()

    def get_plugin_apps(self):
        return {
            "/static/*": self._serve_static,
            "/tags": self._serve_tags,
            "/tag_info": self._serve_tag_info,
            "/greetings": self._serve_greetings,
            "/greetings_by_run": self._serve_greetings_by_run,
            "/greetings_by_tag": self._serve_greetings_by_tag,
            "/download": self._serve_download,
            "/search": self._serve_search,
        }

    def is_active(self):
        # TensorBoard's core lists the plugin as active when the data provider holds greetings.
        return False

    def frontend_metadata(self):
        return base_plugin.FrontendMetadata(es_module_path="/static/index.js", tab_name="Greeter")

    @_route
    def _serve_static(self, request):
        name = request.path[len(_STATIC_PREFIX) :] if request.path.startswith(_STATIC_PREFIX) else request.path
        content_type = _BUNDLE_CONTENT_TYPES.get(name)
        if content_type is None:
            raise _RequestError(404, "no such file in the Greeter's bundle: %r" % name)
        with open(os.path.join(_BUNDLE_DIR, name), "rb") as bundle_file:
            return http_util.Respond(request, bundle_file.read(), content_type)

    @_route
    def _serve_tags(self, request):
        return {
            run: sorted(tag_to_metadata)
            for run, tag_to_metadata in self._readable_tags(request).items()
            if tag_to_metadata
        }

    @_route
    def _serve_tag_info(self, request):
        info = {}
        for run, tag_to_metadata in sorted(self._readable_tags(request).items()):
            for tag, series in sorted(tag_to_metadata.items()):
                entry = info.setdefault(
                    tag,
                    {
                        "display_name": series.display_name or tag,
                        "description": _description_html(series.description),
                        "runs": [],
                    },
                )
                entry["runs"].append(run)
        return info

    @_route
    def _serve_greetings(self, request):
        return self._greetings_of_run(request)[2]

    @_route
    def _serve_download(self, request):
        file_format = _required_arg(request, "format")
        if file_format not in downloads.CONTENT_TYPES:
            raise _RequestError(400, "format must be one of %s, not %r" % (", ".join(downloads.CONTENT_TYPES), file_format))
        return downloads.respond(request, file_format, *self._greetings_of_run(request))

    @_route
    def _serve_search(self, request):
        query = _required_arg(request, "q")
        tags = _listed_args(request, "tag") or sorted(
            {tag for run_tags in self._readable_tags(request).values() for tag in run_tags}
        )
        return search.find(self._read_tags(request, tags), query)

    @_route
    def _serve_greetings_by_run(self, request):
        tag = _required_arg(request, "tag")
        runs = _listed_args(request, "run") or None
        by_run = self._read(request, runs=runs, tag=tag)
        if runs:
            for run in runs:
                if run not in by_run:
                    self._raise_not_found(request, run, tag)
        elif not by_run:
            raise _RequestError(404, "no run has greetings under the tag %r" % tag)
        return by_run

    @_route
    def _serve_greetings_by_tag(self, request):
        tags = _listed_args(request, "tag")
        if not tags:
            raise _RequestError(400, "missing query parameter 'tag'")
        by_tag = self._read_tags(request, tags)
        # A tag that has gone since the dashboard listed it costs its own card, not the whole page.
        if not any(by_tag.values()):
            raise _RequestError(404, "no run has greetings under the tags %s" % ", ".join(map(repr, tags)))
        return by_tag

    def _greetings_of_run(self, request):
        """(run, tag, [greeting JSON]) for the request's `run` and `tag` parameters."""
        run = _required_arg(request, "run")
        tag = _required_arg(request, "tag")
        greetings = self._read(request, runs=[run], tag=tag).get(run)
        if greetings is None:
            self._raise_not_found(request, run, tag)
        return run, tag, greetings

    def _readable_tags(self, request):
        """{run: {tag: TensorTimeSeries}} of the greeter tags whose metadata this plugin can read."""
        experiment = plugin_util.experiment_id(request.environ)

        def list_readable_tags():
            mapping = self._data_provider.list_tensors(
                plugin_util.context(request.environ),
                experiment_id=experiment,
                plugin_name=self.plugin_name,
            )
            return {
                run: {
                    tag: series
                    for tag, series in tag_to_series.items()
                    if self._is_readable(run, tag, series.plugin_content)
                }
                for run, tag_to_series in mapping.items()
            }

        return self._cache.get((experiment, "tags"), list_readable_tags)

    def _is_readable(self, run, tag, plugin_content):
        """Whether a tag's plugin data is readable; warns once for each tag that is not."""
        try:
            metadata.parse_plugin_data(plugin_content)
            return True
        except metadata.PluginDataError as e:
            with self._unreadable_lock:
                if (run, tag) not in self._unreadable:
                    self._unreadable.add((run, tag))
                    logger.warning("Skipping greeter tag %r of run %r: %s", tag, run, e)
            return False

    def _read(self, request, runs, tag):
        """{run: [greeting JSON]} for one readable tag of the given runs (None: every run)."""
        return self._read_tags(request, [tag], runs)[tag]

    def _read_tags(self, request, tags, runs=None):
        """{tag: {run: [greeting JSON]}} for readable tags of the given runs (None: every run).

        The tags that have no fresh value are read together, in one call to the data provider, and
        reused for CACHE_SECONDS.
        """
        experiment = plugin_util.experiment_id(request.environ)
        readable = self._readable_tags(request)
        runs_by_tag = {
            tag: tuple(
                sorted(run for run, run_tags in readable.items() if tag in run_tags and (runs is None or run in runs))
            )
            for tag in tags
        }

        def read(keys):
            wanted = {tag for (_, _, tag, _) in keys}
            runs = sorted({run for tag in wanted for run in runs_by_tag[tag]})
            by_run = {}
            if runs:
                by_run = self._data_provider.read_tensors(
                    plugin_util.context(request.environ),
                    experiment_id=experiment,
                    plugin_name=self.plugin_name,
                    downsample=self._downsample_to,
                    run_tag_filter=provider.RunTagFilter(runs=runs, tags=sorted(wanted)),
                )
            return {
                key: {
                    run: _greetings_json(by_run[run][key[2]])
                    for run in key[3]
                    if key[2] in by_run.get(run, {})
                }
                for key in keys
            }

        keys = {tag: (experiment, "greetings", tag, runs_by_tag[tag]) for tag in tags}
        values = self._cache.get_many(list(keys.values()), read)
        return {tag: values[key] for tag, key in keys.items()}

    def _raise_not_found(self, request, run, tag):
        if run not in self._readable_tags(request):
            raise _RequestError(404, "no run %r with greetings" % run)
        raise _RequestError(404, "run %r has no greeter tag %r" % (run, tag))


class GreeterLoader(base_plugin.TBLoader):
    """Loads the Greeter, and makes `DEFAULT_SAMPLES_PER_TAG` the loaders' default for its tags."""

    # Lets a TensorBoard that also finds the Greeter through its entry point keep one of the two.
    plugin_name = metadata.PLUGIN_NAME

    def fix_flags(self, flags):
        samples = getattr(flags, "samples_per_plugin", None)
        if isinstance(samples, dict):
            samples.setdefault(metadata.PLUGIN_NAME, DEFAULT_SAMPLES_PER_TAG)

    def load(self, context):
        return GreeterPlugin(context)
