"""Logdirs in object storage (s3://, and S3-compatible stores such as MinIO, Ceph, R2, SeaweedFS).

TensorBoard reads s3:// without TensorFlow through its stub filesystem, which calls boto3. TensorBoard-X
replaces that filesystem with a subclass that:

- reads the variables TensorFlow's S3 filesystem reads (`S3_ENDPOINT` as `host:port`, which boto3
  refuses, `S3_USE_HTTPS`, `S3_VERIFY_SSL`...; object_storage_config);
- keeps one boto3 client, where the stub builds a client for every call (tens of milliseconds each,
  once per file per reload);
- reads a logdir at a bucket's root (`s3://bucket`), where the stub fails to split the path;
- turns every storage failure into one `StorageError` (an `OSError`) that names the problem: the
  Python loader skips a run that raises an `OSError` and tries again on its next reload, so an
  endpoint that goes away costs new data, never what was loaded.

gs:// and other schemes go through the stub's fsspec filesystem (gcsfs for gs://), or the Rust data
server, which reads gs:// itself.
"""

import threading

from tensorboard.compat.tensorflow_stub import compat
from tensorboard.compat.tensorflow_stub.io import gfile

from greeter_tensorboard import object_storage_config

try:
    import boto3
    import botocore.config
    import botocore.exceptions

    # What a request to the store can raise: refusals (ClientError), transport failures
    # (BotoCoreError) and botocore's ValueError for an endpoint it cannot use.
    REQUEST_FAILURES = (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, ValueError)
    # The failures that mean the endpoint is away, not that one object is unreadable.
    OUTAGES = (
        botocore.exceptions.EndpointConnectionError,
        botocore.exceptions.ConnectTimeoutError,
        botocore.exceptions.ReadTimeoutError,
        botocore.exceptions.ConnectionClosedError,
    )
except ImportError:  # TensorBoard-X without boto3 serves every logdir but s3:// ones.
    boto3 = None
    REQUEST_FAILURES = OUTAGES = ()

S3_SCHEME = "s3://"

# Without an answer within these, a request is tried once more (two attempts in all), then the reload
# gives up and says why in one line; it tries again at the next reload rather than hanging for
# boto3's default minutes. The read timeout bounds each wait for the socket, not a whole object: a
# large event file streams on as long as bytes keep arriving. So a reload against an endpoint that
# accepts and never answers ends within 2 x 10 s and a retry's backoff (at most 1 s); one that never
# accepts, 2 x 5 s.
_CONNECT_TIMEOUT_SECONDS = 5
_READ_TIMEOUT_SECONDS = 10
_ATTEMPTS = 2


# The codes of a refusal (refusal_code) that say the object is not there, or has no byte at the range's start.
MISSING = ("404", "NoSuchKey")
PAST_THE_END = ("416", "InvalidRange")


def refusal_code(error):
    """The store's code for a request it refused ("NoSuchKey", "403"...); None for any other failure."""
    if not isinstance(error, botocore.exceptions.ClientError):
        return None
    return str(error.response.get("Error", {}).get("Code", ""))


class StorageError(OSError):
    """Object storage refused or failed a request; the message names the problem in one line."""


def is_s3(path):
    """Whether `path` is an s3:// URL."""
    return path.startswith(S3_SCHEME)


def split_s3_url(url):
    """`s3://bucket/some/key` -> ("bucket", "some/key"); a bucket's root has the key "".

    TensorBoard's loader hands some paths over as bytes.
    """
    bucket, _, key = compat.as_str_any(url)[len(S3_SCHEME) :].partition("/")
    return bucket, key


def describe_failure(error, endpoint, bucket):
    """One line that names what went wrong between TensorBoard-X and the store, for a user to act on."""
    where = "the S3 endpoint %s" % (endpoint or "of AWS")
    if isinstance(error, botocore.exceptions.ClientError):
        code = refusal_code(error)
        if code in ("NoSuchBucket", "404"):
            return "bucket %r does not exist at %s" % (bucket, where)
        if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AuthorizationHeaderMalformed"):
            return "%s refused the credentials for bucket %r (%s): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" % (
                where,
                bucket,
                code,
            )
        if code in ("AccessDenied", "403"):
            # The credentials are right, their permissions are not: serving needs a listing of the
            # logdir's prefix and reads below it, nothing more (no s3:ListBucket on the whole bucket).
            return "%s denied these credentials access to bucket %r (%s): %s" % (
                where,
                bucket,
                code,
                "they need to list the logdir's prefix and read the keys below it",
            )
        return "%s answered %s for bucket %r" % (where, code or "an error", bucket)
    if isinstance(error, botocore.exceptions.NoCredentialsError):
        return "no credentials for %s: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)" % where
    if isinstance(error, botocore.exceptions.SSLError):
        return "%s failed TLS (%s): for a certificate of your own CA, set S3_CA_FILE to the CA's certificate (or S3_VERIFY_SSL=0)" % (
            where,
            error.kwargs.get("error", error),
        )
    if isinstance(error, (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectTimeoutError)):
        return "%s does not answer (is S3_ENDPOINT right, and the store up?)" % where
    if isinstance(error, botocore.exceptions.ReadTimeoutError):
        return "%s accepted the connection but did not answer within %d s, %d times" % (where, _READ_TIMEOUT_SECONDS, _ATTEMPTS)
    if isinstance(error, ValueError):  # botocore's "Invalid endpoint", among others.
        return "cannot use %s: %s" % (where, error)
    return "%s failed: %s" % (where, error)


