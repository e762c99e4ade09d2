"""`SeriesPlugin`: a TensorBoard plugin of time series, whose subclass says only what is its own.

    class NumbersPlugin(series_plugin.SeriesPlugin):
        plugin_name = "numbers"
        tab_name = "Numbers"
        bundle_dir = os.path.join(os.path.dirname(__file__), "frontend")
        columns = ("value",)

        def parse_plugin_data(self, content):
            return metadata.parse_plugin_data(content)  # raises a ValueError if unreadable

        def row_of(self, datum):
            return {"value": float(datum.numpy.item())}

The kit serves every route (module docstring of each route below), reads only through
`context.data_provider` (so the same data under the Rust fast loader and the Python loader), reuses
the data provider's answers for a moment (`answer_cache`), and imports no TensorFlow.

Routes, under /data/plugin/<plugin_name>/:
  static/index.js  the frontend bundle (`bundle_dir`)
  info             {plugin_name, tab_name, rows_key, searchable}: what the dashboard learns of the plugin
  tags             {run: [tag]}
  tag_info         {tag: {display_name, description (safe HTML), runs, other_metadata_count, runs_differing}}
  other_metadata   ?tag=&offset=&limit=: the other runs' display names and descriptions of a tag
  unreadable_tags  {run: {tag: why}}: tags whose metadata this plugin version cannot read
  card             ?tag=&run=...&latest=|earliest=&step_min=&step_max=: a window of each run
  download         ?run=&tag=&format=csv|json: a run's rows as a file
  search           ?q=&tag=...: rows whose text contains q (only if the plugin has `search_text`)
  <rows_key>       ?run=&tag=: a run's rows; <rows_key>_by_run ?tag=&run=...; <rows_key>_by_tag ?tag=...
"""

import collections
import hashlib
import logging
import threading
import time

from werkzeug import wrappers

from tensorboard import plugin_util
from tensorboard.data import provider
from tensorboard.plugins import base_plugin

from plugin_kit import answer_cache
from plugin_kit import descriptions
from plugin_kit import downloads
from plugin_kit import requester
from plugin_kit import routes
from plugin_kit import sampling
from plugin_kit import search
from plugin_kit import search_index
from plugin_kit import static_bundle
from plugin_kit import tag_listing
from plugin_kit import windows

# How long an answer of the data provider is reused: a page's cards, their reloads and a download ask
# for the same series within moments, and each read costs a call to the data server (~10 ms for a
# run's 1,000 rows of short text; ~50 ms where the server's Nagle's algorithm stays on). Loaders
# refresh every --reload_interval (5 s by default), so a second adds little staleness.
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
# The most data (and listed series) the reused answers hold together; past it, the least recently
# used go first. A page of cards holds some thousands; "Show every step" of a long run, or
# `<rows_key>_by_run` on a sweep, some 100,000.
MAX_CACHED_DATA = 250_000

# How many other versions of a tag's metadata the `other_metadata` route answers by default, and at most.
OTHER_METADATA_PAGE = 20
MAX_OTHER_METADATA_PAGE = 200

# A cache key of one tag's data: in the runs named, for one user of one experiment.
_SeriesKey = collections.namedtuple("_SeriesKey", ["experiment", "requester", "tag", "runs"])


