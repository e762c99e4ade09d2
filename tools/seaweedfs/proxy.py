"""An HTTP proxy in front of the store that counts its requests and can delay them, for tests and
benchmarks: how many requests a reload costs, which byte ranges it asks for, and a store that waits
before answering, as a store across a network does.

The proxy forwards each request's headers as they came (the signature covers the Host header), so
clients reach the store through it with their usual credentials, at the proxy's endpoint.
"""

import http.client
import http.server
import socket
import socketserver
import threading
import time

# Hop-by-hop headers, which a proxy does not forward (RFC 9110, 7.6.1).
_HOP_BY_HOP = frozenset(("connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "upgrade"))


class Request:
    """One request the proxy forwarded: its method, path (with query) and Range header, if any."""

    def __init__(self, method, path, byte_range):
        self.method = method
        self.path = path
        self.byte_range = byte_range

    def __repr__(self):
        return "%s %s%s" % (self.method, self.path, " Range: " + self.byte_range if self.byte_range else "")

    def lists_prefix(self, prefix):
        """Whether it lists the whole of `prefix` (a logdir), not a key below it (as a plugin's look-up does)."""
        return "list-type=2" in self.path and "prefix=%s%%2F&" % prefix in self.path + "&"


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # A client that hung up (a server stopped mid-request): nothing to forward it.


class CountingProxy:
    """Forwards HTTP on a loopback port to `upstream_host` ("host:port"), recording every request.

    `delay_seconds` is waited before each request is forwarded. `before_forwarding(request)`, if set,
    is called before each request goes upstream (a test deletes an object there, mid-read). While
    `silent` is true the proxy accepts connections and reads requests but never answers them, as an
    endpoint behind a network that drops packets; when it ends, it closes the connections it held.
    """

    def __init__(self, upstream_host, delay_seconds=0.0):
        self.upstream_host = upstream_host
        self.delay_seconds = delay_seconds
        self.before_forwarding = None
        self.silent = False
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._requests = []
        self._connections = set()
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self.endpoint_host = "127.0.0.1:%d" % self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *unused_exc_info):
        """Stops listening and closes the clients' open connections: the endpoint is gone."""
        self._stopped.set()
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            for connection in self._connections:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # Closed by its client already.

    def requests(self):
        """The requests forwarded so far, in order of arrival."""
        with self._lock:
            return list(self._requests)

    def clear(self):
        """Forgets the requests counted so far."""
        with self._lock:
            self._requests.clear()

    def _record(self, request):
        with self._lock:
            self._requests.append(request)

    def _handler_class(self):
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                # One connection to the store for each client's: a new one for each request would
                # cost the store a connection a request, which the client's keep-alive spares it.
                self.upstream = http.client.HTTPConnection(proxy.upstream_host, timeout=60)
                with proxy._lock:
                    proxy._connections.add(self.connection)

            def finish(self):
                with proxy._lock:
                    proxy._connections.discard(self.connection)
                self.upstream.close()
                super().finish()

            def _send_upstream(self, body):
                self.upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                for name, value in self.headers.items():
                    if name.lower() not in _HOP_BY_HOP:
                        self.upstream.putheader(name, value)
                self.upstream.endheaders(body)
                response = self.upstream.getresponse()
                return response, response.read()

            def _forward(self):
                request = Request(self.command, self.path, self.headers.get("Range"))
                proxy._record(request)
                if proxy.silent:
                    while proxy.silent and not proxy._stopped.wait(0.05):
                        pass
                    self.close_connection = True  # Never answered: the client gave up long ago.
                    return
                if proxy.delay_seconds:
                    time.sleep(proxy.delay_seconds)
                if proxy.before_forwarding:
                    proxy.before_forwarding(request)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                try:
                    response, payload = self._send_upstream(body)
                except (http.client.RemoteDisconnected, ConnectionError):
                    self.upstream.close()  # The store closed an idle connection: the next call opens one.
                    response, payload = self._send_upstream(body)
                self.send_response_only(response.status, response.reason)
                # A HEAD's answer has no body, and its Content-Length is the object's size: it is
                # forwarded as the store sent it (stock TensorBoard reads a file's size from it).
                for name, value in response.getheaders():
                    if name.lower() not in _HOP_BY_HOP and (name.lower() != "content-length" or self.command == "HEAD"):
                        self.send_header(name, value)
                if self.command != "HEAD":
                    self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _forward

            def log_message(self, *unused_args):
                pass  # Requests are counted, not logged.

        return Handler
