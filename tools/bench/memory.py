"""The memory case: what one kept greeting costs the fast loader's data server and the Python loader.

TensorBoard-X reads a sweep of RUNS runs of one tag at two sizes; once every run
is served complete, and the answers read while waiting have expired, it takes the resident memory of
the process that keeps the greetings: the data server (fast loader) or the server itself (Python
loader, which reads in the server's process). The cost of a greeting is the difference between the
two sizes over the difference in greetings, so that what every server holds cancels out.
"""

import os
import time

import psutil

from plugin_kit import series_plugin

from greeter_plugin import sweep_demo
from tools.bench import servers
from tools.bench import sweeps

RUNS = 100
# Greetings a run at the two sizes; TensorBoard-X is asked to keep servers.EQUAL_SAMPLES a tag, so all are kept.
STEPS = (500, 1000)
SETTLE_SECONDS = 1.0


def keeper_rss(server, load_fast):
    """RSS in bytes of the process that keeps the greetings: the data server, or the server."""
    process = psutil.Process(server.pid)
    if load_fast == "true":
        children = process.children(recursive=True)
        if len(children) != 1:
            raise RuntimeError("expected one data server process, found %d" % len(children))
        process = children[0]
    return process.memory_info().rss


def resident_bytes(logdir, runs, steps, load_fast):
    """RSS of the greetings' keeper once TensorBoard-X serves `runs` runs of `steps` greetings."""
    server = servers.Server(sweeps.TENSORBOARD_X_AT_EQUAL_SAMPLING_SIDE, logdir, load_fast)
    try:
        run_names = [sweep_demo.run_name(run) for run in range(runs)]
        server.wait_for_runs(run_names, steps)
        # The one-second reuse keeps the answers read while waiting until the next answer is stored.
        time.sleep(series_plugin.CACHE_SECONDS + SETTLE_SECONDS)
        server.wait_for_runs(run_names[:1], steps)
        return keeper_rss(server, load_fast)
    finally:
        server.stop()


def memory_cases(table, workdir, loaders, repeats):
    """Adds, for each loader, the RSS of the greetings' keeper at two sizes and the cost a greeting."""
    for steps in STEPS:
        sweep_demo.write_sweep(os.path.join(workdir, "memory", str(steps)), RUNS, steps, tags=1)
    for loader, load_fast in loaders:
        keeper = "data server" if load_fast == "true" else "server (Python loader)"
        resident = {steps: [] for steps in STEPS}
        for _ in range(repeats):
            for steps in STEPS:
                logdir = os.path.join(workdir, "memory", str(steps))
                resident[steps].append(resident_bytes(logdir, RUNS, steps, load_fast))
        for steps in STEPS:
            table.add(
                "memory, %s loader: RSS of the %s, %s greetings kept" % (loader, keeper, format(RUNS * steps, ",")),
                [value / 2**20 for value in resident[steps]],
                None,
                "MiB",
            )
        small, large = STEPS
        per_greeting = [
            (big - little) / (RUNS * (large - small)) for little, big in zip(resident[small], resident[large])
        ]
        table.add(
            "memory, %s loader: RSS of the %s per kept greeting" % (loader, keeper),
            [value / 1000 for value in per_greeting],
            None,
            "KB",
            note="(RSS at %s - RSS at %s) / %s greetings" % (
                format(RUNS * large, ","), format(RUNS * small, ","), format(RUNS * (large - small), ",")),
        )
