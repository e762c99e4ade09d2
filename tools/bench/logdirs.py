"""The benchmark's data: the same greetings written as Greeter summaries and as text summaries."""

import os

from tensorboard.compat.proto import event_pb2
from tensorboard.plugins.text import summary_v2 as text_summary
from tensorboard.summary.writer import event_file_writer
from tensorboard.summary.writer import record_writer

from greeter_plugin import summary
from greeter_plugin import sweep_demo

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


def write_text_sweep(logdir, runs, steps, tags):
    """What `sweep_demo.write_sweep` writes, with each greeting's text as a text summary instead.

    For stock TensorBoard, which has no Greeter: the same runs, tags, steps and strings. Written as
    records directly, as the sweep demo does, so that thousands of runs take seconds.
    """
    for run_index in range(runs):
        run_dir = os.path.join(logdir, *sweep_demo.run_name(run_index).split("/"))
        os.makedirs(run_dir)
        with open(os.path.join(run_dir, "events.out.tfevents.%d.text" % sweep_demo.WALL_TIME_START), "wb") as f:
            writer = record_writer.RecordWriter(f)
            writer.write(event_pb2.Event(
                wall_time=sweep_demo.WALL_TIME_START, file_version="brain.Event:2").SerializeToString())
            for step in range(steps):
                event = event_pb2.Event(step=step, wall_time=sweep_demo.WALL_TIME_START + step)
                text = summary.greeting_text(sweep_demo.guest(run_index, step))
                for tag_index in range(tags):
                    event.summary.value.extend(text_summary.text_pb(sweep_demo.tag_name(tag_index), text).value)
                writer.write(event.SerializeToString())
