"""The bucket case: the 1,000-run sweep read from SeaweedFS on loopback (issue 23).

Each side reads its sweep (the Greeter's, or the same strings as text summaries for stock) through a
proxy in front of the store that counts requests (tools/seaweedfs/proxy.py), once as it is and once
with 20 ms added to each request, as a store across a network waits before its first byte.
"""

import contextlib
import json
import os
import time

from tools.bench import servers
from tools.bench import sweeps
from tools.seaweedfs import proxy

SHAPE = "1000x200x3"
BUCKET = "sweeps"
DELAYED_SECONDS = 0.02
# Once every run is served, the requests of an unchanged sweep are counted for this long: two
# reloads at TensorBoard's default --reload_interval of 5 s.
UNCHANGED_WINDOW_SECONDS = 10
POLL_SECONDS = 0.05
TIMEOUT_SECONDS = 600

# Each side at its defaults; s3:// is read as each side chooses (--load_fast=auto).
SIDES = (
    (sweeps.TENSORBOARD_X_SIDE, "greeter", "greeter/tags"),
    (servers.Side("stock TensorBoard without TensorFlow", servers.STOCK_WITHOUT_TENSORFLOW, sweeps.TAG, "text/text"),
     "text", "text/tags"),
)
# Stock at its defaults keeps this many texts a tag with its Python loader, which reads s3://; the
# Greeter keeps 100 greetings a tag by default.
STOCK_TEXTS_A_TAG = 10
# TensorBoard-X keeping as many entries a tag as stock: the same work, for the peak RSS; measured
# once, without the delay.
EQUAL_WORK_SIDE = servers.Side(
    "TensorBoard-X keeping %d greetings a tag" % STOCK_TEXTS_A_TAG,
    [servers.TENSORBOARD_X],
    sweeps.TAG,
    "greeter/greetings",
    ["--samples_per_plugin=greeter=%d" % STOCK_TEXTS_A_TAG],
)


@contextlib.contextmanager
def _endpoint(host):
    """The store's endpoint for servers started in the block: a URL, which stock's boto3 needs."""
    before = os.environ.get("S3_ENDPOINT")
    os.environ["S3_ENDPOINT"] = "http://" + host
    try:
        yield
    finally:
        os.environ["S3_ENDPOINT"] = before


def _json(url):
    # Stock's /data/runs reads each run's first event, through the store, before it answers.
    status, body = servers.get(url, timeout=TIMEOUT_SECONDS)
    return json.loads(body) if status == 200 else None


def _wait_until_served(server, tags_route, runs, deadline):
    """{"first", "all"}: seconds from launch until /data/runs lists a run, and until the tags route
    lists all `runs` ("all" None past `deadline`, monotonic).

    Each is taken when its answer arrives: stock answers nothing while its reload holds the GIL.
    """
    figures = {}
    while "all" not in figures:
        if time.monotonic() > deadline:
            return {"first": figures.get("first"), "all": None}  # Said in its row.
        if "first" not in figures and _json(server.url + "data/runs"):
            figures["first"] = server.seconds_since_launch()
        served = _json(server.url + "data/plugin/" + tags_route) or {}
        if len(served) == runs:
            figures["all"] = server.seconds_since_launch()
            figures.setdefault("first", figures["all"])
        time.sleep(POLL_SECONDS)
    return figures


def _is_object_read(request):
    return request.method == "GET" and "tfevents" in request.path


def measure(store, side, prefix, tags_route, runs, delay_seconds, count_unchanged):
    """A dict of one side's figures reading s3://BUCKET/prefix through a proxy delaying each request."""
    with proxy.CountingProxy(store.endpoint_host, delay_seconds) as counting, _endpoint(counting.endpoint_host):
        server = servers.Server(side, "s3://%s/%s" % (BUCKET, prefix), "auto")
        figures = {}
        try:
            figures.update(_wait_until_served(server, tags_route, runs, time.monotonic() + TIMEOUT_SECONDS))
            if count_unchanged and figures["all"] is not None:
                # What the first pass still reads once every run shows is not a reload's cost.
                time.sleep(UNCHANGED_WINDOW_SECONDS / 2)
                counting.clear()
                time.sleep(UNCHANGED_WINDOW_SECONDS)
                requests = counting.requests()
                figures["unchanged requests"] = len(requests)
                figures["unchanged reads"] = sum(1 for request in requests if _is_object_read(request))
                figures["unchanged listings"] = sum(1 for request in requests if request.lists_prefix(prefix))
        finally:
            figures["memory"] = server.stop()
    return figures