class SeriesPlugin(base_plugin.TBPlugin):
    """A plugin of time series: one datum a step, each shown as a row of its own columns.

    A subclass sets:
      plugin_name: Its name in summary metadata and URLs.
      tab_name: Its dashboard tab's title.
      bundle_dir: The directory of its built frontend bundle (`index.js`).
      columns: Its rows' own columns, in the order a CSV download has them (after "wall_time", "step").
      rows_key: What answers call a series' rows: the card's key and the rows routes' name ("rows").
      samples_per_tag: How many data of a tag the loaders keep by default (`sampling`).
    and overrides:
      row_of(datum): A datum's own columns, {column: JSON value}. Required.
      parse_plugin_data(content): Reads its summary metadata's content; raises ValueError if it cannot.
      search_text(datum): The text a search matches in a datum; without it, there is no search route.
      datum_problem(datum): Why a datum is not one the plugin shows, or None (default: not a scalar).
      extra_routes(): {path: WSGI app} of routes of its own.
    """

    plugin_name = None
    tab_name = None
    bundle_dir = None
    columns = ()
    rows_key = "rows"
    samples_per_tag = sampling.DEFAULT_SAMPLES_PER_TAG

    def __init__(self, context, clock=time.monotonic):
        """Instantiates the plugin from TensorBoard's `base_plugin.TBContext`.

        Args:
          context: TensorBoard's `base_plugin.TBContext`.
          clock: The monotonic time in seconds by which answers expire; tests pass their own.
        """
        missing = [name for name in ("plugin_name", "tab_name", "bundle_dir") if getattr(self, name) is None]
        if missing:
            raise TypeError("%s must say its %s (class attributes of a SeriesPlugin)" % (type(self).__name__, ", ".join(missing)))
        self.logger = logging.getLogger(type(self).__module__)
        self._data_provider = context.data_provider
        self._downsample_to = sampling.downsample_to(context, self.plugin_name, self.samples_per_tag)
        self._warned_lock = threading.Lock()
        self._warned = set()
        self._cache = answer_cache.AnswerCache(CACHE_SECONDS, clock, MAX_CACHED_DATA, tag_listing.weight)
        self._search_index = search_index.SearchIndex()
        self._search_stamps = answer_cache.AnswerCache(SEARCH_LISTING_SECONDS, clock)
        self._descriptions = descriptions.DescriptionRenderer()
        self._bundle = static_bundle.StaticBundle(self.plugin_name, self.bundle_dir)

    # What a plugin says about itself.

    def row_of(self, datum):
        """A datum's own columns as JSON, e.g. {"value": 0.5}; the kit adds "wall_time" and "step".

        A ValueError or TypeError says the datum is not one the plugin can show: it is skipped, with a warning.
        """
        raise NotImplementedError("a SeriesPlugin says how a datum becomes a row: row_of(datum)")

    def parse_plugin_data(self, content):
        """Reads a tag's `plugin_data.content` (bytes); raises ValueError (with why) if it cannot."""
        del content  # A plugin that writes no content reads every tag.

    def search_text(self, datum):
        """The text a search matches in `datum`. Override it to have a search route."""
        raise NotImplementedError("this plugin has no search")

    def datum_problem(self, datum):
        """Why `datum` is not one the plugin shows (it is skipped, with a warning), or None."""
        if datum.numpy.shape:
            return "a %s datum is a scalar tensor, not one of shape %s" % (self.plugin_name, list(datum.numpy.shape))
        return None

    def extra_routes(self):
        """{path: WSGI app} of routes of the plugin's own, served beside the kit's."""
        return {}

    @classmethod
    def searchable(cls):
        """Whether the plugin says what a search matches (`search_text`), and so serves `search`."""
        return cls.search_text is not SeriesPlugin.search_text

    def rows_json(self, data):
        """The rows of `data` as JSON, in the order given: [{"wall_time", "step", **row_of(datum)}]."""
        row_of = self.row_of
        return [{"wall_time": datum.wall_time, "step": datum.step, **row_of(datum)} for datum in data]

    # TensorBoard's plugin interface.

    def get_plugin_apps(self):
        """The kit's routes, and the plugin's own (`extra_routes`)."""
        apps = {
            "/static/*": self._serve_static,
            "/info": self._serve_info,
            "/tags": self._serve_tags,
            "/tag_info": self._serve_tag_info,
            "/other_metadata": self._serve_other_metadata,
            "/unreadable_tags": self._serve_unreadable_tags,
            "/" + self.rows_key: self._serve_rows,
            "/%s_by_run" % self.rows_key: self._serve_rows_by_run,
            "/%s_by_tag" % self.rows_key: self._serve_rows_by_tag,
            "/card": self._serve_card,
            "/download": self._serve_download,
        }
        if self.searchable():
            apps["/search"] = self._serve_search
        apps.update(self.extra_routes())
        return apps

    def is_active(self):
        """False: TensorBoard's core lists the plugin as active when the data provider holds its data."""
        return False

    def frontend_metadata(self):
        """The dashboard's ES module (the bundle's `index.js`) and tab name."""
        return base_plugin.FrontendMetadata(es_module_path="/static/index.js", tab_name=self.tab_name)

    # Routes.

    @routes.json_route
    def _serve_static(self, request):
        return self._bundle.respond(request)

    @routes.json_route
    def _serve_info(self, request):
        # The dashboard reads these here rather than from options of its own, which could disagree.
        del request
        return {
            "plugin_name": self.plugin_name,
            "tab_name": self.tab_name,
            "rows_key": self.rows_key,
            "searchable": self.searchable(),
        }

    # The dashboard asks for `tags` and `tag_info` on every reload; on a sweep each is a pass over
    # every run. So each answer's JSON is made once per listing (`TagListing.derived`), for every
    # request that the listing serves.

    @routes.json_route
    def _serve_tags(self, request):
        return routes.json_text_response(request, self._tag_listing(request).derived("tags", _tags_json))

    @routes.json_route
    def _serve_tag_info(self, request):
        return routes.json_text_response(request, self._tag_listing(request).derived("tag_info", self._tag_info_json))

    def _tag_info_json(self, listing):
        # Runs may disagree on a tag's display name and description. The first run's (by name) are
        # the tag's; how many others there are is said, and the `other_metadata` route pages them:
        # a sweep whose every run describes itself would otherwise answer thousands here.
        versions_by_tag = listing.derived("versions", _versions_by_tag)
        # Only the descriptions some run still writes keep their rendering.
        self._descriptions.keep_only(
            {description for versions in versions_by_tag.values() for (_, description), _ in versions}
        )
        info = {}
        for tag, versions in sorted(versions_by_tag.items()):
            (display_name, description), first_runs = versions[0]
            info[tag] = {
                "display_name": display_name,
                "description": self._descriptions.html(description),
                # Each version's runs are sorted already: one version's (most tags') need no sort.
                "runs": first_runs if len(versions) == 1 else sorted(run for _, runs in versions for run in runs),
                "other_metadata_count": len(versions) - 1,
                "runs_differing": sum(len(runs) for _, runs in versions[1:]),
            }
        return routes.json_text(info)

    @routes.json_route
    def _serve_other_metadata(self, request):
        tag = routes.required_arg(request, "tag")
        offset = routes.int_arg(request, "offset", minimum=0) or 0
        limit = routes.int_arg(request, "limit", minimum=1, maximum=MAX_OTHER_METADATA_PAGE) or OTHER_METADATA_PAGE
        versions = self._tag_listing_with(request, tags=[tag]).derived("versions", _versions_by_tag).get(tag)
        if versions is None:
            raise routes.RequestError(404, "no run has %s under the tag %r" % (self.rows_key, tag))
        others = versions[1:]
        return {
            "total": len(others),
            "other_metadata": [
                {"display_name": display_name, "description": self._descriptions.html(description), "runs": runs}
                for (display_name, description), runs in others[offset : offset + limit]
            ],
        }

    @routes.json_route
    def _serve_unreadable_tags(self, request):
        unreadable = self._tag_listing(request).unreadable
        return {run: dict(sorted(tag_to_why.items())) for run, tag_to_why in sorted(unreadable.items())}

    @routes.json_route
    def _serve_rows(self, request):
        return self._rows_of_run(request)[2]

    @routes.json_route
    def _serve_download(self, request):
        file_format = routes.required_arg(request, "format")
        if file_format not in downloads.CONTENT_TYPES:
            raise routes.RequestError(
                400, "format must be one of %s, not %r" % (", ".join(downloads.CONTENT_TYPES), file_format)
            )
        run, tag, rows = self._rows_of_run(request)
        columns = ("wall_time", "step") + tuple(self.columns)
        return downloads.respond(request, file_format, run, tag, rows, columns, self.rows_key)

    @routes.json_route
    def _serve_search(self, request):
        query = routes.required_arg(request, "q")
        tags = tuple(sorted(set(routes.listed_args(request, "tag"))))
        experiment = plugin_util.experiment_id(request.environ)
        scope = (experiment, requester.requester_key(request.environ), tags)
        stamps, stamps_text = self._search_stamps.get(scope, lambda: self._stamps(request, tags))
        # The answer changes only with the query and the series searched: a dashboard that reloads
        # asks with the ETag of its answer, and is told nothing changed without a search.
        etag = hashlib.sha256(repr((query, stamps_text)).encode("utf-8")).hexdigest()[:32]
        etag_header = [("ETag", '"%s"' % etag)]
        if request.if_none_match.contains(etag):
            return wrappers.Response(status=304, headers=etag_header)
        series_by_tag = self._search_index.series_by_tag(
            experiment, stamps, lambda pairs: self._search_entries(request, pairs)
        )
        return routes.json_response(request, search.find(series_by_tag, query), headers=etag_header)

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

    def _search_entries(self, request, pairs):
        """{(tag, run): [(text, row JSON)] by step} for `pairs`, read past the answer cache.

        What a search reads goes to its index, compactly: kept as the data provider's objects too,
        a sweep's data would crowd every other answer out of the cache.
        """
        by_run = self._read_from_provider(request, {run for _, run in pairs}, {tag for tag, _ in pairs})
        entries = {}
        for tag, run in pairs:
            data = by_run.get(run, {}).get(tag)
            if data is not None:
                entries[(tag, run)] = list(zip((self.search_text(datum) for datum in data), self.rows_json(data)))
        return entries

    @routes.json_route
    def _serve_rows_by_run(self, request):
        tag = routes.required_arg(request, "tag")
        runs = routes.listed_args(request, "run") or None
        by_run = self._read_rows(request, [tag], runs)[tag]
        if runs:
            for run in runs:
                if run not in by_run:
                    self._raise_not_found(request, run, tag)
        elif not by_run:
            raise routes.RequestError(404, "no run has %s under the tag %r" % (self.rows_key, tag))
        return by_run

    @routes.json_route
    def _serve_rows_by_tag(self, request):
        tags = routes.listed_args(request, "tag")
        if not tags:
            raise routes.RequestError(400, "missing query parameter 'tag'")
        # A tag that has gone since the dashboard listed it maps to {} and costs its own card, however
        # many of the page's tags have gone.
        return self._read_rows(request, tags)

    def _rows_of_run(self, request):
        """(run, tag, [row JSON]) for the request's `run` and `tag` parameters."""
        run = routes.required_arg(request, "run")
        tag = routes.required_arg(request, "tag")
        rows = self._read_rows(request, [tag], [run])[tag].get(run)
        if rows is None:
            self._raise_not_found(request, run, tag)
        return run, tag, rows

    @routes.json_route
    def _serve_card(self, request):
        tag = routes.required_arg(request, "tag")
        runs = routes.listed_args(request, "run")
        if not runs:
            raise routes.RequestError(400, "missing query parameter 'run'")
        latest = routes.int_arg(request, "latest", minimum=1)
        earliest = routes.int_arg(request, "earliest", minimum=1)
        if latest is not None and earliest is not None:
            raise routes.RequestError(400, "ask for the latest or the earliest %s, not both" % self.rows_key)
        step_min = routes.int_arg(request, "step_min")
        step_max = routes.int_arg(request, "step_max")
        if step_min is not None and step_max is not None and step_min > step_max:
            raise routes.RequestError(400, "step_min (%d) is after step_max (%d)" % (step_min, step_max))
        readable = self._readable_tags(request, runs, [tag])
        gone = [run for run in runs if run not in readable]
        if len(gone) == len(runs):
            raise routes.RequestError(404, self._no_run_message(gone[0]))
        by_run = self._read_data(request, [tag], [run for run in runs if run in readable])[tag]
        # A run without the tag, or gone since the dashboard listed it, has none: one card of a page
        # does not fail because of it. A run that is gone says so.
        windows_by_run = {
            run: windows.card_window(
                by_run.get(run, []), self._downsample_to, self.rows_json, self.rows_key,
                latest, step_min, step_max, earliest,
            )
            for run in runs
        }
        for run in gone:
            windows_by_run[run]["gone"] = self._no_run_message(run)
        return windows_by_run

    # Reading through the data provider.

    def _tag_listing(self, request, max_age=None):
        """The `TagListing` of the plugin's tags that the data provider lists for this request.

        `max_age`: how old a reused listing may be (by default, up to CACHE_SECONDS).
        """
        experiment = plugin_util.experiment_id(request.environ)

        def list_tags():
            listing = tag_listing.list_tags(
                self._data_provider,
                plugin_util.context(request.environ),
                experiment,
                self.plugin_name,
                self._why_unreadable,
            )
            for run, tag_to_why in listing.unreadable.items():
                for tag, why in tag_to_why.items():
                    self._warn_once(run, tag, why)
            return listing

        return self._cache.get((experiment, requester.requester_key(request.environ), "tags"), list_tags, max_age)

    def _readable_tags(self, request, runs=None, tags=()):
        """{run: {tag: TensorTimeSeries}} of the plugin's tags whose metadata it can read (`_tag_listing_with`)."""
        return self._tag_listing_with(request, runs, tags).readable

    def _tag_listing_with(self, request, runs=None, tags=()):
        """The `TagListing` for this request, asked for again if it lacks what the request names.

        When the request names runs (each with every one of `tags`) or, naming no run, tags that the
        reused listing lacks, a listing older than RECHECK_SECONDS is asked for again.
        """
        listing = self._tag_listing(request)
        readable = listing.readable
        if runs:
            lacking = any(run not in readable or not set(tags) <= readable[run].keys() for run in runs)
        else:
            # Stops at the first run with each tag: no set of every run's tags on each request.
            lacking = any(not any(tag in run_tags for run_tags in readable.values()) for tag in tags)
        if lacking:
            listing = self._tag_listing(request, max_age=RECHECK_SECONDS)
        return listing

    def _why_unreadable(self, plugin_content):
        """None if a tag's plugin data (bytes) is readable, else why not."""
        try:
            self.parse_plugin_data(plugin_content)
            return None
        except ValueError as e:
            return str(e)

    def _warn_once(self, run, tag, why, kind=None):
        """Logs that a tag's data are skipped, and why, the first time only (for each `kind`, if given)."""
        key = (run, tag, str(why) if kind is None else kind)
        with self._warned_lock:
            if key in self._warned:
                return
            self._warned.add(key)
        self.logger.warning("Skipping %s tag %r of run %r: %s", self.plugin_name, tag, run, why)

    def _usable_data(self, run, tag, data):
        """A tag's data in one run, sorted by step, without those the plugin does not show (warned once).

        A datum that `row_of` refuses (ValueError, TypeError: a string under a tag of numbers, say)
        is one of those: otherwise it would fail every answer of the tag. Checking costs a `row_of`
        per datum read, once per read of the data provider, not per answer.
        """
        usable = []
        for datum in sorted(data, key=windows.step_of):
            problem = self.datum_problem(datum)
            if problem is None:
                try:
                    self.row_of(datum)
                except (ValueError, TypeError) as e:
                    # One warning a tag, however many of its data and however varied their errors.
                    self._warn_once(run, tag, "row_of cannot read step %d: %s: %s" % (datum.step, type(e).__name__, e), "row_of")
                    continue
                usable.append(datum)
            else:
                self._warn_once(run, tag, problem)
        return usable

    def _read_from_provider(self, request, runs, tags):
        """{run: {tag: [datum] usable, by step}} of `tags` in `runs`, read from the data provider now."""
        runs, tags = set(runs), set(tags)
        by_run = self._data_provider.read_tensors(
            plugin_util.context(request.environ),
            experiment_id=plugin_util.experiment_id(request.environ),
            plugin_name=self.plugin_name,
            downsample=self._downsample_to,
            run_tag_filter=provider.RunTagFilter(runs=runs, tags=tags),
        )
        return {
            run: {tag: self._usable_data(run, tag, data) for tag, data in tag_to_data.items() if tag in tags}
            for run, tag_to_data in by_run.items()
            if run in runs
        }

    def _read_rows(self, request, tags, runs=None):
        """{tag: {run: [row JSON]}} for readable tags of the given runs (None: every run)."""
        return {
            tag: {run: self.rows_json(data) for run, data in by_run.items()}
            for tag, by_run in self._read_data(request, tags, runs).items()
        }

    def _read_data(self, request, tags, runs=None):
        """{tag: {run: [datum]}} by step, for readable tags of the given runs (None: every run).

        The tags that have no fresh value are read together, in one call to the data provider, and
        reused for CACHE_SECONDS. They are kept as the data provider's data, not as JSON: the routes
        that answer a window of them convert that window only.
        """
        experiment = plugin_util.experiment_id(request.environ)
        who = requester.requester_key(request.environ)
        readable = self._readable_tags(request, runs, tags)
        # A card names a page of runs: only those are looked up, not every run of a sweep.
        candidates = readable if runs is None else set(runs)
        keys = {}
        for tag in tags:
            asked_for = tuple(sorted(run for run in candidates if tag in readable.get(run, ())))
            keys[tag] = _SeriesKey(experiment, who, tag, asked_for)

        def read(missing_keys):
            runs = sorted({run for key in missing_keys for run in key.runs})
            by_run = {}
            if runs:
                by_run = self._read_from_provider(request, runs, sorted({key.tag for key in missing_keys}))
            return {
                key: {run: by_run[run][key.tag] for run in key.runs if key.tag in by_run.get(run, {})}
                for key in missing_keys
            }

        values = self._cache.get_many(list(keys.values()), read)
        return {tag: values[key] for tag, key in keys.items()}

    def _no_run_message(self, run):
        return "no run %r with %s" % (run, self.rows_key)

    def _raise_not_found(self, request, run, tag):
        if run not in self._readable_tags(request):
            raise routes.RequestError(404, self._no_run_message(run))
        raise routes.RequestError(404, "run %r has no %s tag %r" % (run, self.plugin_name, tag))


