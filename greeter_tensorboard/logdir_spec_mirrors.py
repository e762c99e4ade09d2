"""The s3:// parts of a `--logdir_spec`, read as an s3:// `--logdir` is: from local copies (bucket_mirror).

TensorBoard reads a --logdir_spec with its Python loader (the fast loader reads none). TensorBoard-X
gives that loader a spec whose s3:// parts are local copies of their event files, each kept in step
with its bucket: a reload lists each part once and fetches what changed, where the loader alone would
list each run and read each file again through the bucket.
"""

from tensorboard.backend.event_processing import data_ingester

from greeter_tensorboard import bucket_mirror
from greeter_tensorboard import object_storage


class _AllSet:
    """Set once every one of `events` is (the health route's readiness asks `is_set()`)."""

    def __init__(self, events):
        self._events = events

    def is_set(self):
        return all(event.is_set() for event in self._events)


class SpecMirrors:
    """The copies of the s3:// parts of one --logdir_spec, by URL."""

    def __init__(self, parts, mirrors):
        """`parts` {path: name} of the parsed spec; `mirrors` {s3:// path: BucketMirror}."""
        self._parts = parts
        self.mirrors = mirrors
        self.first_sync_done = _AllSet([mirror.first_sync_done for mirror in mirrors.values()])

    def loader_flags(self, flags):
        """A copy of `flags` whose --logdir_spec names the copies instead of the s3:// parts."""
        parts = []
        for path, name in self._parts.items():
            path = self.mirrors[path].local_dir if path in self.mirrors else path
            parts.append("%s:%s" % (name, path) if name else path)
        copied = type(flags)(**vars(flags))
        copied.logdir_spec = ",".join(parts)
        return copied

    def serving(self):
        """Says that the server serves: each copy's reads held back since start-up go ahead."""
        for mirror in self.mirrors.values():
            mirror.serving()


def start(flags):
    """Starts copying each s3:// part of `--logdir_spec`; returns their SpecMirrors.

    None without a --logdir_spec (--logdir wins over it, as in TensorBoard) or s3:// parts in it.
    """
    if flags.logdir or not flags.logdir_spec or object_storage.boto3 is None:
        return None
    parts = data_ingester._parse_event_files_spec(flags.logdir_spec)  # pylint: disable=protected-access
    urls = [path for path in parts if object_storage.is_s3(path)]
    if not urls:
        return None
    return SpecMirrors(parts, {url: bucket_mirror.start_copy(flags, url, for_the_fast_loader=False) for url in urls})
