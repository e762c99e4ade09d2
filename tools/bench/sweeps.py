"""The sweeps case: logdirs shaped like hyperparameter sweeps, `sweep/lr<k>/seed<n>` runs (issue 11).

TensorBoard-X is measured in headless Chromium, as a user meets it; stock TensorBoard has no Greeter
dashboard, so it is measured at its text plugin's data route, on the same strings as text summaries.
"""

import os
import statistics
import time

from plugin_kit import sampling
from plugin_kit import series_plugin

from greeter_plugin import sweep_demo
from tools.bench import frontend
from tools.bench import logdirs
from tools.bench import servers

# name: (runs, steps, tags)
SHAPES = {"1000x200x3": (1000, 200, 3), "10000x5x1": (10000, 5, 1)}
# Both sides read event files with the fast loader (TensorBoard's Rust data server).
LOAD_FAST = "true"

TAG = sweep_demo.tag_name(0)
# Each side at its defaults (both keep a sample of 100 a tag) and asked to keep as many as
# servers.EQUAL_SAMPLES, every greeting of these sweeps: (TensorBoard-X's side, stock's side, which).
TENSORBOARD_X_SIDE = servers.Side("TensorBoard-X", [servers.TENSORBOARD_X], TAG, "greeter/greetings")
STOCK_AT_DEFAULTS_SIDE = servers.Side("stock TensorBoard at its defaults", servers.STOCK_TENSORBOARD, TAG, "text/text")
AT_DEFAULTS = (TENSORBOARD_X_SIDE, STOCK_AT_DEFAULTS_SIDE, "both at their defaults")
TENSORBOARD_X_AT_EQUAL_SAMPLING_SIDE = servers.Side(
    "TensorBoard-X at equal sampling", [servers.TENSORBOARD_X], TAG, "greeter/greetings",
    servers.TENSORBOARD_X_AT_EQUAL_SAMPLING_SIDE.extra_flags,
)
STOCK_AT_EQUAL_SAMPLING_SIDE = servers.Side(
    "stock TensorBoard at equal sampling", servers.STOCK_TENSORBOARD, TAG, "text/text", servers.STOCK_SIDE.extra_flags
)
AT_EQUAL_SAMPLING = (
    TENSORBOARD_X_AT_EQUAL_SAMPLING_SIDE,
    STOCK_AT_EQUAL_SAMPLING_SIDE,
    "both keeping %s a tag" % format(servers.EQUAL_SAMPLES, ","),
)
COMPARISONS = (AT_DEFAULTS, AT_EQUAL_SAMPLING)
# Distinct runs read once each, after the sweep is read: what a user paging through runs meets first.
COLD_READ_RUNS = 100


def write_logdirs(workdir, shape):
    """Writes the sweep `shape` once for each side; returns (Greeter logdir, text logdir)."""
    runs, steps, tags = SHAPES[shape]
    greeter_logdir = os.path.join(workdir, "sweep_" + shape, "greeter")
    text_logdir = os.path.join(workdir, "sweep_" + shape, "text")
    sweep_demo.write_sweep(greeter_logdir, runs, steps, tags)
    logdirs.write_text_sweep(text_logdir, runs, steps, tags)
    return greeter_logdir, text_logdir


