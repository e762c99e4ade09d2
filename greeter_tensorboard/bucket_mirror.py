"""Reading an s3:// logdir: a local copy of its event files, kept in step with the bucket, that
TensorBoard's own loader reads.

Stock TensorBoard reads s3:// with its Python loader, one file after another through the stub
filesystem: every reload lists each run and reads each file again from where it stopped, and
nothing shows until the first pass has read every run. TensorBoard-X instead:

- lists the logdir's prefix once a reload (one request a thousand objects) and fetches the event
  files that are new or changed, `--s3_requests_in_flight` at a time (boto3's client is thread-safe
  and its network waits release the GIL), each into a local directory as soon as it arrives;
- reads an event file that grew from where its copy ends (a ranged GET), and an unchanged one
  (same size and ETag) not at all: a reload of an unchanged logdir costs its listing;
- removes from the copy the event files a whole listing no longer holds, so that a run deleted from
  the bucket leaves the dashboards as it would from a local logdir; a listing cut short removes nothing;
- gives the local directory to TensorBoard's loader, the fast (Rust) one where it runs, which parses
  in its own process and lists each run as soon as its file is copied. Plugins see TensorBoard's own
  data provider, and read other files (the projector's) at the s3:// logdir itself;
- keeps the copy across restarts with `--s3_cache_dir` (bucket_cache), where a restarted server
  reads only the files that changed while it was down;
- fails each object on its own: a run whose object is refused or vanishes gets a warning naming it,
  the others are copied; an endpoint that does not answer ends the reload after one request's
  timeouts, with one line, and the next reload tries again.
"""

import atexit
import concurrent.futures
import logging
import os
import shutil
import tempfile
import threading
import time
import typing

from tensorboard.compat.tensorflow_stub.io import gfile
from tensorboard.data import provider
from tensorboard.plugins import base_plugin
from tensorboard.plugins.projector import metadata as projector_metadata

from greeter_tensorboard import bucket_cache
from greeter_tensorboard import object_storage
from greeter_tensorboard import object_storage_config

logger = logging.getLogger(__name__)

DEFAULT_REQUESTS_IN_FLIGHT = 32
# Connections of the one boto3 client beside the copy's requests in flight: the plugins' own reads of
# the logdir (the projector looks for checkpoints in each run), as many as botocore's default pool.
_OTHER_CONNECTIONS = 10
# How often the fast loader looks at the local copy: a scan of a local directory in Rust, cheap beside
# a listing of the bucket, which happens every --reload_interval. Often, so that a run shows soon
# after its file arrives. The Python loader, whose reload of every run costs far more, keeps the flag's.
FAST_LOADER_RELOAD_SECONDS = 1
# TensorBoard's loaders read files whose names hold this (io_wrapper.IsTensorFlowEventsFile).
EVENT_FILE_MARK = "tfevents"
# Where a file is written before it is renamed into place, complete: no loader reads it half-written.
_INCOMING = ".incoming"
_CHUNK_BYTES = 1 << 20
# Keys a listing request asks for: S3's largest page.
LISTING_PAGE_KEYS = 1000
# Objects read before the server serves: its first runs. The reads are CPU-bound in boto3 and hold
# the GIL most of their time, so a thousand of them at start-up would slow the server's own start-up
# several times over (it builds every plugin in the same process); the rest wait until it serves.
READS_BEFORE_SERVING = 8
# How long those reads wait at most for the server: a start-up that long is not worth the wait.
SERVING_WAIT_SECONDS = 30
# The names of the files TensorBoard's projector looks for in each run and at the logdir: a checkpoint's
# index, and its config (also under a run's plugins/projector/).
PROJECTOR_FILE_NAMES = frozenset(["checkpoint", projector_metadata.PROJECTOR_FILENAME])


class BucketMirrorLoader(base_plugin.TBLoader):
    """Defines `--s3_requests_in_flight`; loads no plugin."""

    def define_flags(self, parser):
        parser.add_argument(
            "--s3_requests_in_flight",
            metavar="N",
            type=int,
            default=DEFAULT_REQUESTS_IN_FLIGHT,
            help="TensorBoard-X: at most this many requests to the store at once while it copies an s3:// "
            "logdir's event files (default: %(default)s).",
        )
        parser.add_argument(
            "--s3_cache_dir",
            metavar="DIR",
            default="",
            help="TensorBoard-X: keep the local copy of an s3:// logdir's event files in DIR across restarts, "
            "so that a restarted server reads only what changed while it was down (default: a temporary "
            "directory, removed at exit).",
        )

    def fix_flags(self, flags):
        if flags.s3_requests_in_flight < 1:
            raise base_plugin.FlagsError("--s3_requests_in_flight must be at least 1")


