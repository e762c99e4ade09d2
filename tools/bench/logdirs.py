"""The benchmark's data: the same greetings written as Greeter summaries and as text summaries."""

import os

from tensorboard.compat.proto import event_pb2
from tensorboard.plugins.text import summary_v2 as text_summary
from tensorboard.summary.writer import event_file_writer

from greeter_plugin import summary

GREETER_TAG = "greetings"
TEXT_TAG = "greetings_as_text"


def guest(run, step):
    return "guest %d of run %d" % (step, run)


def run_name(run):
    return "run_%03d" % run


def write_logdir(logdir, runs, greetings_per_run):
    """Writes `runs` runs, each with `greetings_per_run` steps of one greeting and the same text."""
    for run in range(runs):
        writer = event_file_writer.EventFileWriter(os.path.join(logdir, run_name(run)))
        for step in range(greetings_per_run):
            text = summary.greeting_text(guest(run, step))
            greeting = summary.pb(GREETER_TAG, guest(run, step))
            as_text = text_summary.text_pb(TEXT_TAG, text)
            greeting.value.extend(as_text.value)
            writer.add_event(event_pb2.Event(step=step, wall_time=1.7e9 + step, summary=greeting))
        writer.close()
