"""Benchmarks TensorBoard-X and the Greeter against stock TensorBoard and its text plugin.

    bazel run //tools/bench -- [--sizes small,large] [--loaders fast,python] [--repeats 3] \
        [--cases servers,writing,frontend,sweeps,memory,stages,bounds,search,bucket] [--shapes 1000x200x3,10000x5x1] \
        [--markdown BENCHMARKS.md [--section NAME]]

`--loaders s3` serves the logdir from a SeaweedFS S3 server on loopback (tools/seaweedfs), against
stock TensorBoard without TensorFlow, the one stock setup that reads s3://; so does `--cases bucket`,
the 1,000-run sweep in SeaweedFS.

Each case runs both sides on the same data, alternating them, and reports medians and the ratio
(TensorBoard-X / stock: below 1 is better for times and memory, above 1 for rates).
"""

import argparse
import datetime
import os
import platform
import shlex
import statistics
import contextlib
import sys
import tempfile
import time

import psutil

from plugin_kit import series_plugin

from greeter_plugin import plugin
from tools.bench import bounds
from tools.bench import bucket
from tools.bench import frontend
from tools.bench import logdirs
from tools.bench import memory
from tools.bench import search_bounds
from tools.bench import servers
from tools.bench import stages
from tools.bench import sweeps
from tools.bench import writing
from tools.seaweedfs import seaweedfs

SIZES = {"small": (10, 100), "large": (100, 1000)}
# --load_fast for each; s3:// with each side's choice: stock's Python loader, TensorBoard-X's fast
# loader on its copy of the event files (greeter_tensorboard/bucket_mirror.py).
LOADERS = {"fast": "true", "python": "false", "s3": "auto"}
CASES = ("servers", "writing", "frontend", "sweeps", "memory", "stages", "bounds", "search", "bucket")
# What runs without --cases: the sweeps, memory, stages, bounds, search and bucket cases take minutes
# more, and are run on their own.
DEFAULT_CASES = ("servers", "writing", "frontend")
S3_BUCKET = "bench"
LATENCY_REQUESTS = 60