def pool_size(flags):
    """How many connections the one boto3 client keeps open: enough for every request in flight."""
    return flags.s3_requests_in_flight + _OTHER_CONNECTIONS


def is_event_file(key):
    """Whether TensorBoard's loaders read the object `key`."""
    return EVENT_FILE_MARK in key.rpartition("/")[2]


class _Copy(typing.NamedTuple):
    """What the local copy of one object holds: its size and the ETag of the object it was read from."""

    size: int
    etag: str


class BucketMirror:
    """Keeps the event files under an s3:// URL copied into `local_dir`, one `sync()` a reload."""

    def __init__(
        self, url, local_dir, storage, requests_in_flight=DEFAULT_REQUESTS_IN_FLIGHT, persistent=False, before_serving=False
    ):
        """`persistent`: `local_dir` outlives the process (bucket_cache); its copies are kept and recorded.

        `before_serving`: the server is starting; only its first runs are read until `serving()`."""
        self.url = url
        self.local_dir = local_dir
        self._storage = storage
        self._endpoint = object_storage_config.s3_endpoint_url()
        self._bucket, key = object_storage.split_s3_url(url)
        self._prefix = key.strip("/") + "/" if key.strip("/") else ""
        self._persistent = persistent
        self._copies = {}  # key -> _Copy
        if persistent:
            self._copies = {key: _Copy(*copy) for key, copy in bucket_cache.load(local_dir, url, self._local_path).items()}
        self._problems = {}  # run -> the problem last warned of
        self._unremovable = {}  # local path -> why its removal failed, last warned of
        self._executor = concurrent.futures.ThreadPoolExecutor(requests_in_flight, thread_name_prefix="bucket_mirror")
        # Set once a sync has listed everything and met no outage: the health route's readiness waits
        # for it, so that a replica whose store did not answer takes no traffic.
        self.first_sync_done = threading.Event()
        # Set once an event file is copied, or a first sync has ended without one.
        self.first_copy = threading.Event()
        # Until it is set, only READS_BEFORE_SERVING objects are read.
        self._serving = threading.Event()
        # Whether the last whole listing held a file the projector looks for; None before one.
        self._projector_files_listed = None
        if not before_serving:
            self._serving.set()
        incoming = os.path.join(local_dir, _INCOMING)
        shutil.rmtree(incoming, ignore_errors=True)  # What a process stopped mid-write left.
        os.makedirs(incoming)

    def sync(self):
        """Copies what is new or grown under the URL; returns how many objects it read.

        Reads start while the listing goes on, one page of a thousand objects at a time.
        """
        outage = threading.Event()
        reads = []
        listed_keys = set()
        listed_all = False
        try:
            pages = self._storage.client().get_paginator("list_objects_v2").paginate(
                Bucket=self._bucket, Prefix=self._prefix, PaginationConfig={"PageSize": LISTING_PAGE_KEYS}
            )
            for page in pages:
                for listed in page.get("Contents", []):
                    listed_keys.add(listed["Key"])
                    if self._needs_reading(listed):
                        held = len(reads) >= READS_BEFORE_SERVING and not self._serving.is_set()
                        reads.append(self._executor.submit(self._read, listed, outage, held))
            listed_all = True
            # Known as soon as the listing ends: the projector asks at start-up, before the reads end.
            self._projector_files_listed = any(key.rpartition("/")[2] in PROJECTOR_FILE_NAMES for key in listed_keys)
        except object_storage.REQUEST_FAILURES as e:
            outage.set()  # The reads not started yet wait for the next reload.
            logger.warning("Cannot list %s; serving what is loaded, trying again at the next reload: %s", self.url, self._describe(e))
        concurrent.futures.wait(reads)
        self.first_copy.set()
        done = sum(1 for read in reads if read.result())
        # Only a whole listing says what the bucket no longer holds: a cut one would delete the rest.
        removed = self._remove_unlisted(listed_keys) if listed_all else 0
        if (done or removed) and self._persistent:
            bucket_cache.save(self.local_dir, self.url, dict(self._copies))
        if listed_all and outage.is_set():
            logger.warning("%s stopped answering; %d of its event files wait for the next reload", self.url, len(reads) - done)
        if listed_all and not outage.is_set():
            self.first_sync_done.set()
        return done

    def lists_no_projector_files(self):
        """Whether the last whole listing of the URL held none of the files the projector looks for.

        The projector then has nothing to find there: its look, a few requests a run, can be spared.
        """
        return self._projector_files_listed is False

    def _remove_unlisted(self, listed_keys):
        """Deletes the copies of event files that `listed_keys` (a whole listing) lacks, and the run
        directories they leave empty; returns how many it deleted.

        Walks the local directory rather than the record: a kept copy may hold files a record lost.
        """
        removed = 0
        for directory, subdirectories, names in os.walk(self.local_dir):
            if directory == self.local_dir and _INCOMING in subdirectories:
                subdirectories.remove(_INCOMING)
            for name in names:
                path = os.path.join(directory, name)
                key = self._prefix + os.path.relpath(path, self.local_dir).replace(os.sep, "/")
                if is_event_file(name) and key not in listed_keys and self._remove(path):
                    self._remove_empty_directories(directory)
                    removed += 1
        for key in self._copies.keys() - listed_keys:
            del self._copies[key]
        if removed:
            logger.info("%d event files deleted from %s: their copies are removed", removed, self.url)
        return removed

    def _remove(self, path):
        """Deletes the copy at `path`; returns whether it did. A failure is one warning, the first time;
        the next whole listing tries again."""
        try:
            os.remove(path)
        except FileNotFoundError:
            pass  # Gone already: as good.
        except OSError as e:
            if self._unremovable.get(path) != e.strerror:
                self._unremovable[path] = e.strerror
                logger.warning("Cannot remove %s, whose object left %s; trying again at the next reload: %s", path, self.url, e.strerror)
            return False
        self._unremovable.pop(path, None)
        return True

    def _remove_empty_directories(self, directory):
        """Removes `directory` and its parents up to the copy's root while they are empty: the loaders
        drop a run whose directory is gone."""
        while directory != self.local_dir:
            try:
                os.rmdir(directory)
            except OSError:  # Not empty: another run, or event files below it.
                return
            directory = os.path.dirname(directory)

    def _needs_reading(self, listed):
        key = listed["Key"]
        if not is_event_file(key) or self._local_path(key) is None:
            return False
        copy = self._copies.get(key)
        return copy is None or copy.size != listed["Size"] or copy.etag != listed["ETag"]

    def _local_path(self, key):
        """Where `key`'s copy lives; None for a key that would leave the local directory."""
        relative = key[len(self._prefix) :]
        # A key that normalises to another (`run//a`, `run/./a`) would share that key's copy.
        if os.path.normpath(relative) != relative:
            return None
        if os.path.isabs(relative) or relative.split(os.sep)[0] in ("..", _INCOMING):
            return None
        return os.path.join(self.local_dir, relative)

    def _run_of(self, key):
        run = os.path.dirname(key[len(self._prefix) :])
        return run or "."

    def serving(self):
        """Says that the server serves: the reads held back since start-up go ahead."""
        self._serving.set()

    def _read(self, listed, outage, held=False):
        """Copies one object, or reads on from where its copy ends; returns whether it did.

        `held`: waits first until the server serves."""
        if held:
            self._serving.wait(SERVING_WAIT_SECONDS)
        if outage.is_set():
            return False
        key = listed["Key"]
        copy = self._copies.get(key)
        # Event files only grow: a larger object is the copy's bytes and more.
        grown = copy is not None and listed["Size"] > copy.size
        args = {"Bucket": self._bucket, "Key": key}
        if grown:
            args["Range"] = "bytes=%d-" % copy.size
        try:
            answer = self._storage.client().get_object(**args)
            if grown:
                size = copy.size + self._append(answer["Body"], self._local_path(key), copy.size)
            else:
                size = self._replace(answer["Body"], self._local_path(key))
        except object_storage.OUTAGES:
            outage.set()
            return False
        except object_storage.REQUEST_FAILURES as e:
            code = object_storage.refusal_code(e)
            if code in object_storage.PAST_THE_END:  # Smaller than its copy: written anew; read it whole next time.
                self._copies.pop(key, None)
            elif code in object_storage.MISSING:
                logger.info("%s vanished before it was read", key)
            else:
                self._warn(key, self._describe(e))
            return False
        except OSError as e:  # The local copy: a full disk, say.
            self._warn(key, "cannot write its copy: %s" % e)
            return False
        self._copies[key] = _Copy(size, answer["ETag"])
        self.first_copy.set()
        if self._problems.pop(self._run_of(key), None):
            logger.warning("Run %r of %s is read again", self._run_of(key), self.url)
        return True

    def _replace(self, body, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=os.path.join(self.local_dir, _INCOMING), delete=False) as incoming:
            try:
                size = self._write(body, incoming)
            except BaseException:
                incoming.close()
                os.unlink(incoming.name)
                raise
        os.replace(incoming.name, path)
        return size

    def _append(self, body, path, size):
        with open(path, "ab") as local:
            try:
                return self._write(body, local)
            except BaseException:
                local.truncate(size)  # The next reload reads on from the same byte.
                raise

    def _write(self, body, local):
        size = 0
        for chunk in body.iter_chunks(_CHUNK_BYTES):
            local.write(chunk)
            size += len(chunk)
        return size

    def _describe(self, error):
        return object_storage.describe_failure(error, self._endpoint, self._bucket)

    def _warn(self, key, problem):
        """Warns once of each new problem of a run: every reload meets it again until it is solved."""
        run = self._run_of(key)
        if self._problems.get(run) != problem:
            self._problems[run] = problem
            logger.warning("Cannot read run %r of %s; serving the others, trying again at each reload: %s", run, self.url, problem)

    def loader_flags(self, flags):
        """A copy of `flags` for TensorBoard's loader to read the local copy."""
        copied = type(flags)(**vars(flags))
        copied.logdir = self.local_dir
        if flags.load_fast != "false":
            copied.reload_interval = FAST_LOADER_RELOAD_SECONDS
        return copied

    def keep_in_step(self, reload_interval, synced=False):
        """Syncs every `reload_interval` seconds (once only if it is 0) in a daemon thread: the first
        time at once, or after one interval if the caller has just `synced`. Returns the thread."""

        def loop():
            wait = synced
            while True:
                if wait:
                    if reload_interval <= 0:
                        return
                    time.sleep(reload_interval)
                wait = True
                try:
                    self.sync()
                except Exception:  # pylint: disable=broad-except
                    # Whatever one reload meets, the copy must go on following the bucket.
                    logger.exception("Copying %s failed; trying again at the next reload", self.url)

        thread = threading.Thread(target=loop, name="bucket_mirror", daemon=True)
        thread.start()
        return thread