def last_loaded_runs(runs):
    """The runs whose data marks a logdir as read: the middle one and the last by name."""
    return [sweep_demo.run_name(runs // 2), sweep_demo.run_name(runs - 1)]


def expected_entries(side, steps):
    """How many entries `side` answers for a run's tag once it has read all of it.

    Stock at its defaults keeps a reservoir sample of a size not worth restating here: any entry.
    """
    if side is STOCK_AT_DEFAULTS_SIDE:
        return 1
    if side is TENSORBOARD_X_SIDE:
        return min(steps, sampling.DEFAULT_SAMPLES_PER_TAG)
    return min(steps, servers.EQUAL_SAMPLES)


def measure_tensorboard_x(logdir, runs, steps):
    """A dict of TensorBoard-X's figures on one sweep with its dashboard open in Chromium.

    The navigation starts once the server answers /data/plugins_listing; the server runs until its
    last runs are served complete, so that the peak RSS covers reading the whole sweep.
    """
    server = servers.Server(TENSORBOARD_X_SIDE, logdir, LOAD_FAST)
    try:
        figures = frontend.measure_sweep(server.url)
        figures["launch to first"] = server.startup_seconds + figures["first"]
        server.wait_for_runs(last_loaded_runs(runs), expected_entries(TENSORBOARD_X_SIDE, steps))
    finally:
        peak = server.stop()
    figures["memory"] = peak
    return figures


def measure_route(side, logdir, runs, steps):
    """A dict of one side's figures on one sweep without a browser: launch to its first run's data
    route answering (with at least one entry), the median cold read of COLD_READ_RUNS runs asked for
    nothing before, and peak RSS until then."""
    server = servers.Server(side, logdir, LOAD_FAST)
    try:
        launch_to_first = server.wait_for_runs([sweep_demo.run_name(0)], 1)
        server.wait_for_runs(last_loaded_runs(runs), expected_entries(side, steps))
        # Runs that nothing asked for (the waits asked for run 0 and the last runs), once the listing
        # of runs reused from the waits has expired.
        time.sleep(series_plugin.CACHE_SECONDS)
        cold = server.cold_latencies(sweep_demo.run_name(run) for run in range(1, COLD_READ_RUNS + 1))
    finally:
        peak = server.stop()
    return {"launch to first": launch_to_first, "cold read": statistics.median(cold), "memory": peak}


def sweep_cases(table, workdir, shapes, repeats):
    """Adds the sweeps' rows to `table`: each shape written once, each side measured `repeats` times."""
    for shape in shapes:
        runs, steps, tags = SHAPES[shape]
        greeter_logdir, text_logdir = write_logdirs(workdir, shape)
        in_browser = []
        by_route = {side.name: [] for comparison in COMPARISONS for side in comparison[:2]}
        for _ in range(repeats):
            in_browser.append(measure_tensorboard_x(greeter_logdir, runs, steps))
            for ours, stock, _ in COMPARISONS:
                by_route[ours.name].append(measure_route(ours, greeter_logdir, runs, steps))
                by_route[stock.name].append(measure_route(stock, text_logdir, runs, steps))
        add_rows(table, shape, in_browser, by_route)


def add_rows(table, shape, in_browser, by_route):
    """The rows of one sweep shape, from the figures of each repeat.

    `in_browser`: TensorBoard-X at its defaults with the dashboard open; `by_route`: each side's
    figures without a browser, by side name.
    """
    runs, steps, tags = SHAPES[shape]
    prefix = "sweep %s runs x %s steps x %d tag(s): " % (format(runs, ","), format(steps, ","), tags)
    browser = "headless Chromium; navigation starts once /data/plugins_listing answers"
    table.add(prefix + "navigation to first greeting visible", [m["first"] for m in in_browser], None, "s", note=browser)
    table.add(
        prefix + "launch to first greeting visible", [m["launch to first"] for m in in_browser], None, "s", note=browser)
    switches = [m["switch"] * 1000 for m in in_browser if m["switch"] is not None]
    if switches:
        table.add(prefix + "page switch to next page's first greeting", switches, None, "ms", note=browser)
    else:
        table.add_missing(
            prefix + "page switch", "the dashboard has one page of cards for %d tag(s): nothing to switch" % tags)
    run_page_switches = [m["run page switch"] * 1000 for m in in_browser if m["run page switch"] is not None]
    if run_page_switches:
        table.add(
            prefix + "a card's switch to its next runs",
            run_page_switches,
            None,
            "ms",
            note="\"Next runs\" until the next page's first run shows a greeting (one card request)",
        )
    table.add(
        prefix + "a keystroke in the run filter",
        [keystroke * 1000 for m in in_browser for keystroke in m["run filter keystrokes"]],
        None,
        "ms",
        note="typing %r, each keystroke until the run list and cards update and paint (median of all)"
        % frontend.RUN_FILTER_TYPED,
    )
    table.add(
        prefix + "the run filter's slowest keystroke",
        [max(m["run filter keystrokes"]) * 1000 for m in in_browser],
        None,
        "ms",
        note="the slowest of each typing, median over repeats",
    )
    for kind, key in (("gzip, on the wire", "wire bytes"), ("decoded JSON", "json bytes")):
        table.add(
            prefix + "KB of Greeter data fetched before the first greeting, " + kind,
            [m[key] / 1000 for m in in_browser],
            None,
            "KB",
            note="/data/plugin/greeter/ answers received before it showed, as Chromium counted them",
        )
    stock_at_defaults = [m["memory"] / 2**20 for m in by_route[STOCK_AT_DEFAULTS_SIDE.name]]
    table.add(
        prefix + "peak RSS with the dashboard open vs stock, both at their defaults",
        [m["memory"] / 2**20 for m in in_browser],
        stock_at_defaults,
        "MiB",
        note="server + data server until the last runs are served; stock: no browser",
    )
    for ours, stock, which in COMPARISONS:
        table.add(
            prefix + "launch to first run's /greetings vs /text, " + which,
            [m["launch to first"] for m in by_route[ours.name]],
            [m["launch to first"] for m in by_route[stock.name]],
            "s",
            note="no browser: the data route answering the first run's tag",
        )
        table.add(
            prefix + "cold /greetings vs /text p50, " + which,
            [m["cold read"] * 1000 for m in by_route[ours.name]],
            [m["cold read"] * 1000 for m in by_route[stock.name]],
            "ms",
            note="%d distinct runs once each, nothing reused; each side answers what it keeps of %s steps"
            % (COLD_READ_RUNS, format(steps, ",")),
        )
        table.add(
            prefix + "peak RSS without a browser vs stock, " + which,
            [m["memory"] / 2**20 for m in by_route[ours.name]],
            [m["memory"] / 2**20 for m in by_route[stock.name]],
            "MiB",
            note="server + data server, reading the sweep, answering the data route's polls and cold reads",
        )
