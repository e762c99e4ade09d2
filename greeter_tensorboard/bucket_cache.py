"""A local copy of an s3:// logdir that outlives the process (`--s3_cache_dir`): a restarted replica
reads only the event files that changed while it was down.

The copy's directory holds, beside the event files, a record of what each copy holds (the object's
size and ETag when it was read), written after each reload that changed the copy. At start-up a copy
whose size on disk differs from its record (a process stopped mid-write) is read again whole.
One process at a time uses a cache directory's copy of a logdir (a lock file says so): another one,
on the same machine and directory, copies into a temporary directory instead.
"""

import fcntl
import hashlib
import json
import logging
import os
import re
import tempfile

logger = logging.getLogger(__name__)

# The names of the record and of the lock in a copy's directory; neither holds "tfevents", so
# TensorBoard's loaders pass them by, and no event file of the bucket can take their place.
_RECORD = ".tensorboard-x-copies.json"
_LOCK = ".tensorboard-x-lock"
_RECORD_VERSION = 1


def copy_dir(cache_dir, url):
    """Where the copy of the logdir `url` lives in `cache_dir`: a readable name, and a digest of
    the URL that keeps logdirs whose readable names collide apart."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", url.split("://", 1)[-1]).strip("_")[:100]
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]
    return os.path.join(cache_dir, "%s-%s" % (readable, digest))


def lock(directory):
    """Takes `directory`'s lock for this process's life; returns whether it was free.

    The lock file stays open (and so locked) until the process exits, however it exits.
    """
    os.makedirs(directory, exist_ok=True)
    handle = open(os.path.join(directory, _LOCK), "a")  # pylint: disable=consider-using-with
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return False
    _held_locks.append(handle)
    return True


_held_locks = []


def load(directory, url, local_path):
    """The record of the copies in `directory` of `url`'s objects, as {key: (size, ETag)}, keeping
    only copies whose file (at `local_path(key)`) still has the recorded size."""
    try:
        with open(os.path.join(directory, _RECORD)) as f:
            record = json.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        logger.warning("Cannot read the record of %s's copy in %s, reading its event files again: %s", url, directory, e)
        return {}
    if record.get("version") != _RECORD_VERSION or record.get("url") != url:
        return {}
    kept = {}
    for key, (size, etag) in record.get("copies", {}).items():
        path = local_path(key)
        try:
            if path is not None and os.path.getsize(path) == size:
                kept[key] = (size, etag)
        except OSError:  # Deleted from the cache: read it again.
            continue
    return kept


def save(directory, url, copies):
    """Records `copies` ({key: (size, ETag)}) of `url`'s objects in `directory`, replacing the record
    at once: a process stopped while saving leaves the previous record."""
    record = {"version": _RECORD_VERSION, "url": url, "copies": copies}
    with tempfile.NamedTemporaryFile("w", dir=directory, prefix=_RECORD, delete=False) as f:
        json.dump(record, f, separators=(",", ":"))
    os.replace(f.name, os.path.join(directory, _RECORD))