def start(flags):
    """Starts copying an s3:// `--logdir` into a new local directory; returns its BucketMirror.

    None when `--logdir` is not s3:// (or boto3 is missing: start-up has said so).
    """
    if not (flags.logdir and object_storage.is_s3(flags.logdir)) or object_storage.boto3 is None:
        return None
    return start_copy(flags, flags.logdir, for_the_fast_loader=flags.load_fast != "false")


def start_copy(flags, url, for_the_fast_loader):
    """Starts copying the event files under the s3:// `url` into a new local directory, as `flags` say
    (--s3_cache_dir, --reload_task, --reload_interval); returns its BucketMirror.

    `for_the_fast_loader`: returns once a first file is copied (or after a second), for its first scan.
    """
    persistent = False
    if flags.s3_cache_dir:
        local_dir = bucket_cache.copy_dir(flags.s3_cache_dir, url)
        persistent = bucket_cache.lock(local_dir)
        if not persistent:
            logger.warning("Another process uses %s: this one copies %s into a temporary directory", local_dir, url)
    if not persistent:
        local_dir = tempfile.mkdtemp(prefix="tensorboard-x-s3-")
        atexit.register(shutil.rmtree, local_dir, ignore_errors=True)
    storage = gfile.get_filesystem(url)
    blocking = flags.reload_task == "blocking"
    # A blocking first sync ends before anything serves: it holds nothing back.
    mirror = BucketMirror(url, local_dir, storage, flags.s3_requests_in_flight, persistent, before_serving=not blocking)
    if blocking:
        mirror.sync()  # The loader reads once before serving: the copy must be whole by then.
    mirror.keep_in_step(flags.reload_interval, synced=blocking)
    if for_the_fast_loader:
        # The fast loader scans the copy as it starts, then a second after each scan: a run copied
        # just after its first scan would wait that second to show. The first file takes a listing
        # and one GET; a store too slow for that costs this wait at most.
        mirror.first_copy.wait(FAST_LOADER_RELOAD_SECONDS)
    return mirror


def show_logdir_as_data_location(data_provider, logdir):
    """Makes `data_provider` name `logdir` as its data location (the dashboard shows it), not the copy."""
    read_metadata = data_provider.experiment_metadata

    def experiment_metadata(*args, **kwargs):
        metadata = read_metadata(*args, **kwargs)
        return provider.ExperimentMetadata(
            data_location=logdir,
            experiment_name=metadata.experiment_name,
            experiment_description=metadata.experiment_description,
            creation_time=metadata.creation_time,
        )

    data_provider.experiment_metadata = experiment_metadata