class S3Storage(gfile.S3FileSystem):
    """TensorBoard's stub S3 filesystem with one client, bucket roots and errors that say what failed."""

    def __init__(self, environ=None, max_pool_connections=10):
        super().__init__()
        self._client_arguments = object_storage_config.s3_client_arguments(environ)
        self._s3_endpoint = self._client_arguments.get("endpoint_url")
        # As many connections as requests in flight (bucket_mirror); 10 is botocore's default.
        self._max_pool_connections = max_pool_connections
        self._client = None
        self._client_lock = threading.Lock()

    def client(self):
        """The one boto3 client (thread-safe, unlike boto3's resources), made on first use."""
        with self._client_lock:
            if self._client is None:
                config = botocore.config.Config(
                    connect_timeout=_CONNECT_TIMEOUT_SECONDS,
                    read_timeout=_READ_TIMEOUT_SECONDS,
                    # botocore's max_attempts counts retries only (3 attempts for 2); total_max_attempts, all.
                    retries={"mode": "standard", "total_max_attempts": _ATTEMPTS},
                    max_pool_connections=self._max_pool_connections,
                )
                self._client = boto3.session.Session().client("s3", config=config, **self._client_arguments)
                if self._client_arguments.get("verify") is False:
                    object_storage_config.say_once_that_tls_is_unverified(self._s3_endpoint)
            return self._client

    def bucket_and_path(self, url):
        return split_s3_url(url)

    def _failure(self, error, url):
        bucket, _ = split_s3_url(url)
        return StorageError(describe_failure(error, self._s3_endpoint, bucket))

    def _call(self, url, method, **kwargs):
        try:
            return getattr(self.client(), method)(**kwargs)
        except REQUEST_FAILURES as e:
            raise self._failure(e, url) from e

    def _list(self, url, prefix, delimiter=None):
        """Every page of a listing under `prefix`, as (common prefixes, keys)."""
        bucket, _ = split_s3_url(url)
        prefixes, keys = [], []
        args = {"Bucket": bucket, "Prefix": prefix}
        if delimiter:
            args["Delimiter"] = delimiter
        try:
            for page in self.client().get_paginator("list_objects_v2").paginate(**args):
                prefixes.extend(p["Prefix"] for p in page.get("CommonPrefixes", []))
                keys.extend(o["Key"] for o in page.get("Contents", []))
        except REQUEST_FAILURES as e:
            raise self._failure(e, url) from e
        return prefixes, keys

    def exists(self, filename):
        """Whether `filename` is an object (that very key) or a directory (keys below `filename/`).

        One listing of the bare key answers both where the credentials may list it. A policy scoped
        to the logdir's `prefix/*` refuses that listing for the logdir itself: then the directory is
        asked with its "/", and the object by its head.
        """
        if not split_s3_url(filename)[1]:
            return self._bucket_exists(filename)
        try:
            return self._object_or_directory_listed(filename)
        except StorageError as e:
            if refusal_code(e.__cause__) not in ("AccessDenied", "403"):
                raise
        page = self._first_entry_below(filename)
        if page.get("Contents") or page.get("CommonPrefixes"):
            return True
        try:
            self.stat(filename)
        except gfile.errors.NotFoundError:
            return False
        return True

    def _object_or_directory_listed(self, url):
        """Whether a listing of `url`'s key with the delimiter "/" names the key or `key/`.

        The listing is sorted: `key` comes first, then keys such as `key-1` and `key.json`, then
        `key/`. The first page (a thousand names) holds the answer unless that many keys precede `key/`.
        """
        bucket, key = split_s3_url(url)
        key = key.rstrip("/")
        directory = key + "/"
        try:
            for page in self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key, Delimiter="/"):
                names = [o["Key"] for o in page.get("Contents", [])] + [p["Prefix"] for p in page.get("CommonPrefixes", [])]
                if key in names or directory in names:
                    return True
                if any(name > directory for name in names):
                    return False
        except REQUEST_FAILURES as e:
            raise self._failure(e, url) from e
        return False

    def _bucket_exists(self, url):
        try:
            self.check_logdir(url)
        except StorageError as e:
            if refusal_code(e.__cause__) == "NoSuchBucket":
                return False
            raise
        return True

    def _first_entry_below(self, url):
        """The listing of the directory `url` cut to its first entry: one request, however many it holds."""
        bucket, _ = split_s3_url(url)
        return self._call(url, "list_objects_v2", Bucket=bucket, Prefix=self._directory_prefix(url), Delimiter="/", MaxKeys=1)

    def check_logdir(self, url):
        """Raises a `StorageError` unless these credentials may list the logdir `url` in its bucket.

        A listing of the logdir's own prefix is what serving it needs; `head_bucket` would need
        `s3:ListBucket` on the whole bucket, which a least-privilege policy does not grant.
        """
        self._first_entry_below(url)

    def isdir(self, dirname):
        _, key = split_s3_url(dirname)
        if not key:
            return self._bucket_exists(dirname)
        prefixes, keys = self._list(dirname, key.rstrip("/") + "/", "/")
        return bool(prefixes or keys)

    def _directory_prefix(self, dirname):
        _, key = split_s3_url(dirname)
        return key.rstrip("/") + "/" if key else ""

    def listdir(self, dirname):
        prefix = self._directory_prefix(dirname)
        prefixes, keys = self._list(dirname, prefix, "/")
        return [p[len(prefix) : -1] for p in prefixes] + [k[len(prefix) :] for k in keys if k != prefix]

    def glob(self, filename):
        # As the stub: only "dir/*", which TensorBoard's run discovery asks for, listing every key
        # below `dir` in one recursive listing; deeper patterns find nothing more.
        if "?" in filename:
            raise NotImplementedError("%s not supported by compat glob" % filename)
        if filename.find("*") != len(filename) - 1:
            return []
        directory = filename[:-1]
        bucket, prefix = split_s3_url(directory)
        _, keys = self._list(directory, prefix)
        return ["%s%s/%s" % (S3_SCHEME, bucket, key) for key in keys if key != prefix]

    def stat(self, filename):
        bucket, key = split_s3_url(filename)
        try:
            head = self.client().head_object(Bucket=bucket, Key=key)
        except botocore.exceptions.ClientError as e:
            if refusal_code(e) in MISSING:
                raise gfile.errors.NotFoundError(None, None, "Could not find file %s" % filename)
            raise self._failure(e, filename) from e
        except REQUEST_FAILURES as e:
            raise self._failure(e, filename) from e
        return gfile.StatData(head["ContentLength"])

    def read(self, filename, binary_mode=False, size=None, continue_from=None):
        bucket, key = split_s3_url(filename)
        offset = (continue_from or {}).get("byte_offset", 0)
        args = {"Bucket": bucket, "Key": key}
        if size is not None:
            args["Range"] = "bytes=%d-%d" % (offset, offset + size - 1)
        elif offset:
            args["Range"] = "bytes=%d-" % offset
        try:
            data = self.client().get_object(**args)["Body"].read()
        except botocore.exceptions.ClientError as e:
            if refusal_code(e) not in PAST_THE_END:
                raise self._failure(e, filename) from e
            data = b""  # Nothing past the end yet: a file still being written, read again later.
        except REQUEST_FAILURES as e:
            raise self._failure(e, filename) from e
        token = {"byte_offset": offset + len(data)}
        return (data, token) if binary_mode else (data.decode("utf-8"), token)


def install(environ=None, max_pool_connections=10):
    """Makes TensorBoard's stub read s3:// through `S3Storage`; returns whether boto3 is there."""
    if boto3 is None:
        return False
    gfile.register_filesystem("s3", S3Storage(environ, max_pool_connections))
    return True


def first_problem(paths):
    """One line naming why the first unreadable s3:// logdir in `paths` cannot be read, or None.

    Checked once at start-up, so that a missing bucket, refused credentials or an endpoint that does
    not answer end TensorBoard-X with that line rather than an empty dashboard.
    """
    for path in paths:
        if not is_s3(path):
            continue
        if boto3 is None:
            return "%s needs boto3: pip install boto3" % path
        try:
            gfile.get_filesystem(path).check_logdir(path)
        except StorageError as e:
            return "cannot read %s: %s" % (path, e)
    return None
