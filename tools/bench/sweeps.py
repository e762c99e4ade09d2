"""The sweeps case: logdirs shaped like hyperparameter sweeps, `sweep/lr<k>/seed<n>` runs (issue 11).

TensorBoard-X is measured in headless Chromium, as a user meets it; stock TensorBoard has no Greeter
dashboard, so it is measured at its text plugin's data route, on the same strings as text summaries.
"""

import os

from greeter_plugin import plugin
from greeter_plugin import sweep_demo
from tools.bench import frontend
from tools.bench import logdirs
from tools.bench import servers

# name: (runs, steps, tags)
SHAPES = {"1000x200x3": (1000, 200, 3), "10000x5x1": (10000, 5, 1)}
# Both sides read event files with the fast loader (TensorBoard's Rust data server).
LOAD_FAST = "true"

TAG = sweep_demo.tag_name(0)
TENSORBOARD_X_SIDE = servers.Side("TensorBoard-X", [servers.TENSORBOARD_X], TAG, "greeter/greetings")
STOCK_AT_DEFAULTS_SIDE = servers.Side("stock TensorBoard at its defaults", servers.STOCK_TENSORBOARD, TAG, "text/text")
STOCK_AT_EQUAL_SAMPLING_SIDE = servers.Side(
    "stock TensorBoard at equal sampling",
    servers.STOCK_TENSORBOARD,
    TAG,
    "text/text",
    servers.STOCK_SIDE.extra_flags,
)
STOCK_SIDES = (STOCK_AT_DEFAULTS_SIDE, STOCK_AT_EQUAL_SAMPLING_SIDE)


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
    return min(steps, plugin.DEFAULT_SAMPLES_PER_TAG)


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
    route answering (with at least one entry), and peak RSS until its last runs are served."""
    server = servers.Server(side, logdir, LOAD_FAST)
    try:
        launch_to_first = server.wait_for_runs([sweep_demo.run_name(0)], 1)
        server.wait_for_runs(last_loaded_runs(runs), expected_entries(side, steps))
    finally:
        peak = server.stop()
    return {"launch to first": launch_to_first, "memory": peak}


def sweep_cases(table, workdir, shapes, repeats):
    """Adds the sweeps' rows to `table`: each shape written once, each side measured `repeats` times."""
    for shape in shapes:
        runs, steps, tags = SHAPES[shape]
        greeter_logdir, text_logdir = write_logdirs(workdir, shape)
        in_browser, by_route, stock = [], [], {side.name: [] for side in STOCK_SIDES}
        for _ in range(repeats):
            in_browser.append(measure_tensorboard_x(greeter_logdir, runs, steps))
            by_route.append(measure_route(TENSORBOARD_X_SIDE, greeter_logdir, runs, steps))
            for side in STOCK_SIDES:
                stock[side.name].append(measure_route(side, text_logdir, runs, steps))
        add_rows(table, shape, in_browser, by_route, stock)


def add_rows(table, shape, in_browser, by_route, stock):
    """The rows of one sweep shape, from the figures of each repeat."""
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
    for kind, key in (("gzip, on the wire", "wire bytes"), ("decoded JSON", "json bytes")):
        table.add(
            prefix + "KB of Greeter data fetched before the first greeting, " + kind,
            [m[key] / 1000 for m in in_browser],
            None,
            "KB",
            note="/data/plugin/greeter/ answers received before it showed, as Chromium counted them",
        )
    for side in STOCK_SIDES:
        which = "defaults" if side is STOCK_AT_DEFAULTS_SIDE else " ".join(side.extra_flags)
        stock_figures = stock[side.name]
        table.add(
            prefix + "launch to first run's /greetings vs /text, stock at " + which,
            [m["launch to first"] for m in by_route],
            [m["launch to first"] for m in stock_figures],
            "s",
            note="no browser: the data route answering the first run's tag",
        )
        table.add(
            prefix + "peak RSS with the dashboard open vs stock at " + which,
            [m["memory"] / 2**20 for m in in_browser],
            [m["memory"] / 2**20 for m in stock_figures],
            "MiB",
            note="server + data server until the last runs are served; stock: no browser",
        )
        table.add(
            prefix + "peak RSS without a browser vs stock at " + which,
            [m["memory"] / 2**20 for m in by_route],
            [m["memory"] / 2**20 for m in stock_figures],
            "MiB",
            note="server + data server, reading the sweep and answering the data route's polls",
        )
