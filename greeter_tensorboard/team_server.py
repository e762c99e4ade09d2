"""TensorBoard-X served to a team: a door that locks, health routes, and a stop that loses no request.

`TeamServing` is mixed into TensorBoard's program; `TeamFlags` adds its flags. The server it makes is
TensorBoard's own Werkzeug server with three changes: the app behind `health.HealthRoutes` and
`access_control.TokenDoor`, request lines logged without their query (a token never reaches a log),
and SIGTERM answered by draining: no new connection, every request in flight answered, the data
server stopped, exit 0.
"""

import functools
import ipaddress
import logging
import os
import re
import signal
import socket
import sys
import threading
import time

from tensorboard import program
from tensorboard.plugins import base_plugin

from greeter_tensorboard import access_control
from greeter_tensorboard import data_server_sockets
from greeter_tensorboard import health

# What a connection is doing, for draining: a new one may still send its first request.
_NEW, _BUSY, _IDLE = "new", "busy", "idle"
# How long a new connection may take to send its first request once draining has begun.
_NEW_CONNECTION_GRACE_SECONDS = 1.0
_DATA_SERVER_EXIT_SECONDS = 10
_QUERY = re.compile(r"(/[^\s?'\"]*)\?[^\s'\"]*")


class TeamFlags(base_plugin.TBLoader):
    """The flags of the door, the access log and the stop; it loads no plugin."""

    def define_flags(self, parser):
        group = parser.add_argument_group("TensorBoard-X for a team")
        group.add_argument(
            "--auth",
            choices=("auto", "token", "none"),
            default="auto",
            help="token: every request needs the token (or its cookie). auto (default): token when "
            "listening beyond loopback (--bind_all, or a --host that is not loopback) or given a token.",
        )
        group.add_argument("--token", help="The token (default: generated at start and printed once).")
        group.add_argument("--token_file", help="A file holding the token (kept out of `ps`).")
        group.add_argument(
            "--trusted_proxy",
            default="",
            help="Comma-separated addresses or networks of an authenticating proxy: a request from "
            "them that names a user in --trusted_user_header needs no token.",
        )
        group.add_argument(
            "--trusted_user_header",
            default="X-Forwarded-User",
            help="The header in which the trusted proxy names the user (default: %(default)s).",
        )
        group.add_argument(
            "--access_log", action="store_true", help="Log each request's line, without its query."
        )
        group.add_argument(
            "--shutdown_timeout",
            type=float,
            default=25.0,
            help="On SIGTERM, seconds to finish the requests in flight (default: %(default)s, under "
            "Kubernetes' 30 s grace period).",
        )

    def load(self, context):
        return None


def listens_beyond_loopback(flags):
    """Whether `--bind_all` or `--host` lets other machines reach the server."""
    if flags.bind_all:
        return True
    if flags.host is None:
        return False
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(flags.host, None)}
    except socket.gaierror:
        return True
    return not all(ipaddress.ip_address(address.split("%")[0]).is_loopback for address in addresses)


def door_token(flags):
    """(token, whether TensorBoard-X generated it), or (None, False) when the door stays open.

    Raises `program.TensorBoardServerException` (one line to the user) for a token file it cannot use.
    """
    if flags.auth == "none":
        return None, False
    if flags.token_file:
        try:
            with open(os.path.expanduser(flags.token_file), encoding="utf-8") as f:
                token = f.read().strip()
        except OSError as e:
            raise program.TensorBoardServerException("--token_file: %s" % e) from None
        if not token:
            raise program.TensorBoardServerException("--token_file: %s is empty" % flags.token_file)
        return token, False
    if flags.token:
        return flags.token, False
    if flags.auth == "token" or flags.trusted_proxy or listens_beyond_loopback(flags):
        return access_control.generate_token(), True
    return None, False


class _HeadersWithBody:
    """A handler's `wfile` that sends the headers it holds (`pending`) with the next bytes written."""

    def __init__(self, wfile):
        self._wfile = wfile
        self.pending = b""

    def write(self, data):
        data, self.pending = self.pending + data, b""
        return self._wfile.write(data)

    def flush(self):
        if self.pending:
            self.write(b"")
        self._wfile.flush()

    def __getattr__(self, name):
        return getattr(self._wfile, name)


class _TeamRequestHandler(program._WSGIRequestHandler):  # pylint: disable=protected-access
    """TensorBoard's handler, telling the server when a request starts and ends, logging no query."""

    def setup(self):
        super().setup()
        self.wfile = _HeadersWithBody(self.wfile)

    def flush_headers(self):
        # Werkzeug sends a response's headers, then its body: a replica killed between the two sends
        # leaves a load balancer a response it can neither finish nor retry on another replica.
        # Held until the body's first write, both leave in one send.
        if hasattr(self, "_headers_buffer"):
            self.wfile.pending += b"".join(self._headers_buffer)
            self._headers_buffer = []

    def parse_request(self):
        # Called once a request's first line has arrived.
        self.server.request_started(self.connection)
        return super().parse_request()

    def handle_one_request(self):
        try:
            super().handle_one_request()
        finally:
            self.server.request_ended(self.connection)
            if self.server.draining:
                self.close_connection = True

    def log(self, type, message, *args):  # pylint: disable=redefined-builtin
        # Werkzeug logs the request target with its query: `?token=...` would be in the log.
        super().log(type, _QUERY.sub(r"\1", message % args if args else message))


