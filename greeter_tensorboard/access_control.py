"""A door that locks, as Jupyter's does: WSGI middleware that refuses every request without a token.

A request gets in with the token in an `Authorization: token ...` (or `Bearer ...`) header, in a
`?token=...` parameter, or with the cookie that a first visit with the parameter sets, so that the
app's own requests and its plugins' frames carry it. Behind an authenticating proxy, a request from
one of the proxy's addresses that names a user in the proxy's header gets in too; from any other
address that header counts for nothing. Anything else is answered 401 with one JSON line.

Written here rather than taken from a library: Werkzeug, which TensorBoard serves with, has no
authentication middleware, and Jupyter's lives inside its Tornado handlers.
"""

import hashlib
import hmac
import ipaddress
import json
import re
import secrets
import urllib.parse

TOKEN_PARAMETER = "token"
_COOKIE_PREFIX = "tensorboard-x-"
_UNAUTHORIZED = json.dumps(
    {"error": "TensorBoard-X needs a token: open the URL with ?token=... that it printed at start-up."}
).encode()


def generate_token():
    """A new random token, as long as Jupyter's (48 hex digits)."""
    return secrets.token_hex(24)


def parse_networks(addresses):
    """The networks of a comma-separated list of addresses or CIDR blocks; ValueError names a bad one."""
    networks = []
    for address in filter(None, (part.strip() for part in addresses.split(","))):
        try:
            networks.append(ipaddress.ip_network(address, strict=False))
        except ValueError:
            raise ValueError("%r is not an IP address or network" % address) from None
    return tuple(networks)


def cookie_name(host):
    """The cookie's name for the address the browser used: two servers on one host keep apart."""
    return _COOKIE_PREFIX + re.sub(r"[^A-Za-z0-9]", "-", host or "")


class TokenDoor:
    """WSGI middleware that lets in only requests with the token (or from a trusted proxy)."""

    def __init__(self, app, token, trusted_proxies=(), user_header="X-Forwarded-User", cookie_path="/"):
        """
        Args:
          app: The WSGI app behind the door.
          token: The token a request must show.
          trusted_proxies: `ipaddress` networks whose requests may name a user in `user_header`.
          user_header: The header in which a trusted proxy names the user it authenticated.
          cookie_path: The path of the cookie: TensorBoard's `--path_prefix`, or "/".
        """
        self._app = app
        self._token = token.encode()
        # The cookie holds a value derived from the token rather than the token: it opens this door
        # only, and the token itself is never stored by the browser.
        self._cookie_value = hmac.new(self._token, b"tensorboard-x cookie", hashlib.sha256).hexdigest()
        self._trusted_proxies = trusted_proxies
        self._user_environ_key = "HTTP_" + user_header.upper().replace("-", "_")
        self._cookie_path = cookie_path or "/"

    def __call__(self, environ, start_response):
        user = self._user_from_trusted_proxy(environ)
        if user:
            environ["REMOTE_USER"] = user
            return self._app(environ, start_response)
        # Named by anyone but a trusted proxy, the user is no one's word: nothing downstream (an auth
        # provider, the answer cache's key) may read it.
        environ.pop(self._user_environ_key, None)
        query = urllib.parse.parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        from_query = [value for name, value in query if name == TOKEN_PARAMETER]
        if from_query:
            # The app never sees the token: nothing downstream can log or echo it.
            environ["QUERY_STRING"] = urllib.parse.urlencode([item for item in query if item[0] != TOKEN_PARAMETER])
        if from_query and self._is_token(from_query[-1]):
            return self._app(environ, self._setting_cookie(environ, start_response))
        if self._is_token(self._token_from_header(environ)) or self._has_cookie(environ):
            return self._app(environ, start_response)
        start_response(
            "401 Unauthorized",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(_UNAUTHORIZED))),
                ("X-Content-Type-Options", "nosniff"),
                ("WWW-Authenticate", "token"),
            ],
        )
        return [_UNAUTHORIZED]

    def _is_token(self, presented):
        return presented is not None and hmac.compare_digest(presented.encode(), self._token)

    def _user_from_trusted_proxy(self, environ):
        user = environ.get(self._user_environ_key, "").strip()
        if not user or not self._trusted_proxies:
            return None
        try:
            address = ipaddress.ip_address(environ.get("REMOTE_ADDR", "").split("%")[0])
        except ValueError:
            return None
        # A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d.
        address = getattr(address, "ipv4_mapped", None) or address
        return user if any(address in network for network in self._trusted_proxies) else None

    @staticmethod
    def _token_from_header(environ):
        scheme, _, credentials = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        return credentials.strip() if scheme.lower() in ("token", "bearer") else None

    def _has_cookie(self, environ):
        name = cookie_name(environ.get("HTTP_HOST"))
        for pair in environ.get("HTTP_COOKIE", "").split(";"):
            key, _, value = pair.strip().partition("=")
            if key == name and hmac.compare_digest(value.encode(), self._cookie_value.encode()):
                return True
        return False

    def _setting_cookie(self, environ, start_response):
        attributes = [
            "%s=%s" % (cookie_name(environ.get("HTTP_HOST")), self._cookie_value),
            "Path=" + self._cookie_path,
            "HttpOnly",
            # Lax rather than Strict: a link to TensorBoard-X shared in a chat still opens it.
            "SameSite=Lax",
        ]
        if environ.get("wsgi.url_scheme") == "https":
            attributes.append("Secure")
        cookie = ("Set-Cookie", "; ".join(attributes))

        def start_response_with_cookie(status, headers, exc_info=None):
            return start_response(status, list(headers) + [cookie], exc_info)

        return start_response_with_cookie
