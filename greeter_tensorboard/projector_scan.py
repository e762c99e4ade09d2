"""The projector's look for embeddings: after a page's own first requests, and once per reload.

TensorBoard's projector says whether it has anything to show by looking for checkpoints and
projector configs in every run's directory. Each `/data/plugins_listing` starts such a look while it
has found none: on a sweep of 10,000 runs, 20,000 file look-ups (requests to the store on s3://)
each time a page opens, sharing the server's CPU with that page's own requests. TensorBoard-X starts
the look a little after it is asked for, and at most once per reload interval. What the page sees
is unchanged: TensorBoard answers "not active" while a look runs, and the page asks again at its
next reload. An s3:// logdir whose last listing held none of the files the projector looks for is not
looked at at all: the look would only ask the store for each run's files again.
"""

import threading
import time

from tensorboard.plugins.projector import projector_plugin

# How long after a page asks the look starts: the page's first requests are answered by then.
DELAY_SECONDS = 2.0


def install(reload_interval_seconds, nothing_to_find=lambda logdir: False):
    """Makes TensorBoard's projector look for embeddings as this module says.

    Args:
      reload_interval_seconds: TensorBoard's --reload_interval: no look starts sooner after another.
      nothing_to_find: Called with the projector's logdir when a look is due; True if it is known to
        hold none of the files the projector looks for, and the look is not needed.
    """
    looks_now = projector_plugin.ProjectorPlugin.is_active  # TensorBoard's own: a look, in a thread.
    lock = threading.Lock()

    def look_unless_nothing_to_find(plugin):
        # Asked when the look is due, not when the page asked: at start-up the first listing of an
        # s3:// logdir may not have ended when TensorBoard first asks.
        if not nothing_to_find(plugin.logdir):
            looks_now(plugin)

    def is_active(plugin):
        if plugin._is_active:
            return True
        with lock:
            now = time.monotonic()
            if now < getattr(plugin, "_next_look", 0.0):
                return False
            plugin._next_look = now + DELAY_SECONDS + reload_interval_seconds
        look = threading.Timer(DELAY_SECONDS, look_unless_nothing_to_find, [plugin])
        look.daemon = True
        look.start()
        return False

    projector_plugin.ProjectorPlugin.is_active = is_active
