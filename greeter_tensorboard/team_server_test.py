"""TensorBoard-X served to a team, as a real process: the token door, and a SIGTERM that loses nothing."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
import types
import urllib.parse

from absl.testing import absltest
import psutil

from greeter_plugin import plugin_testing
from greeter_tensorboard import server_testing
from greeter_tensorboard import team_server

RUN = "ada"
TAG = "guests"
# A route of each kind: TensorBoard's static files, its data, a standard plugin, and the Greeter's.
ROUTES = (
    "",
    "index.html",
    "index.js",
    "font-roboto/roboto.html",
    "data/environment",
    "data/runs",
    "data/plugins_listing",
    "data/plugin/scalars/tags",
    "data/plugin/greeter/tags",
    "data/plugin/greeter/greetings?run=%s&tag=%s" % (RUN, TAG),
    "data/plugin/greeter/static/index.js",
    "data/plugin_entry.html?name=greeter",
)
_PRINTED_TOKEN = re.compile(r"\?token=(\S+)")


def with_query(route, **params):
    return route + ("&" if "?" in route else "?") + urllib.parse.urlencode(params)


def get(url, headers=None, source_address=None):
    """GETs `url` from `source_address` (an IP on loopback) if given; returns (status, headers, body)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=30, source_address=(source_address, 0) if source_address else None
    )
    try:
        connection.request("GET", parts.path + ("?" + parts.query if parts.query else ""), headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def write_logdir(test):
    logdir = test.create_tempdir().full_path
    plugin_testing.write_greetings(os.path.join(logdir, RUN), TAG, [(0, "Ada")])
    return logdir


class DoorTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        logdir = absltest.get_default_test_tmpdir() + "/door"
        plugin_testing.write_greetings(os.path.join(logdir, RUN), TAG, [(0, "Ada")])
        # --bind_all locks the door by default, as Jupyter's is locked.
        cls.url, cls.process = cls.enterClassContext(
            server_testing.serve_process(logdir, "--bind_all", "--access_log")
        )
        (cls.token,) = _PRINTED_TOKEN.findall(server_testing.printed(cls.process))
        server_testing.wait_for(
            lambda: RUN in server_testing.get_json(cls.url + with_query("data/plugin/greeter/tags", token=cls.token))
        )

    def test_every_route_without_the_token_is_a_401_that_tells_nothing(self):
        for route in ROUTES + ("no/such/route",):
            for headers in ({}, {"Authorization": "token not-" + self.token}):
                with self.subTest(route=route, headers=headers):
                    status, response_headers, body = get(self.url + route, headers)
                    self.assertEqual(status, 401)
                    self.assertEqual(response_headers["Content-Type"], "application/json")
                    self.assertNotIn(b"ada", body.lower())
                    self.assertIsNone(response_headers["Set-Cookie"])

    def test_every_route_answers_with_the_token_or_the_cookie_its_first_visit_set(self):
        status, headers, _ = get(self.url + with_query("", token=self.token))
        self.assertEqual(status, 200)
        cookie = headers["Set-Cookie"]
        attributes = [part.strip() for part in cookie.split(";")]
        self.assertIn("HttpOnly", attributes)
        self.assertIn("SameSite=Lax", attributes)
        name_and_value = attributes[0]
        for route in ROUTES:
            with self.subTest(route=route):
                self.assertEqual(get(self.url + with_query(route, token=self.token))[0], 200)
                self.assertEqual(get(self.url + route, {"Authorization": "token " + self.token})[0], 200)
                self.assertEqual(get(self.url + route, {"Cookie": name_and_value})[0], 200)
        self.assertEqual(get(self.url + "no/such/route", {"Cookie": name_and_value})[0], 404)

    def test_the_token_is_in_no_log_line_but_the_start_up_url(self):
        for route in ROUTES:
            get(self.url + with_query(route, token=self.token))
            get(self.url + with_query(route, token="wrong-" + self.token))
        printed = server_testing.wait_for(
            lambda: (lambda log: log if "GET /data/runs " in log else None)(server_testing.printed(self.process))
        )
        lines_with_token = [line.strip() for line in printed.splitlines() if self.token in line]
        self.assertEqual(lines_with_token, [self.url + "?token=" + self.token], printed)
        # The request lines are there, without their query.
        self.assertIn("GET /data/plugin/greeter/greetings HTTP/1.1", printed)
        self.assertNotIn("token=", printed.replace(lines_with_token[0], ""))


class TrustedProxyTest(absltest.TestCase):
    def test_the_user_header_counts_from_the_proxys_address_only(self):
        url = self.enterContext(
            server_testing.serve(write_logdir(self), "--host=127.0.0.1", "--trusted_proxy=127.0.0.2")
        )
        named = {"X-Forwarded-User": "ada"}
        self.assertEqual(get(url + "data/runs", named, source_address="127.0.0.2")[0], 200)
        self.assertEqual(get(url + "data/runs", named, source_address="127.0.0.1")[0], 401)
        self.assertEqual(get(url + "data/runs", {"X-Forwarded-User": ""}, source_address="127.0.0.2")[0], 401)


class LoopbackTest(absltest.TestCase):
    def test_loopback_stays_open_unless_given_a_token_which_is_never_printed(self):
        logdir = write_logdir(self)
        with server_testing.serve(logdir) as url:
            self.assertEqual(get(url + "data/runs")[0], 200)
        token_file = self.create_tempfile(content="from-a-file\n").full_path
        with server_testing.serve_process(logdir, "--token_file=" + token_file) as (url, process):
            self.assertEqual(get(url + "data/runs")[0], 401)
            self.assertEqual(get(url + with_query("data/runs", token="from-a-file"))[0], 200)
            printed = server_testing.printed(process)
            self.assertIn(url + "?token=...", printed)
            self.assertNotIn("from-a-file", printed)

    def test_a_token_file_that_cannot_be_read_is_one_line(self):
        missing = os.path.join(self.create_tempdir().full_path, "missing")
        result = subprocess.run(
            [server_testing.BINARY, "--logdir=" + write_logdir(self), "--port=0", "--token_file=" + missing],
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ERROR: --token_file: [Errno 2] No such file or directory: %r" % missing, result.stderr)
        self.assertNotIn("Traceback", result.stderr)


class SigtermTest(absltest.TestCase):
    def test_a_request_in_flight_is_answered_then_the_server_and_its_data_server_exit_0(self):
        with server_testing.serve_process(write_logdir(self)) as (url, process):
            # The fast loader's data server: a child of the server.
            server_testing.tags_of_every_run(url + "data/plugin/greeter/", [RUN])
            (data_server,) = psutil.Process(process.pid).children()
            port = urllib.parse.urlsplit(url).port
            in_flight = socket.create_connection(("localhost", port))
            # The request's first line is read: it is in flight while its headers are on the way.
            in_flight.sendall(b"GET /data/plugin/greeter/tags HTTP/1.1\r\n")
            time.sleep(0.5)
            process.send_signal(signal.SIGTERM)
            # New connections are refused while the request in flight is still answered.
            server_testing.wait_for(lambda: not _accepts(port), timeout_seconds=10)
            self.assertIsNone(process.poll())
            in_flight.sendall(b"Host: localhost\r\n\r\n")
            response = http.client.HTTPResponse(in_flight)
            response.begin()
            self.assertEqual(response.status, 200)
            self.assertIn(RUN.encode(), response.read())
            self.assertEqual(process.wait(timeout=30), 0)
            self.assertFalse(data_server.is_running())
            self.assertIn("TensorBoard-X stopped: every request answered.", server_testing.printed(process))


# Stands for the data server: listens on a port it prints, and exits a second after its stdin closes.
_DATA_SERVER = textwrap.dedent(
    """
    import socket, sys, time
    listener = socket.create_server(("127.0.0.1", 0))
    print(listener.getsockname()[1], flush=True)
    sys.stdin.read()
    time.sleep(1)
    """
)


class _StartsTwoChildren:
    """TensorBoard's start of the data server, while another child (a demo's writer, say) starts too."""

    def _start_subprocess_data_ingester(self):
        data_server = subprocess.Popen([sys.executable, "-c", _DATA_SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.other_child = subprocess.Popen(["sleep", "30"])
        self.data_server = data_server
        port = int(data_server.stdout.readline())
        return types.SimpleNamespace(data_provider=types.SimpleNamespace(_addr="localhost:%d" % port), _stdin_handle=data_server.stdin)


class _Serving(team_server.TeamServing, _StartsTwoChildren):
    def __init__(self):  # pylint: disable=super-init-not-called
        pass  # Only the data server's start and stop are exercised.


class DataServerStopTest(absltest.TestCase):
    def test_the_data_server_is_waited_for_though_another_child_started_beside_it(self):
        serving = _Serving()
        serving._ingester = serving._start_subprocess_data_ingester()  # pylint: disable=protected-access
        self.addCleanup(serving.other_child.kill)
        serving._stop_data_server()  # pylint: disable=protected-access
        self.assertIsNotNone(serving.data_server.poll(), "the data server still runs after its stop returned")
        self.assertIsNone(serving.other_child.poll())


def _accepts(port):
    try:
        socket.create_connection(("localhost", port), timeout=1).close()
    except OSError:
        return False
    return True


if __name__ == "__main__":
    absltest.main()