class SeriesLoader(base_plugin.TBLoader):
    """Loads a `SeriesPlugin` subclass, and makes its `samples_per_tag` the loaders' default for its tags.

    A plugin's loader names the plugin: `class NumbersLoader(SeriesLoader): plugin_class = NumbersPlugin`.
    """

    plugin_class = None
    # The plugin's name: lets a TensorBoard that also finds the plugin through its entry point keep one.
    plugin_name = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.plugin_class is not None:
            cls.plugin_name = cls.plugin_class.plugin_name

    def fix_flags(self, flags):
        """Sets the plugin's default in `--samples_per_plugin`, unless the flag names it."""
        sampling.set_default(flags, self.plugin_class.plugin_name, self.plugin_class.samples_per_tag)

    def load(self, context):
        """The plugin, for TensorBoard's `base_plugin.TBContext`."""
        return self.plugin_class(context)


def _tags_json(listing):
    """The `tags` answer's JSON of a `TagListing`: {run: [tag]}, each run's tags sorted."""
    return routes.json_text({run: sorted(tag_to_series) for run, tag_to_series in listing.readable.items() if tag_to_series})


def _versions_by_tag(listing):
    """{tag: [((display_name, description Markdown), [run, sorted])]} of a `TagListing`: the first run's (by name) first."""
    runs_by_version_by_tag = {}
    for run, tag_to_series in sorted(listing.readable.items()):
        for tag, series in tag_to_series.items():
            version = (series.display_name or tag, series.description)
            runs_by_version_by_tag.setdefault(tag, {}).setdefault(version, []).append(run)
    return {tag: list(by_version.items()) for tag, by_version in runs_by_version_by_tag.items()}