class Table:
    """Rows of (case, TensorBoard-X, stock, ratio), printed as they come and kept for Markdown."""

    def __init__(self):
        self.rows = []

    def add(self, case, ours, stock, unit, higher_is_better=False, note=""):
        """Adds the medians of `ours` and `stock` (None: stock has no such thing) and their ratio."""
        ours_value = statistics.median(ours)
        if stock is None:
            stock_text, ratio_text = "n/a", ""
        else:
            stock_value = statistics.median(stock)
            stock_text, ratio_text = "%.3g %s" % (stock_value, unit), "%.2fx" % (ours_value / stock_value)
        note = note or ("higher is better" if higher_is_better else "")
        row = (case, "%.3g %s" % (ours_value, unit), stock_text, ratio_text, note)
        self.rows.append(row)
        print("%-58s %14s %14s %8s %s" % row, flush=True)

    def add_missing(self, case, note):
        """Adds a row for a case that could not be measured, saying why in `note`."""
        row = (case, "n/a", "n/a", "", note)
        self.rows.append(row)
        print("%-58s %14s %14s %8s %s" % row, flush=True)

    def markdown(self):
        lines = ["| case | TensorBoard-X | stock | ratio | |", "| --- | ---: | ---: | ---: | --- |"]
        lines += ["| %s | %s | %s | %s | %s |" % row for row in self.rows]
        return "\n".join(lines)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def server_cases(table, size, logdir, loader, repeats):
    runs, greetings = SIZES[size]
    stock_side = servers.STOCK_WITHOUT_TENSORFLOW_SIDE if loader == "s3" else servers.STOCK_SIDE
    results = {side.name: {} for side in (servers.TENSORBOARD_X_AT_EQUAL_SAMPLING_SIDE, stock_side)}
    for _ in range(repeats):
        for side in (servers.TENSORBOARD_X_AT_EQUAL_SAMPLING_SIDE, stock_side):
            measured = results[side.name]
            server = servers.Server(side, logdir, LOADERS[loader])
            try:
                measured.setdefault("startup", []).append(server.startup_seconds)
                measured.setdefault("all data", []).append(server.wait_for_all_data(runs, greetings))
                # Cold reads first, once the answers read while waiting have expired: each run once.
                time.sleep(series_plugin.CACHE_SECONDS)
                cold = server.cold_latencies(logdirs.run_name(run) for run in range(runs))
                measured.setdefault("cold p50", []).append(percentile(cold, 0.5))
                run = logdirs.run_name(0)
                for clients in (1, 16):
                    latencies = server.latencies(run, clients, max(1, LATENCY_REQUESTS // clients))
                    measured.setdefault("p50 %d" % clients, []).append(percentile(latencies, 0.5))
                    measured.setdefault("p99 %d" % clients, []).append(percentile(latencies, 0.99))
            finally:
                measured.setdefault("memory", []).append(server.stop() / 2**20)
    ours, stock = results[servers.TENSORBOARD_X_AT_EQUAL_SAMPLING_SIDE.name], results[stock_side.name]
    prefix = "%s, %s: " % (size, "s3://" if loader == "s3" else loader + " loader")
    table.add(prefix + "start-up to /data/plugins_listing", ours["startup"], stock["startup"], "s")
    table.add(prefix + "launch to all data served", ours["all data"], stock["all data"], "s")
    table.add(
        prefix + "cold /greetings vs /text p50, each run once",
        [v * 1000 for v in ours["cold p50"]],
        [v * 1000 for v in stock["cold p50"]],
        "ms",
        note="%d distinct runs, nothing reused" % runs,
    )
    for clients in (1, 16):
        for stat in ("p50", "p99"):
            key = "%s %d" % (stat, clients)
            ms_ours = [v * 1000 for v in ours[key]]
            ms_stock = [v * 1000 for v in stock[key]]
            table.add(prefix + "/greetings vs /text %s, %d client(s)" % (stat, clients), ms_ours, ms_stock, "ms")
    table.add(prefix + "peak RSS, server + data server", ours["memory"], stock["memory"], "MiB")


def writing_cases(table, workdir, repeats, count=2000):
    pb, tf2 = ([], []), ([], [])
    for repeat in range(repeats):
        for rates, measure in ((pb, writing.pb_rates), (tf2, writing.tf2_rates)):
            greeter, text = measure(os.path.join(workdir, "writing", str(repeat)), count)
            rates[0].append(greeter)
            rates[1].append(text)
    table.add("writing: pb + event writer vs text_pb", pb[0], pb[1], "/s", higher_is_better=True)
    table.add("writing: TF2 greeting vs tf.summary.text", tf2[0], tf2[1], "/s", higher_is_better=True)


def frontend_cases(table, workdir, repeats, runs=100):
    logdir = os.path.join(workdir, "frontend")
    frontend.write_logdir(logdir, runs)
    first, switch = [], []
    for _ in range(repeats):
        server = servers.Server(servers.TENSORBOARD_X_AT_EQUAL_SAMPLING_SIDE, logdir, "true")
        try:
            seconds_first, seconds_switch = frontend.measure(server.url)
        finally:
            server.stop()
        first.append(seconds_first)
        switch.append(seconds_switch * 1000)
    note = "%d tags of %d greetings in each run; stock has no Greeter dashboard" % (
        frontend.TAGS, frontend.GREETINGS_PER_TAG)
    prefix = "frontend, %d runs: " % runs
    table.add(prefix + "navigation to first greeting visible", first, None, "s", note=note)
    table.add(prefix + "page switch to next page's first greeting", switch, None, "ms", note=note)


BEGIN_MARK = "<!-- bench: begin; written by bazel run //tools/bench -- --markdown ... -->"
END_MARK = "<!-- bench: end -->"


def marks(name=""):
    """The comments around the section `name` of BENCHMARKS.md ("" for the main one)."""
    if not name:
        return BEGIN_MARK, END_MARK
    return BEGIN_MARK.replace("bench:", "bench %s:" % name), END_MARK.replace("bench:", "bench %s:" % name)


def write_markdown(path, section, name=""):
    """Puts `section` between the marks of section `name` in the Markdown file at `path`, keeping the rest."""
    begin_mark, end_mark = marks(name)
    before, after = "", ""
    if os.path.exists(path):
        with open(path) as existing:
            text = existing.read()
        if begin_mark in text and end_mark in text:
            before = text[: text.index(begin_mark)]
            after = text[text.index(end_mark) + len(end_mark):]
        else:
            before = text + "\n"
    with open(path, "w") as output:
        output.write("%s%s\n%s\n%s%s" % (before, begin_mark, section, end_mark, after or "\n"))


def machine():
    return "%s, %d cores, %.0f GiB, Python %s" % (
        platform.platform(), psutil.cpu_count(), psutil.virtual_memory().total / 2**30, platform.python_version())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="small,large", help="comma-separated, of %s" % ", ".join(SIZES))
    parser.add_argument("--loaders", default="fast,python", help="comma-separated, of %s" % ", ".join(LOADERS))
    parser.add_argument("--repeats", type=int, default=3, help="runs of each case on each side")
    parser.add_argument("--cases", default=",".join(DEFAULT_CASES), help="comma-separated, of %s" % ", ".join(CASES))
    parser.add_argument(
        "--shapes", default=",".join(sweeps.SHAPES), help="of the sweeps case, comma-separated, of %s" % ", ".join(sweeps.SHAPES))
    parser.add_argument("--markdown", help="also write the table as Markdown to this file")
    parser.add_argument("--section", default="", help="the named section of --markdown to rewrite")
    args = parser.parse_args(argv)
    sizes = args.sizes.split(",")
    loaders = args.loaders.split(",")
    cases = args.cases.split(",")
    shapes = args.shapes.split(",")
    for name, chosen, known in (
        ("size", sizes, SIZES), ("loader", loaders, LOADERS), ("case", cases, CASES), ("shape", shapes, sweeps.SHAPES)
    ):
        unknown = [value for value in chosen if value not in known]
        if unknown:
            parser.error("unknown %s %s; expected %s" % (name, ", ".join(unknown), ", ".join(known)))
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    table = Table()
    with tempfile.TemporaryDirectory(prefix="greeter_bench_") as workdir, contextlib.ExitStack() as stack:
        if "s3" in loaders and "servers" in cases:
            store_dir = os.path.join(workdir, "seaweedfs")
            os.makedirs(store_dir)
            store = stack.enter_context(seaweedfs.running(store_dir))
            # What both sides' servers read. Stock's boto3 takes the endpoint only as a URL.
            os.environ.update(store.environment(S3_ENDPOINT=store.endpoint_url))
        for size in sizes if "servers" in cases else ():
            logdir = os.path.join(workdir, size)
            logdirs.write_logdir(logdir, *SIZES[size])
            for loader in loaders:
                if loader == "s3":
                    store.upload(logdir, S3_BUCKET, size)
                    logdir_read = "s3://%s/%s" % (S3_BUCKET, size)
                else:
                    logdir_read = logdir
                server_cases(table, size, logdir_read, loader, args.repeats)
        if "writing" in cases:
            writing_cases(table, workdir, args.repeats)
        if "frontend" in cases:
            frontend_cases(table, workdir, args.repeats)
        if "sweeps" in cases:
            sweeps.sweep_cases(table, workdir, shapes, args.repeats)
        if "stages" in cases:
            stages.stage_cases(table, workdir, args.repeats)
        if "bounds" in cases:
            bounds.bounds_cases(table, workdir, args.repeats)
        if "search" in cases:
            search_bounds.bound_cases(table, workdir, args.repeats)
        if "bucket" in cases:
            bucket_dir = os.path.join(workdir, "bucket_seaweedfs")
            os.makedirs(bucket_dir)
            with seaweedfs.running(bucket_dir) as bucket_store:
                # Both sides' credentials; each measurement sets the endpoint (its proxy).
                os.environ.update(bucket_store.environment())
                bucket.bucket_cases(table, workdir, bucket_store, args.repeats)
        if "memory" in cases:
            local_loaders = [(loader, LOADERS[loader]) for loader in loaders if loader != "s3"]
            memory.memory_cases(table, workdir, local_loaders, args.repeats)
    if args.markdown:
        path = os.path.join(os.environ.get("BUILD_WORKING_DIRECTORY", ""), args.markdown)
        command = " ".join(["bazel run //tools/bench --"] + [shlex.quote(arg) for arg in sys.argv[1:]])
        write_markdown(path, "\n".join([
            "Measured %s with `%s`" % (datetime.date.today().isoformat(), command),
            "on %s." % machine(),
            "",
            table.markdown(),
        ]), args.section)
        print("Wrote %s" % path)


if __name__ == "__main__":
    main()
