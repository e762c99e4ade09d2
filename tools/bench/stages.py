"""The stages case: where a cold read of one run's 1,000 greetings goes (issue 11).

The Greeter's read path is timed stage by stage in one process, under the fast loader with
TensorBoard-X's start-up fixes (its tensor conversion, Nagle's algorithm off on the data server),
each stage on runs that the Greeter was not asked for before (the wait until the data server holds
every greeting reads each run once through the data provider, as the servers case's wait does):

- the data provider's `read_tensors`: the data server's answer over gRPC, decoded, tensors converted;
- that data as the greetings the route answers (`GreeterPlugin.rows_json`);
- `json.dumps` of them and encoding: the cost of writing the JSON itself, the floor of a read;
- the whole `/greetings` route in-process (werkzeug's test client, no socket);
- the whole route over HTTP on loopback, asked for without gzip, as the servers case asks.

Stock TensorBoard has no Greeter to take apart: the servers case compares its cold /text with these.
"""

import json
import os
import statistics
import time

from tensorboard import context as tb_context
from tensorboard.data import provider

from greeter_plugin import metadata
from greeter_plugin import plugin_testing
from greeter_tensorboard import data_server_sockets
from greeter_tensorboard import tensor_conversion
from tools.bench import logdirs
from tools.bench import servers

GREETINGS = 1000
# Distinct runs for each way of reading: the provider's stages, the route in-process, over HTTP.
# Each repeat's data server holds its 150,000 greetings (about 110 MB) until the bench ends: the
# data provider that plugin_testing returns does not stop it.
RUNS_PER_WAY = 50

READ = "the data provider's read_tensors (gRPC, decoding, tensor conversion)"
TO_GREETINGS = "the data as greetings (GreeterPlugin.rows_json)"
TO_JSON = "json.dumps and encoding: the JSON itself"
IN_PROCESS = "the whole /greetings route in-process (no socket)"
OVER_HTTP = "the whole /greetings route over HTTP on loopback"
STAGES = (READ, TO_GREETINGS, TO_JSON, IN_PROCESS, OVER_HTTP)


def _timed(function, *args):
    """(seconds `function(*args)` took, its value)."""
    started = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - started, value


def _read_tensors(data_provider, run):
    by_run = data_provider.read_tensors(
        tb_context.RequestContext(),
        experiment_id="",
        plugin_name=metadata.PLUGIN_NAME,
        downsample=GREETINGS,
        run_tag_filter=provider.RunTagFilter(runs=[run], tags=[logdirs.GREETER_TAG]),
    )
    return by_run[run][logdirs.GREETER_TAG]


def _route_path(run):
    return "data/plugin/greeter/greetings?run=%s&tag=%s" % (run, logdirs.GREETER_TAG)


def _get_in_process(client, run):
    response = client.get("/" + _route_path(run))
    if response.status_code != 200:
        raise RuntimeError("the Greeter answered %d to %s" % (response.status_code, run))
    return response.get_data()


def _get_over_http(url, run):
    status, body = servers.get(url + _route_path(run))
    if status != 200:
        raise RuntimeError("the Greeter answered %d to %s" % (status, run))
    return body


def measure(workdir):
    """{stage: [seconds of each run's cold read]}, the stages of STAGES."""
    logdir = os.path.join(workdir, "stages")
    runs = [logdirs.run_name(run) for run in range(3 * RUNS_PER_WAY)]
    logdirs.write_logdir(logdir, len(runs), GREETINGS)
    tensor_conversion.install()
    flags = plugin_testing.tensorboard_flags(logdir, "--samples_per_plugin=greeter=0")
    data_provider = plugin_testing.start_data_provider(flags, "fast")
    data_server_sockets.disable_nagle(data_server_sockets.data_server_port(data_provider))
    plugin_testing.wait_for_greetings(data_provider, len(runs) * GREETINGS, timeout_seconds=600)
    app = plugin_testing.greeter_app(flags, data_provider)
    seconds = {stage: [] for stage in STAGES}
    for run in runs[:RUNS_PER_WAY]:
        read, data = _timed(_read_tensors, data_provider, run)
        to_greetings, greetings = _timed(plugin_testing.greeter(flags, data_provider).rows_json, data)
        to_json, _ = _timed(lambda: json.dumps(greetings).encode())
        for stage, stage_seconds in ((READ, read), (TO_GREETINGS, to_greetings), (TO_JSON, to_json)):
            seconds[stage].append(stage_seconds)
    client = plugin_testing.greeter_client(flags, data_provider)
    seconds[IN_PROCESS] = [_timed(_get_in_process, client, run)[0] for run in runs[RUNS_PER_WAY:2 * RUNS_PER_WAY]]
    with plugin_testing.serve_http(app) as url:
        seconds[OVER_HTTP] = [_timed(_get_over_http, url, run)[0] for run in runs[2 * RUNS_PER_WAY:]]
    return seconds


def stage_cases(table, workdir, repeats):
    """Adds a row per stage to `table`: the median over repeats of each repeat's p50, in ms."""
    medians = {stage: [] for stage in STAGES}
    for repeat in range(repeats):
        for stage, stage_seconds in measure(os.path.join(workdir, str(repeat))).items():
            medians[stage].append(statistics.median(stage_seconds) * 1000)
    for stage in STAGES:
        table.add(
            "cold read of one run's %s greetings, stage: %s" % (format(GREETINGS, ","), stage),
            medians[stage],
            None,
            "ms",
            note="fast loader, in one process; %d distinct runs a way of reading" % RUNS_PER_WAY,
        )
