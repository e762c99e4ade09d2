"""The Greeter's backend: JSON routes over the greetings that `summary` wrote.

It reads only through `context.data_provider`, so it serves the same data under the Rust fast loader
and the Python loader, and it imports no TensorFlow.
"""

import bisect
import collections
import functools
import hashlib
import json
import logging
import os
import threading
import time

from werkzeug import wrappers

from tensorboard import errors
from tensorboard import plugin_util
from tensorboard.backend import http_util
from tensorboard.backend import json_util
from tensorboard.data import provider
from tensorboard.plugins import base_plugin

from greeter_plugin import answer_cache
from greeter_plugin import descriptions
from greeter_plugin import downloads
from greeter_plugin import metadata
from greeter_plugin import requester
from greeter_plugin import search
from greeter_plugin import search_index

logger = logging.getLogger(__name__)

# How many greetings a tag keeps by default, under either loader, unless
# `--samples_per_plugin=greeter=N` says otherwise (N=0 keeps them all). Loaders keep the latest step
# and a uniform sample of the others. As many as TensorBoard's text dashboard shows of a tag under the
# fast loader: a kept greeting costs ~0.75 KB in the data server (BENCHMARKS.md), so a sweep's memory
# is bounded by runs x tags x 75 KB, not by how long its runs are (at 1,000, a sweep of 10,000 runs
# could take 7.5 GB).
DEFAULT_SAMPLES_PER_TAG = 100

# The files of the frontend bundle that the static route serves, and nothing else.
_BUNDLE_DIR = os.path.join(os.path.dirname(__file__), "frontend")
_BUNDLE_CONTENT_TYPES = {"index.js": "text/javascript"}
# Where the static route is mounted. The file's name is what follows it, whole: an encoded slash
# (`..%2fstatic%2findex.js`) arrives decoded, and must not reach the bundle through another path.
_STATIC_PREFIX = "/data/plugin/%s/static/" % metadata.PLUGIN_NAME

# What `downsample` asks of the data provider when the user asked for every sample.
ALL_SAMPLES = 2**31 - 1

# How long an answer of the data provider is reused: a page's cards, their reloads and a download ask
# for the same series within moments, and each read costs a call to the data server (~10 ms for a
# run's 1,000 greetings; ~50 ms where TensorBoard-X cannot turn off the server's Nagle's algorithm,
# see greeter_tensorboard/data_server_sockets.py). Loaders refresh every --reload_interval (5 s by
# default), so a second adds little staleness.
CACHE_SECONDS = 1.0
# How old a reused list of runs and tags may be when a request names a run or tag that it lacks: older,
# it is asked for again, so that a run a loader has just read (at start-up, say) is served at once
# rather than up to CACHE_SECONDS later; requests for runs that do not exist cost at most one listing
# this often.
RECHECK_SECONDS = 0.1
# How long a search reuses its list of the series' stamps. Listing a sweep's series costs the data
# provider more than searching them (~0.1-0.5 s at 1,000 runs x 3 tags); loaders read new data every
# --reload_interval (5 s by default), so a search misses at most that much.
SEARCH_LISTING_SECONDS = 5.0
# The most greetings (and listed series) the reused answers hold together; past it, the least recently
# used go first. A page of cards holds some thousands; "Show every step" of a long run, or
# `greetings_by_run` on a sweep, some 100,000.
MAX_CACHED_GREETINGS = 250_000


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
            if not isinstance(value, wrappers.Response):
                value = http_util.Respond(request, _json_text(value), "application/json")
        except _RequestError as e:
            return _error_response(request, e.code, str(e))
        except errors.PublicError as e:
            # Its headers are part of the answer: an UnauthenticatedError's WWW-Authenticate challenge.
            return _error_response(request, e.http_code, str(e), e.headers)
        except Exception as e:  # pylint: disable=broad-except
            logger.exception("The Greeter failed to answer %s", request.full_path)
            return _error_response(request, 500, "internal error (%s); see the server's log" % type(e).__name__)
        return value

    return route