class TeamServer(program.WerkzeugServer):
    """TensorBoard's Werkzeug server that drains on `begin_draining()` and prints the token's URL."""

    def __init__(self, wsgi_app, flags, *, token, token_generated, readiness, stop_data_server):
        super().__init__(wsgi_app, flags)
        self.RequestHandlerClass = _TeamRequestHandler
        self.draining = False
        self._token = token
        self._token_generated = token_generated
        self._readiness = readiness
        self._stop_data_server = stop_data_server
        self._connections = {}
        self._changed = threading.Condition()
        if flags.access_log:
            logging.getLogger("werkzeug").setLevel(logging.INFO)

    def print_serving_message(self):
        super().print_serving_message()
        if self._token:
            # As Jupyter does: a generated token once in full, a configured one elided.
            shown = self._token if self._token_generated else "..."
            sys.stderr.write(
                "TensorBoard-X asks every request for a token. Open:\n    %s?%s=%s\n"
                % (self.get_url(), access_control.TOKEN_PARAMETER, shown)
            )
        elif listens_beyond_loopback(self._flags):
            sys.stderr.write("TensorBoard-X: --auth=none: whoever reaches this port sees every run.\n")
        sys.stderr.flush()

    def process_request(self, request, client_address):
        with self._changed:
            self._connections[request] = _NEW
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._changed:
            self._connections.pop(request, None)
            self._changed.notify_all()
        super().shutdown_request(request)

    def request_started(self, connection):
        with self._changed:
            self._connections[connection] = _BUSY

    def request_ended(self, connection):
        with self._changed:
            if connection in self._connections:
                self._connections[connection] = _IDLE
            self._changed.notify_all()

    def begin_draining(self):
        """Stops accepting connections and answers /health/ready 503; `serve_forever` then drains."""
        self.draining = True
        self._readiness.stopping = True
        # shutdown() waits for serve_forever's loop, which runs in the thread this is called from.
        threading.Thread(target=self.shutdown, name="TeamServer shutdown", daemon=True).start()

    def serve_forever(self, poll_interval=0.5):
        super().serve_forever(poll_interval)
        if not self.draining:
            return
        self.server_close()  # New connections are refused from here on.
        unanswered = self._finish_in_flight(self._flags.shutdown_timeout)
        self._stop_data_server()
        sys.stderr.write(
            "TensorBoard-X stopped: %s.\n"
            % ("%d requests unanswered after %g s" % (unanswered, self._flags.shutdown_timeout) if unanswered else "every request answered")
        )
        sys.stderr.flush()

    def _finish_in_flight(self, timeout_seconds):
        """Waits for the requests in flight; closes idle keep-alive connections. Returns how many remain."""
        start = time.monotonic()
        with self._changed:
            while self._connections and time.monotonic() - start < timeout_seconds:
                grace_over = time.monotonic() - start > _NEW_CONNECTION_GRACE_SECONDS
                for connection, state in list(self._connections.items()):
                    if state == _IDLE or (state == _NEW and grace_over):
                        try:
                            connection.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
                self._changed.wait(0.1)
            return sum(state == _BUSY for state in self._connections.values())


class TeamServing:
    """Mixin for `program.TensorBoard` that serves with `TeamServer` and drains on SIGTERM."""

    def __init__(self, plugins, *args, **kwargs):
        kwargs.setdefault("server_class", self._make_team_server)
        super().__init__(list(plugins) + [TeamFlags()], *args, **kwargs)
        # Before the loader starts: its first reload must be seen.
        health.install()
        self._team_server = None

    def _make_team_server(self, app, flags):
        readiness = health.Readiness()
        health.watch(self._ingester, readiness)
        for event in self.logdir_read_once():
            readiness.also_wait_for(event)
        token, generated = door_token(flags)
        if token:
            try:
                proxies = access_control.parse_networks(flags.trusted_proxy)
            except ValueError as e:
                raise program.TensorBoardServerException("--trusted_proxy: %s" % e) from None
            app = access_control.TokenDoor(
                app, token, proxies, flags.trusted_user_header, cookie_path=flags.path_prefix or "/"
            )
        app = health.HealthRoutes(app, readiness, flags.path_prefix)
        server_class = functools.partial(
            TeamServer,
            token=token,
            token_generated=generated,
            readiness=readiness,
            stop_data_server=self._stop_data_server,
        )
        self._team_server = program.with_port_scanning(server_class)(app, flags)
        return self._team_server

    def logdir_read_once(self):
        """Events that must be set, beside the loader's first read, before /health/ready says ready."""
        return []

    def _install_signal_handler(self, signal_number, signal_name):
        if signal_number != signal.SIGTERM:
            return super()._install_signal_handler(signal_number, signal_name)

        def drain(handled_signal_number, frame):
            del frame
            # A second SIGTERM ends the process at once.
            signal.signal(handled_signal_number, signal.SIG_DFL)
            sys.stderr.write("TensorBoard-X caught SIGTERM: finishing the requests in flight.\n")
            if self._team_server is None:
                sys.exit(0)
            self._team_server.begin_draining()

        signal.signal(signal_number, drain)
        return None

    def _stop_data_server(self):
        """Stops the fast loader's data server, if it runs, and waits for it to exit."""
        stdin = getattr(getattr(self, "_ingester", None), "_stdin_handle", None)
        pid = getattr(self, "_data_server_pid", None)
        if stdin is None:
            return
        # TensorBoard starts it with --die-after-stdin: closing its stdin stops it.
        stdin.close()
        if pid is None:
            return
        deadline = time.monotonic() + _DATA_SERVER_EXIT_SECONDS
        try:
            while os.waitpid(pid, os.WNOHANG) == (0, 0):
                if time.monotonic() > deadline:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    return
                time.sleep(0.05)
        except ChildProcessError:  # Reaped already.
            pass

    def _start_subprocess_data_ingester(self):
        ingester = super()._start_subprocess_data_ingester()
        # By its port: another child started meanwhile (a demo's writer, say) is not the data server.
        self._data_server_pid = data_server_sockets.child_serving(data_server_sockets.data_server_port(ingester.data_provider))
        return ingester
