"""The search case: search and tag_info on sweeps of thousands of runs (issue 25).

Stock TensorBoard has neither a search nor per-run descriptions in one answer: its side is its text
plugin's `tags` route (the listing the dashboard asks for first) and its peak RSS holding the same
sweep, on the same strings as text summaries.
"""

import concurrent.futures
import json
import os
import statistics
import time
import urllib.parse

import psutil

from tensorboard import context as tb_context
from tensorboard.data import provider

from plugin_kit import sampling
from plugin_kit import search
from plugin_kit import search_index

from greeter_plugin import metadata
from greeter_plugin import plugin_testing
from greeter_plugin import sweep_demo
from tools.bench import logdirs
from tools.bench import servers
from tools.bench import sweeps

# The search route's sweep, and the sweep of distinct descriptions (searched too, at its p50 bound).
SEARCH_SHAPE = (1000, 200, 3)
DESCRIPTIONS_SHAPE = (10000, 5, 1)
# Distinct queries asked once each (nothing of their answer reused), and one query asked again.
QUERIES = 60
CONCURRENT_SEARCHES = (8, 4)  # searches, at a time
TAG_INFO_REPEATS = 20
# The dashboard's first page (plugin_kit/frontend/card.ts): each card asks for a page of runs, each with
# its latest greetings, ROWS_PER_CARD in all.
RUNS_PER_CARD_PAGE = 20
ROWS_PER_CARD = 120