def _json_text(value):
    """`value` as JSON text, as `http_util.Respond` writes a value it is given.

    Respond first walks every value in Python (`json_util.Cleanse`: NaN and infinities as strings,
    bytes as text, sets as lists): for a run's 1,000 greetings, several times what writing their
    JSON costs (BENCHMARKS.md, "stages"). A value with none of those gives the same text straight
    from `json.dumps`; only one with any takes the walk. Written here rather than in Respond so that
    a value that is no JSON at all fails inside `_route`, as a JSON error.
    """
    try:
        return json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return json.dumps(json_util.Cleanse(value))


def _error_response(request, code, message, headers=None):
    return http_util.Respond(request, {"error": message}, "application/json", code=code, headers=headers)


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


def _int_arg(request, name, minimum=None):
    """The integer value of the parameter `name`, or None if absent; at least `minimum` if given."""
    value = request.args.get(name)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        raise _RequestError(400, "query parameter %r must be an integer, not %r" % (name, value[:100]))
    if minimum is not None and number < minimum:
        raise _RequestError(400, "query parameter %r must be at least %d, not %d" % (name, minimum, number))
    return number


def text_of(datum):
    """The text of one scalar string datum; bytes that are not UTF-8 show as U+FFFD, not as an error."""
    value = datum.numpy.item()
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def greetings_json(data):
    """The JSON of greetings: scalar string data, in the order given."""
    return [{"wall_time": datum.wall_time, "step": datum.step, "text": text_of(datum)} for datum in data]


def card_window(data, bound, latest=None, step_min=None, step_max=None, earliest=None):
    """A card's answer for one run: how many greetings it keeps, and the JSON of the window asked for.

    Args:
      data: The run's greetings (scalar string data), sorted by step.
      bound: How many greetings a tag keeps (the loaders' sample size).
      latest: At most this many of the window's latest greetings; None: all of them.
      step_min: The window's first step, included; None: from the first.
      step_max: The window's last step, included; None: to the last.
      earliest: At most this many of the window's earliest greetings; None: all of them. A card pages
        forward through a long run with it, as it pages back with `latest`.

    Returns:
      {"total": len(data), "sampled": whether `data` reached `bound` (so that the run may have
      written more greetings than it keeps), "start": the earliest wall time of all the run's
      greetings (None if it has none), "offset": how many of the run's greetings come before the
      window, "greetings": [greeting JSON]}. Only the window becomes JSON:
      a card of a few rows costs as much whatever the run holds.
    """
    first = 0 if step_min is None else bisect.bisect_left(data, step_min, key=_step_of)
    stop = len(data) if step_max is None else bisect.bisect_right(data, step_max, key=_step_of)
    if latest is not None:
        first = max(first, stop - latest)
    if earliest is not None:
        stop = min(stop, first + earliest)
    return {
        "total": len(data),
        "sampled": len(data) >= bound,
        "start": min((datum.wall_time for datum in data), default=None),
        "offset": first,
        "greetings": greetings_json(data[first:stop]),
    }


def _step_of(datum):
    return datum.step


# The data provider's list of greeter tags: those this plugin reads ({run: {tag: TensorTimeSeries}}),
# and those it cannot ({run: {tag: why}}).
_TagListing = collections.namedtuple("_TagListing", ["readable", "unreadable"])

def _weight_of_answer(answer):
    """How many greetings (or listed series) a reused answer holds: a `_TagListing` or {run: [datum]}."""
    if isinstance(answer, _TagListing):
        return sum(len(tags) for tags in answer.readable.values()) + sum(len(tags) for tags in answer.unreadable.values())
    return sum(len(data) for data in answer.values())


# How many other versions of a tag's metadata the `other_metadata` route answers by default, and at most.
OTHER_METADATA_PAGE = 20
MAX_OTHER_METADATA_PAGE = 200


# A cache key of one tag's greetings: in the runs named, for one user of one experiment.
_GreetingsKey = collections.namedtuple("_GreetingsKey", ["experiment", "requester", "tag", "runs"])