def bucket_cases(table, workdir, store, repeats):
    """Adds the bucket case's rows to `table`: the sweep written and uploaded once, each side
    measured `repeats` times as it is and with each request delayed."""
    runs, _, _ = sweeps.SHAPES[SHAPE]
    greeter_logdir, text_logdir = sweeps.write_logdirs(workdir, SHAPE)
    store.upload(greeter_logdir, BUCKET, "greeter")
    store.upload(text_logdir, BUCKET, "text")
    figures = {(side.name, delay): [] for side, _, _ in SIDES for delay in (0, DELAYED_SECONDS)}
    figures[EQUAL_WORK_SIDE.name, 0] = []
    measured = [(delay, side, prefix, tags_route) for delay in (0, DELAYED_SECONDS) for side, prefix, tags_route in SIDES]
    measured.append((0, EQUAL_WORK_SIDE, SIDES[0][1], SIDES[0][2]))
    for _ in range(repeats):
        for delay, side, prefix, tags_route in measured:
            # Every side read without a delay stays through the unchanged window: their peak RSS
            # covers the same span, whichever is compared with stock.
            figures[side.name, delay].append(measure(store, side, prefix, tags_route, runs, delay, not delay))
            print("%s, %g s added to each request: %s" % (side.name, delay, figures[side.name, delay][-1]), flush=True)
    stock = SIDES[1][0].name
    prefix = "bucket, sweep %s runs x 200 steps x 3 tags in SeaweedFS on loopback: " % format(runs, ",")

    def add(case, key, delay, unit, scale=1, note="", ours=SIDES[0][0].name):
        ours_values = [m[key] * scale for m in figures[ours, delay] if m.get(key) is not None]
        stock_values = [m[key] * scale for m in figures[stock, delay] if m.get(key) is not None]
        if len(stock_values) < len(figures[stock, delay]):
            note = "stock did not serve every run within %d s%s" % (TIMEOUT_SECONDS, "; " + note if note else "")
        if not ours_values:
            table.add_missing(prefix + case, "TensorBoard-X did not serve every run within %d s" % TIMEOUT_SECONDS)
            return
        # A count of none on stock's side has no ratio.
        table.add(prefix + case, ours_values, stock_values if any(stock_values) else None, unit, note=note)

    add("launch to first run in /data/runs", "first", 0, "s")
    add("launch to every run's tags served", "all", 0, "s", note="/data/plugin/greeter/tags vs text/tags")
    add("the same, 20 ms added to each request", "all", DELAYED_SECONDS, "s", note="a delaying proxy")
    add(
        "event files read again in %d s of an unchanged sweep" % UNCHANGED_WINDOW_SECONDS,
        "unchanged reads",
        0,
        "",
        note="GETs of event objects at the store, once every run is served",
    )
    add("listings of the whole logdir in the same %d s" % UNCHANGED_WINDOW_SECONDS, "unchanged listings", 0, "")
    add(
        "requests to the store in the same %d s" % UNCHANGED_WINDOW_SECONDS,
        "unchanged requests",
        0,
        "",
        note="all of them: the projector also looks for checkpoints in each run",
    )
    add(
        "peak RSS, server + data server",
        "memory",
        0,
        "MiB",
        scale=1 / 2**20,
        note="both at their defaults: 100 greetings a tag vs %d texts" % STOCK_TEXTS_A_TAG,
    )
    add(
        "the same, at equal work",
        "memory",
        0,
        "MiB",
        scale=1 / 2**20,
        note="TensorBoard-X with --samples_per_plugin=greeter=%d" % STOCK_TEXTS_A_TAG,
        ours=EQUAL_WORK_SIDE.name,
    )
