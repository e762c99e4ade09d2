"""Who a request is, as far as a data provider can tell: the key by which a plugin shares answers.

Answers are shared only between requests that agree on everything a data provider can use to decide
access: the request context's fields, and the credentials a request carries. Nothing else counts: a
header that a proxy adds per request (X-Request-Id, traceparent) must not keep a user's requests from
sharing one read.
"""

from tensorboard import plugin_util

# Credentials by exact name: what browsers, front servers and TLS terminators send.
_CREDENTIALS = frozenset(
    [
        "AUTH_TYPE",
        "HTTP_AUTHORIZATION",
        "HTTP_COOKIE",
        "HTTP_PROXY_AUTHORIZATION",
        "REMOTE_USER",
    ]
)
# Credentials by a word in their name: what authenticating proxies and auth providers pass on
# (X-Forwarded-User, X-Forwarded-Groups, X-Forwarded-Preferred-Username, X-Auth-Request-Email,
# X-Goog-IAP-JWT-Assertion, X-Api-Key, X-Amz-Security-Token, SSL_CLIENT_CERT...): what decides access. A header is a credential when one of the words of its name is one of these.
_CREDENTIAL_WORDS = frozenset(
    [
        "ASSERTION",
        "AUTH",
        "AUTHENTICATED",
        "AUTHORIZATION",
        "CERT",
        "CREDENTIAL",
        "CREDENTIALS",
        "EMAIL",
        "GROUP",
        "GROUPS",
        "IDENTITY",
        "JWT",
        "KEY",
        "PRINCIPAL",
        "ROLE",
        "ROLES",
        "SESSION",
        "SUBJECT",
        "TOKEN",
        "USER",
        "USERNAME",
    ]
)
# Names that contain such a word and carry no credential.
_NOT_CREDENTIALS = frozenset(["HTTP_USER_AGENT", "HTTP_SEC_WEBSOCKET_KEY"])


def is_credential(name):
    """Whether the WSGI environ entry `name` (`HTTP_X_API_KEY`, `REMOTE_USER`) can carry a credential."""
    if name in _CREDENTIALS:
        return True
    if name in _NOT_CREDENTIALS or not name.startswith(("HTTP_", "SSL_CLIENT_")):
        return False
    return not _CREDENTIAL_WORDS.isdisjoint(name.split("_"))


def requester_key(environ):
    """What a data provider can tell the user of the request in `environ` by, as a hashable value.

    The request context's remote IP, X-Forwarded-For and client feature flags, and the request's
    credentials (`is_credential`). Requests that agree on all of these share answers.
    """
    ctx = plugin_util.context(environ)
    credentials = sorted(
        (name, value) for name, value in environ.items() if isinstance(value, str) and is_credential(name)
    )
    return (
        ctx.remote_ip,
        tuple(ctx.x_forwarded_for),
        repr(sorted(ctx.client_feature_flags.items())),
        tuple(credentials),
    )