def description_of(run_index):
    """A sweep's description of its tags, one a run, as sweeps write them."""
    return "lr=%d, seed %d: see [the notes](https://example.com/%d)" % (
        run_index // sweep_demo.SEEDS_PER_RATE, run_index % sweep_demo.SEEDS_PER_RATE, run_index)


def distinct_queries(runs, count):
    """`count` queries that each match one trial's greetings, spread over the sweep."""
    return ["of trial %d!" % (index * runs // count) for index in range(count)]


def timed_get(url):
    started = time.perf_counter()
    status, body = servers.get(url)
    if status != 200:
        raise RuntimeError("%s answered %d: %r" % (url, status, body[:300]))
    return time.perf_counter() - started, body


def search_url(server, query):
    return server.url + "data/plugin/greeter/search?" + urllib.parse.urlencode({"q": query})


def p50_and_p99(values):
    return statistics.median(values), statistics.quantiles(values, n=100)[98]


def loaded_server(side, logdir, runs, steps, load_fast=sweeps.LOAD_FAST):
    """A server of `side` that serves the last runs of a sweep whole."""
    server = servers.Server(side, logdir, load_fast)
    try:
        server.wait_for_runs(sweeps.last_loaded_runs(runs), sweeps.expected_entries(side, steps))
    except BaseException:
        server.stop()
        raise
    return server


def show_first_page(server):
    """Asks for what the dashboard's first page asks for: the listings, and each tag's card of its
    first page of runs. A user searches from that page, so its RSS is the base a search adds to."""
    plugin_url = server.url + "data/plugin/greeter/"
    tags_by_run = json.loads(timed_get(plugin_url + "tags")[1])
    tag_info = json.loads(timed_get(plugin_url + "tag_info")[1])
    for tag, info in sorted(tag_info.items()):
        runs = sorted(info["runs"])[:RUNS_PER_CARD_PAGE]
        query = [("tag", tag)] + [("run", run) for run in runs] + [("latest", ROWS_PER_CARD // len(runs))]
        timed_get(plugin_url + "card?" + urllib.parse.urlencode(query))
    if not tags_by_run:
        raise RuntimeError("the server lists no run")


def rss_by_process(pid):
    """[RSS in bytes] of process `pid`, then of each of its children (the data server)."""
    process = psutil.Process(pid)
    return [p.memory_info().rss for p in [process] + process.children(recursive=True)]


def measure_data_server_alone(logdir, runs, steps):
    """TensorBoard's data server on the search sweep, read as the search index reads it (5 runs a
    read, every kept greeting) by TensorBoard's gRPC data provider, with no TensorBoard-X code: its
    RSS rise on the first read of every series, and on a second read of them all."""
    flags = plugin_testing.tensorboard_flags(logdir)
    children_before = set(psutil.Process().children())  # The bench's store may run beside it.
    data_provider = plugin_testing.start_data_provider(flags, "fast")
    (data_server,) = set(psutil.Process().children()) - children_before
    context = tb_context.RequestContext()
    kept = min(steps, sampling.DEFAULT_SAMPLES_PER_TAG)

    def listed():
        return data_provider.list_tensors(context, experiment_id="", plugin_name=metadata.PLUGIN_NAME)

    def read_every_series():
        names = sorted(listed())
        for first in range(0, len(names), search_index.RUNS_PER_READ):
            data_provider.read_tensors(context, experiment_id="", plugin_name=metadata.PLUGIN_NAME, downsample=kept,
                                       run_tag_filter=provider.RunTagFilter(runs=names[first:first + search_index.RUNS_PER_READ]))

    def loaded():
        listing = listed()
        return len(listing) == runs and all(series.max_step == steps - 1 for tags in listing.values() for series in tags.values())

    try:
        # Listing, unlike reading, leaves the data server's RSS as it is.
        plugin_testing.wait_for(loaded, 600)
        before = data_server.memory_info().rss
        read_every_series()
        first = data_server.memory_info().rss
        read_every_series()
        second = data_server.memory_info().rss
    finally:
        data_server.kill()
    return {"first read": first - before, "second read": second - first}


def measure_search(logdir, runs, steps):
    """TensorBoard-X's search figures on one sweep, from a fresh server."""
    server = loaded_server(sweeps.TENSORBOARD_X_SIDE, logdir, runs, steps)
    try:
        # Searches that nothing built an index for yet: the first builds it, the others wait for it. The
        # base is the server's RSS once a first page was shown and its answers expired (CACHE_SECONDS).
        show_first_page(server)
        time.sleep(1.5)
        before_by_process = rss_by_process(server.pid)
        before = sum(before_by_process)
        during = servers.PeakMemory(server.pid)
        during.start()
        searches, at_a_time = CONCURRENT_SEARCHES
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(at_a_time) as pool:
            first_answers = list(pool.map(lambda q: timed_get(search_url(server, q))[0],
                                          distinct_queries(runs, searches)))
        concurrent_wall = time.perf_counter() - started
        time.sleep(0.2)
        during.stop()
        peak = during.peak_bytes
        server_rise, data_server_rise = [a - b for a, b in zip(rss_by_process(server.pid), before_by_process)]
        cold = [timed_get(search_url(server, query))[0] for query in distinct_queries(runs + 1, QUERIES)]
        warm = [timed_get(search_url(server, "of trial 1!"))[0] for _ in range(QUERIES)]
        _, body = timed_get(search_url(server, "of trial"))
        bound = json.loads(body)
        if not bound["total_is_lower_bound"] or bound["total"] != search.COUNT_LIMIT:
            raise RuntimeError("a search matching every greeting answered %r" % {k: bound[k] for k in ("total",)})
    finally:
        server.stop()
    return {"first": max(first_answers), "concurrent wall": concurrent_wall, "before": before, "peak": peak,
            "cold": cold, "warm": warm, "server rise": server_rise, "data server rise": data_server_rise}


def measure_tag_info(logdir, runs, steps):
    """TensorBoard-X's tag_info figures on a sweep whose every run has its own description."""
    server = loaded_server(sweeps.TENSORBOARD_X_SIDE, logdir, runs, steps)
    try:
        url = server.url + "data/plugin/greeter/tag_info"
        # Cold: nothing rendered yet, and the listing reused from the wait expired.
        time.sleep(1.1)
        cold, body = timed_get(url)
        warm = []
        for _ in range(TAG_INFO_REPEATS):
            # As a dashboard's reload asks: `tags` and `tag_info` together, on one listing.
            timed_get(server.url + "data/plugin/greeter/tags")
            warm.append(timed_get(url)[0])
            time.sleep(0.5)
        page_url = server.url + "data/plugin/greeter/other_metadata?" + urllib.parse.urlencode(
            {"tag": sweeps.TAG, "offset": runs // 2})
        pages = [timed_get(page_url)[0] for _ in range(TAG_INFO_REPEATS)]
        searched = [timed_get(search_url(server, query))[0] for query in distinct_queries(runs, QUERIES)]
    finally:
        server.stop()
    return {"cold": cold, "warm": warm, "bytes": len(body), "page": pages, "search": searched}


def measure_stock_listing(logdir, runs, steps):
    """Stock TensorBoard's text `tags` route and peak RSS on the same sweep as text summaries."""
    server = loaded_server(sweeps.STOCK_AT_DEFAULTS_SIDE, logdir, runs, steps)
    try:
        time.sleep(1.1)
        url = server.url + "data/plugin/text/tags"
        cold = timed_get(url)[0]
        warm = [timed_get(url)[0] for _ in range(TAG_INFO_REPEATS)]
    finally:
        peak = server.stop()
    return {"cold": cold, "warm": warm, "peak": peak}


def bound_cases(table, workdir, repeats):
    """Adds the rows of search and tag_info on sweeps, each side measured `repeats` times."""
    runs, steps, tags = SEARCH_SHAPE
    search_logdir = os.path.join(workdir, "search", "search", "greeter")
    search_text_logdir = os.path.join(workdir, "search", "search", "text")
    sweep_demo.write_sweep(search_logdir, runs, steps, tags)
    logdirs.write_text_sweep(search_text_logdir, runs, steps, tags)
    many_runs, many_steps, many_tags = DESCRIPTIONS_SHAPE
    described_logdir = os.path.join(workdir, "search", "described", "greeter")
    described_text_logdir = os.path.join(workdir, "search", "described", "text")
    sweep_demo.write_sweep(described_logdir, many_runs, many_steps, many_tags, description_of)
    logdirs.write_text_sweep(described_text_logdir, many_runs, many_steps, many_tags)

    found, alone, stock_sweep, described, stock_described = [], [], [], [], []
    for _ in range(repeats):
        found.append(measure_search(search_logdir, runs, steps))
        alone.append(measure_data_server_alone(search_logdir, runs, steps))
        stock_sweep.append(measure_stock_listing(search_text_logdir, runs, steps))
        described.append(measure_tag_info(described_logdir, many_runs, many_steps))
        stock_described.append(measure_stock_listing(described_text_logdir, many_runs, many_steps))

    prefix = "sweep %s runs x %d steps x %d tags: " % (format(runs, ","), steps, tags)
    no_search = "stock has no search"
    table.add(prefix + "first searches, building the index", [m["first"] * 1000 for m in found], None, "ms",
              note="the slowest of %d distinct searches %d at a time on a fresh server; %s" % (
                  *CONCURRENT_SEARCHES, no_search))
    for key in ("cold", "warm"):
        which = "%d distinct queries once each" % QUERIES if key == "cold" else "one query %d times" % QUERIES
        for index, name in enumerate(("p50", "p99")):
            table.add(prefix + "search %s, %s" % (name, key),
                      [p50_and_p99(m[key])[index] * 1000 for m in found], None, "ms",
                      note="%s, once the index is built; %s" % (which, no_search))
    table.add(prefix + "peak RSS during %d searches %d at a time vs RSS before" % CONCURRENT_SEARCHES,
              [m["peak"] / 2**20 for m in found], [m["before"] / 2**20 for m in found], "MiB",
              note="TensorBoard-X both: server + data server; the ratio is the rise")
    for key, which in (("server rise", "the server's own"), ("data server rise", "the data server's own")):
        table.add(prefix + "RSS rise after the 8 searches: %s" % which, [m[key] / 2**20 for m in found], None,
                  "MiB", note="RSS after the last answer minus RSS before")
    for key in ("first read", "second read"):
        table.add(prefix + "TensorBoard's data server alone: RSS rise on a %s of every series" % key,
                  [m[key] / 2**20 for m in alone], None, "MiB",
                  note="TensorBoard's gRPC data provider, %d runs a read, no TensorBoard-X code" % search_index.RUNS_PER_READ)
    table.add(prefix + "RSS before searching vs stock's peak holding the sweep",
              [m["before"] / 2**20 for m in found], [m["peak"] / 2**20 for m in stock_sweep], "MiB",
              note="stock at its defaults, text summaries of the same strings")

    prefix = "sweep %s runs x %d steps, a description a run: " % (format(many_runs, ","), many_steps)
    table.add(prefix + "search p50", [statistics.median(m["search"]) * 1000 for m in described], None, "ms",
              note="%d distinct queries, the first building the index; %s" % (QUERIES, no_search))
    table.add(prefix + "tag_info cold vs stock's text tags cold", [m["cold"] * 1000 for m in described],
              [m["cold"] * 1000 for m in stock_described], "ms",
              note="first answer on a fresh server; stock lists tags without descriptions")
    table.add(prefix + "tag_info warm p50 vs stock's text tags", [statistics.median(m["warm"]) * 1000 for m in described],
              [statistics.median(m["warm"]) * 1000 for m in stock_described], "ms",
              note="%d reloads: ours right after `tags`, on its listing, as the dashboard asks; stock's in a row"
              % TAG_INFO_REPEATS)
    table.add(prefix + "tag_info KB", [m["bytes"] / 1000 for m in described], None, "KB",
              note="every run's name once; the runs that differ counted, not listed")
    table.add(prefix + "a page of other_metadata p50", [statistics.median(m["page"]) * 1000 for m in described],
              None, "ms", note="20 other descriptions from the middle of the sweep")
