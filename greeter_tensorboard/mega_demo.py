"""Writes a logdir that fills every dashboard of TensorBoard-X, the Greeter's and the standard ones.

    bazel run //greeter_tensorboard:mega_demo [-- --logdir DIR]

The Greeter's demo (greeter_demo) comes first. Its runs named like hyperparameter sets
("lr=0.1,batch=32") then also get those hyperparameters, loss and accuracy scalars and a weights
histogram, so the HParams dashboard relates them; one more run holds images and Markdown text. That
fills Scalars, Histograms, Distributions, Images, Text, HParams and Time Series, in a few seconds.
Running it again replaces its own runs and leaves anything else in DIR alone. Like the Greeter's
demo it writes only into a new or empty directory, or one it wrote before, unless `--overwrite`.
"""

import os
import shutil
import sys

from absl import app
from absl import flags
import numpy as np

from greeter_plugin import greeter_demo

DEFAULT_LOGDIR = "/tmp/greeter_demo"
TRAINING_RUNS = greeter_demo.HYPERPARAMETER_RUNS
SAMPLES_RUN = "images_and_text"
RUNS = greeter_demo.RUNS + (SAMPLES_RUN,)
STEPS = 20
IMAGE_STEPS = 3
IMAGE_SIZE = 32


def hyperparameters(run):
    """The hyperparameters a training run's name spells: "lr=0.1,batch=32" -> {"lr": 0.1, "batch": 32}."""
    values = dict(item.split("=") for item in run.split(","))
    return {"lr": float(values["lr"]), "batch": int(values["batch"])}


def write_training_run(run_dir, hparams, seed):
    """Adds hyperparameters, `loss` and `accuracy` scalars and a `weights` histogram to a run."""
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

    rng = np.random.default_rng(seed)
    writer = tf.summary.create_file_writer(run_dir)
    with writer.as_default():
        hp.hparams(hparams, trial_id=os.path.basename(run_dir))
        for step in range(STEPS):
            # Bigger learning rates and batches learn faster here, so the runs tell apart.
            loss = 1.0 / (1.0 + hparams["lr"] * hparams["batch"] * step / 8) + 0.02 * rng.random()
            tf.summary.scalar("loss", loss, step=step)
            tf.summary.scalar("accuracy", 1.0 - loss / 2, step=step)
            tf.summary.histogram("weights", rng.normal(hparams["lr"] * step, 1.0, size=200), step=step)
    writer.close()


def write_samples_run(run_dir):
    """Writes a run of colour-gradient images and Markdown text notes, a few steps of each."""
    import tensorflow as tf

    ramp = np.linspace(0.0, 1.0, IMAGE_SIZE, dtype=np.float32)
    red, green = np.meshgrid(ramp, ramp)
    table = "| run | lr | batch |\n|---|---|---|\n" + "\n".join(
        "| {run} | {lr} | {batch} |".format(run=run, **hyperparameters(run)) for run in TRAINING_RUNS
    )
    writer = tf.summary.create_file_writer(run_dir)
    with writer.as_default():
        for step in range(IMAGE_STEPS):
            blue = np.full_like(red, step / (IMAGE_STEPS - 1))
            tf.summary.image("gradient", np.stack([red, green, blue], axis=-1)[np.newaxis], step=step)
            tf.summary.text("notes", "**Step %d.** The training runs:\n\n%s" % (step, table), step=step)
    writer.close()


def write_mega_demo(logdir, overwrite=False):
    """Writes the mega demo's runs into `logdir`, replacing any it wrote before; returns their names.

    Raises:
      greeter_demo.LogdirNotOursError: `logdir` holds files the demo did not write, and `overwrite`
        is False (see `greeter_demo.claim_logdir`).
    """
    greeter_demo.write_demo(logdir, overwrite)
    for index, run in enumerate(TRAINING_RUNS):
        write_training_run(os.path.join(logdir, run), hyperparameters(run), seed=index)
    shutil.rmtree(os.path.join(logdir, SAMPLES_RUN), ignore_errors=True)
    write_samples_run(os.path.join(logdir, SAMPLES_RUN))
    return RUNS


def main(argv):
    if len(argv) > 1:
        raise app.UsageError("Unexpected arguments: %s" % " ".join(argv[1:]))
    logdir = greeter_demo.caller_path(flags.FLAGS.logdir)
    try:
        runs = write_mega_demo(logdir, flags.FLAGS.overwrite)
    except greeter_demo.LogdirNotOursError as e:
        sys.exit("mega_demo: %s" % e)
    print("Wrote the mega demo's %d runs to %s" % (len(runs), logdir))
    print("View them: bazel run //greeter_tensorboard -- --logdir=%s" % logdir)


if __name__ == "__main__":
    # Defined here, not on import, so that importing the demo leaves TensorBoard's --logdir alone.
    flags.DEFINE_string("logdir", DEFAULT_LOGDIR, "Directory to write the demo's runs into.")
    flags.DEFINE_bool(
        "overwrite", False, "Write into a directory the demo did not write, replacing runs named as its own."
    )
    app.run(main)
