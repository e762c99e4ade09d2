"""How TensorBoard-X reaches object storage: the variables TensorFlow users set, read as TensorFlow reads them.

TensorFlow's S3 filesystem (tensorflow-io's `s3_filesystem.cc`) reads `S3_ENDPOINT`, `S3_USE_HTTPS`,
`S3_VERIFY_SSL`, `S3_CA_FILE`, `S3_CA_PATH`, `AWS_REGION` (`S3_REGION` before it),
`S3_CONNECT_TIMEOUT_MSEC`, `S3_REQUEST_TIMEOUT_MSEC` and its multi-part and logging settings.
TensorBoard's stub reads only `S3_ENDPOINT`, as a URL, and boto3 reads none of them but
`AWS_CA_BUNDLE` and `AWS_DEFAULT_REGION`: this module turns the ones that apply to reading into
boto3's arguments. README.md lists the ones it leaves out, and why.

gcsfs reads `STORAGE_EMULATOR_HOST` itself; TensorBoard's Rust data server does not (it calls Google's
endpoint), so a gs:// logdir in an emulator goes to the Python loader.
"""

import logging
import os
import warnings

GCS_SCHEME = "gs://"


def _environment(environ):
    return os.environ if environ is None else environ


def _is_off(value):
    # As TensorFlow: a value that starts with "0" is off; "false" and "no" too, as a user would expect.
    value = value.strip().lower()
    return value.startswith("0") or value in ("false", "no")


def s3_endpoint_url(environ=None):
    """The endpoint that `S3_ENDPOINT` names, as a URL boto3 accepts; None for AWS itself.

    TensorFlow's S3 filesystem takes `host:port` and chooses the scheme by `S3_USE_HTTPS` (default
    on); boto3 takes a URL. Both spellings work here.
    """
    environ = _environment(environ)
    endpoint = environ.get("S3_ENDPOINT", "").strip()
    if not endpoint:
        return None
    if "://" in endpoint:
        return endpoint
    use_https = not _is_off(environ.get("S3_USE_HTTPS", "1"))
    return ("https://" if use_https else "http://") + endpoint


def s3_verify(environ=None):
    """boto3's `verify`: False for `S3_VERIFY_SSL=0`, else the CA file or directory that `S3_CA_FILE` or
    `S3_CA_PATH` names, else None (boto3 then takes `AWS_CA_BUNDLE`, or its own CA bundle)."""
    environ = _environment(environ)
    if _is_off(environ.get("S3_VERIFY_SSL", "1")):
        return False
    return environ.get("S3_CA_FILE") or environ.get("S3_CA_PATH") or None


def say_once_that_tls_is_unverified(endpoint_url):
    """Logs one line where urllib3 would warn at every request to an endpoint whose certificate is
    not verified (`S3_VERIFY_SSL=0`)."""
    warnings.filterwarnings("ignore", message="Unverified HTTPS request")
    logging.getLogger(__name__).warning(
        "Not verifying the certificate of the S3 endpoint %s (S3_VERIFY_SSL=0).", endpoint_url or "of AWS"
    )


def s3_region(environ=None):
    """The region from `AWS_REGION`, or TensorFlow's older `S3_REGION`; None leaves it to boto3
    (`AWS_DEFAULT_REGION`, `~/.aws/config`)."""
    environ = _environment(environ)
    return environ.get("AWS_REGION") or environ.get("S3_REGION") or None


def s3_client_arguments(environ=None):
    """The keyword arguments of boto3's `client("s3", ...)` that the environment sets."""
    arguments = {
        "endpoint_url": s3_endpoint_url(environ),
        "region_name": s3_region(environ),
        "verify": s3_verify(environ),
    }
    return {name: value for name, value in arguments.items() if value is not None}


def gcs_emulator_host(environ=None):
    """`STORAGE_EMULATOR_HOST`, where gcsfs then sends every gs:// request; None when unset."""
    host = _environment(environ).get("STORAGE_EMULATOR_HOST", "").strip()
    return None if host in ("", "default") else host  # gcsfs reads "default" as unset.


class _WithoutTraceback(logging.Filter):
    """Keeps a record's message and drops its traceback."""

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        return True


def configure_gcsfs(environ=None):
    """Makes gcsfs say a failure in one line, and fit an emulator. Must run before gcsfs is imported.

    gcsfs logs the traceback of each request it gives up on; the loader then names the failure in a
    warning of its own. Where an emulator serves gs://, gcsfs's lookups of each bucket's layout are
    turned off (unless set): they call Google's storage-control gRPC API, which emulators do not
    serve, logging a warning at each call and waiting up to a minute where credentials are set.
    """
    logging.getLogger("gcsfs").addFilter(_WithoutTraceback())
    environ = _environment(environ)
    if gcs_emulator_host(environ):
        environ.setdefault("GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT", "false")


def fast_loader_misses_the_gcs_emulator(logdir, environ=None):
    """Whether `logdir` is in a GCS emulator, which the fast loader would look for at Google instead."""
    return logdir.startswith(GCS_SCHEME) and gcs_emulator_host(environ) is not None