class GreeterPlugin(base_plugin.TBPlugin):
    """Serves greetings to the Greeter dashboard."""

    plugin_name = metadata.PLUGIN_NAME

    def __init__(self, context, clock=time.monotonic):
        """Instantiates the plugin from TensorBoard's `base_plugin.TBContext`.

        Args:
          context: TensorBoard's `base_plugin.TBContext`.
          clock: The monotonic time in seconds by which answers expire; tests pass their own.
        """
        self._data_provider = context.data_provider
        samples = (context.sampling_hints or {}).get(self.plugin_name, DEFAULT_SAMPLES_PER_TAG)
        self._downsample_to = samples or ALL_SAMPLES
        self._warned_lock = threading.Lock()
        self._warned = set()
        self._cache = answer_cache.AnswerCache(CACHE_SECONDS, clock, MAX_CACHED_GREETINGS, _weight_of_answer)
        self._search_index = search_index.SearchIndex()
        self._search_stamps = answer_cache.AnswerCache(SEARCH_LISTING_SECONDS, clock)
        self._descriptions = descriptions.DescriptionRenderer()

    def get_plugin_apps(self):
        return {
            "/static/*": self._serve_static,
            "/tags": self._serve_tags,
            "/tag_info": self._serve_tag_info,
            "/other_metadata": self._serve_other_metadata,
            "/unreadable_tags": self._serve_unreadable_tags,
            "/greetings": self._serve_greetings,
            "/greetings_by_run": self._serve_greetings_by_run,
            "/greetings_by_tag": self._serve_greetings_by_tag,
            "/card": self._serve_card,
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
        # Runs may disagree on a tag's display name and description. The first run's (by name) are
        # the tag's; how many others there are is said, and the `other_metadata` route pages them:
        # a sweep whose every run describes itself would otherwise answer thousands here.
        versions_by_tag = self._versions_by_tag(request)
        info = {}
        for tag, versions in sorted(versions_by_tag.items()):
            (display_name, description), _ = versions[0]
            info[tag] = {
                "display_name": display_name,
                "description": self._descriptions.html(description),
                "runs": sorted(run for _, runs in versions for run in runs),
                "other_metadata_count": len(versions) - 1,
                "runs_differing": sum(len(runs) for _, runs in versions[1:]),
            }
        return info

    @_route
    def _serve_other_metadata(self, request):
        tag = _required_arg(request, "tag")
        offset = _int_arg(request, "offset", minimum=0) or 0
        limit = _int_arg(request, "limit", minimum=1) or OTHER_METADATA_PAGE
        if limit > MAX_OTHER_METADATA_PAGE:
            raise _RequestError(400, "query parameter 'limit' must be at most %d, not %d" % (MAX_OTHER_METADATA_PAGE, limit))
        versions = self._versions_by_tag(request, tag).get(tag)
        if versions is None:
            raise _RequestError(404, "no run has greetings under the tag %r" % tag)
        others = versions[1:]
        return {
            "total": len(others),
            "other_metadata": [
                {"display_name": display_name, "description": self._descriptions.html(description), "runs": runs}
                for (display_name, description), runs in others[offset : offset + limit]
            ],
        }

    def _versions_by_tag(self, request, tag=None):
        """{tag: [((display_name, description Markdown), [run])]}: the first run's (by name) first.

        Only `tag`'s, if given. Descriptions that no run writes any more lose their rendering.
        """
        runs_by_version_by_tag = {}
        in_use = set()
        for run, tag_to_series in sorted(self._readable_tags(request, tags=[tag] if tag else ()).items()):
            for run_tag, series in tag_to_series.items():
                in_use.add(series.description)
                if tag is None or run_tag == tag:
                    version = (series.display_name or run_tag, series.description)
                    runs_by_version_by_tag.setdefault(run_tag, {}).setdefault(version, []).append(run)
        self._descriptions.keep_only(in_use)
        return {tag: list(by_version.items()) for tag, by_version in runs_by_version_by_tag.items()}

    @_route
    def _serve_unreadable_tags(self, request):
        unreadable = self._tag_listing(request).unreadable
        return {run: dict(sorted(tag_to_why.items())) for run, tag_to_why in sorted(unreadable.items())}

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
        tags = tuple(sorted(set(_listed_args(request, "tag"))))
        scope = (plugin_util.experiment_id(request.environ), requester.requester_key(request.environ))
        stamps, stamps_text = self._search_stamps.get(scope + (tags,), lambda: self._stamps(request, tags))
        # The answer changes only with the query and the series searched: a dashboard that reloads
        # asks with the ETag of its answer, and is told nothing changed without a search.
        etag = hashlib.sha256(repr((query, stamps_text)).encode("utf-8")).hexdigest()[:32]
        etag_header = [("ETag", '"%s"' % etag)]
        if request.if_none_match.contains(etag):
            return wrappers.Response(status=304, headers=etag_header)
        series_by_tag = self._search_index.series_by_tag(scope, stamps, lambda pairs: self._read_texts(request, pairs))
        return http_util.Respond(request, _json_text(search.find(series_by_tag, query)), "application/json", headers=etag_header)

    def _stamps(self, request, tags):
        """({(tag, run): stamp}, its text) of the series of `tags` (all if empty): what tells they changed."""
        readable = self._readable_tags(request)
        tags = set(tags) or {tag for run_tags in readable.values() for tag in run_tags}
        stamps = {
            (tag, run): (series.max_step, series.max_wall_time)
            for run, run_tags in readable.items()
            for tag, series in run_tags.items()
            if tag in tags
        }
        return stamps, repr(sorted(stamps.items()))

    def _read_texts(self, request, pairs):
        """{(tag, run): [(step, wall_time, text)] by step} for `pairs`, read past the answer cache.

        What a search reads goes to its index, compactly: kept as the data provider's objects too,
        a sweep's greetings would crowd every other answer out of the cache.
        """
        by_run = self._data_provider.read_tensors(
            plugin_util.context(request.environ),
            experiment_id=plugin_util.experiment_id(request.environ),
            plugin_name=self.plugin_name,
            downsample=self._downsample_to,
            run_tag_filter=provider.RunTagFilter(runs={run for _, run in pairs}, tags={tag for tag, _ in pairs}),
        )
        texts = {}
        for tag, run in pairs:
            data = by_run.get(run, {}).get(tag)
            if data is not None:
                texts[(tag, run)] = [(d.step, d.wall_time, text_of(d)) for d in self._scalar_data(run, tag, data)]
        return texts

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
        # A tag that has gone since the dashboard listed it maps to {} and costs its own card, however
        # many of the page's tags have gone.
        return self._read_tags(request, tags)

    def _greetings_of_run(self, request):
        """(run, tag, [greeting JSON]) for the request's `run` and `tag` parameters."""
        run = _required_arg(request, "run")
        tag = _required_arg(request, "tag")
        greetings = self._read(request, runs=[run], tag=tag).get(run)
        if greetings is None:
            self._raise_not_found(request, run, tag)
        return run, tag, greetings

    @_route
    def _serve_card(self, request):
        tag = _required_arg(request, "tag")
        runs = _listed_args(request, "run")
        if not runs:
            raise _RequestError(400, "missing query parameter 'run'")
        latest = _int_arg(request, "latest", minimum=1)
        earliest = _int_arg(request, "earliest", minimum=1)
        if latest is not None and earliest is not None:
            raise _RequestError(400, "ask for the latest or the earliest greetings, not both")
        step_min = _int_arg(request, "step_min")
        step_max = _int_arg(request, "step_max")
        if step_min is not None and step_max is not None and step_min > step_max:
            raise _RequestError(400, "step_min (%d) is after step_max (%d)" % (step_min, step_max))
        readable = self._readable_tags(request, runs, [tag])
        gone = [run for run in runs if run not in readable]
        if len(gone) == len(runs):
            raise _RequestError(404, "no run %r with greetings" % gone[0])
        by_run = self._read_data(request, [tag], [run for run in runs if run in readable])[tag]
        # A run without the tag, or gone since the dashboard listed it, has none: one card of a page
        # does not fail because of it. A run that is gone says so.
        windows = {
            run: card_window(by_run.get(run, []), self._downsample_to, latest, step_min, step_max, earliest)
            for run in runs
        }
        for run in gone:
            windows[run]["gone"] = "no run %r with greetings" % run
        return windows

    def _tag_listing(self, request, max_age=None):
        """The `_TagListing` of the greeter tags that the data provider lists for this request.

        `max_age`: how old a reused listing may be (by default, up to CACHE_SECONDS).
        """
        experiment = plugin_util.experiment_id(request.environ)

        def list_tags():
            mapping = self._data_provider.list_tensors(
                plugin_util.context(request.environ),
                experiment_id=experiment,
                plugin_name=self.plugin_name,
            )
            listing = _TagListing(readable={}, unreadable={})
            for run, tag_to_series in mapping.items():
                for tag, series in tag_to_series.items():
                    why = self._why_unreadable(run, tag, series.plugin_content)
                    if why is None:
                        listing.readable.setdefault(run, {})[tag] = series
                    else:
                        listing.unreadable.setdefault(run, {})[tag] = why
            return listing

        return self._cache.get((experiment, requester.requester_key(request.environ), "tags"), list_tags, max_age)

    def _readable_tags(self, request, runs=None, tags=()):
        """{run: {tag: TensorTimeSeries}} of the greeter tags whose metadata this plugin can read.

        When the request names runs (each with every one of `tags`) or, naming no run, tags that the
        reused listing lacks, a listing older than RECHECK_SECONDS is asked for again.
        """
        readable = self._tag_listing(request).readable
        if runs:
            lacking = any(run not in readable or not set(tags) <= readable[run].keys() for run in runs)
        else:
            # Stops at the first run with each tag: no set of every run's tags on each request.
            lacking = any(not any(tag in run_tags for run_tags in readable.values()) for tag in tags)
        if lacking:
            readable = self._tag_listing(request, max_age=RECHECK_SECONDS).readable
        return readable

    def _why_unreadable(self, run, tag, plugin_content):
        """None if a tag's plugin data is readable, else why not; warns once for each such tag."""
        try:
            metadata.parse_plugin_data(plugin_content)
            return None
        except metadata.PluginDataError as e:
            self._warn_once(run, tag, e)
            return str(e)

    def _warn_once(self, run, tag, why):
        """Logs that a tag's greetings are skipped, and why, the first time only."""
        with self._warned_lock:
            if (run, tag, str(why)) in self._warned:
                return
            self._warned.add((run, tag, str(why)))
        logger.warning("Skipping greeter tag %r of run %r: %s", tag, run, why)

    def _scalar_data(self, run, tag, data):
        """A tag's greetings in one run, sorted by step; skips data that is not one string."""
        greetings = []
        for datum in sorted(data, key=_step_of):
            if datum.numpy.shape:
                self._warn_once(
                    run, tag, "a greeting is a scalar string tensor, not one of shape %s" % (list(datum.numpy.shape),)
                )
                continue
            greetings.append(datum)
        return greetings

    def _read(self, request, runs, tag):
        """{run: [greeting JSON]} for one readable tag of the given runs (None: every run)."""
        return self._read_tags(request, [tag], runs)[tag]

    def _read_tags(self, request, tags, runs=None):
        """{tag: {run: [greeting JSON]}} for readable tags of the given runs (None: every run)."""
        return {
            tag: {run: greetings_json(data) for run, data in by_run.items()}
            for tag, by_run in self._read_data(request, tags, runs).items()
        }

    def _read_data(self, request, tags, runs=None):
        """{tag: {run: [scalar string datum]}} by step, for readable tags of the given runs (None: every run).

        The tags that have no fresh value are read together, in one call to the data provider, and
        reused for CACHE_SECONDS. They are kept as the data provider's data, not as JSON: the routes
        that answer a window of them convert that window only.
        """
        experiment = plugin_util.experiment_id(request.environ)
        who = requester.requester_key(request.environ)
        readable = self._readable_tags(request, runs, tags)
        keys = {}
        for tag in tags:
            tag_runs = sorted(run for run, run_tags in readable.items() if tag in run_tags)
            asked_for = tuple(run for run in tag_runs if runs is None or run in runs)
            keys[tag] = _GreetingsKey(experiment, who, tag, asked_for)

        def read(missing_keys):
            wanted = sorted({key.tag for key in missing_keys})
            runs = sorted({run for key in missing_keys for run in key.runs})
            by_run = {}
            if runs:
                by_run = self._data_provider.read_tensors(
                    plugin_util.context(request.environ),
                    experiment_id=experiment,
                    plugin_name=self.plugin_name,
                    downsample=self._downsample_to,
                    run_tag_filter=provider.RunTagFilter(runs=runs, tags=wanted),
                )
            return {
                key: {
                    run: self._scalar_data(run, key.tag, by_run[run][key.tag])
                    for run in key.runs
                    if key.tag in by_run.get(run, {})
                }
                for key in missing_keys
            }

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
