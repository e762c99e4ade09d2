"""Tests of data_server_sockets against a real child process that serves TCP, as the data server does."""

import errno
import logging
import socket
import subprocess
import sys
import textwrap
from unittest import mock

from absl.testing import absltest

from greeter_tensorboard import data_server_sockets
from greeter_tensorboard import server_testing

# A server like the data server: it sets no socket options. On each line read, it accepts one
# connection if asked to, then prints TCP_NODELAY of its listener and of each accepted connection.
_SERVER = textwrap.dedent("""
    import socket, sys
    listener = socket.create_server(("127.0.0.1", 0))
    print(listener.getsockname()[1], flush=True)
    accepted = []
    for line in sys.stdin:
        if line.strip() == "accept":
            accepted.append(listener.accept()[0])
        sockets = [listener] + accepted
        print(" ".join(str(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)) for s in sockets), flush=True)
""")


class DisableNagleTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        self.server = subprocess.Popen(
            [sys.executable, "-c", _SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.addCleanup(self.server.wait)
        self.addCleanup(self.server.kill)
        self.port = int(self.server.stdout.readline())

    def nodelay_of_server_sockets(self, command):
        """TCP_NODELAY of the server's listener, then of its connections, after `command`."""
        self.server.stdin.write(command + "\n")
        self.server.stdin.flush()
        return self.server.stdout.readline().split()

    def connect(self):
        client = socket.create_connection(("127.0.0.1", self.port))
        self.addCleanup(client.close)
        return self.nodelay_of_server_sockets("accept")

    def test_sets_nodelay_on_open_connections_and_on_those_accepted_later(self):
        self.assertEqual(self.connect(), ["0", "0"])

        server_testing.skip_where_borrowing_is_refused(self, self.server.pid, self.port)
        self.assertIsNone(data_server_sockets.disable_nagle(self.port))

        self.assertEqual(self.nodelay_of_server_sockets("report"), ["1", "1"])
        self.assertEqual(self.connect(), ["1", "1", "1"])

    def test_a_port_that_no_child_serves_is_named_and_changes_nothing(self):
        with socket.create_server(("127.0.0.1", 0)) as own:
            own_port = own.getsockname()[1]
            self.assertEqual(
                data_server_sockets.disable_nagle(own_port),
                "no child process of this one listens on port %d" % own_port,
            )
            self.assertEqual(own.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), 0)

    def test_an_unknown_port_is_said_and_changes_nothing(self):
        self.assertEqual(
            data_server_sockets.disable_nagle(None), "TensorBoard-X cannot tell which port the data server serves"
        )
        self.assertEqual(self.nodelay_of_server_sockets("report"), ["0"])

    def assert_said_once_at_info_level(self, expected_problem):
        """disable_nagle's one log line is at info level, names `expected_problem`, and changes nothing."""
        self.connect()
        with self.assertLogs(data_server_sockets.logger, level=logging.DEBUG) as logs:
            problem = data_server_sockets.disable_nagle(self.port)
        self.assertIn(expected_problem, problem)
        self.assertEqual([record.levelname for record in logs.records], ["INFO"])
        self.assertIn("--data_server_nodelay=false", logs.output[0])
        self.assertEqual(self.nodelay_of_server_sockets("report"), ["0", "0"])

    def test_where_seccomp_refuses_pidfd_getfd_it_says_so_once_at_info_level(self):
        # What Docker's and containerd's default profiles answer without CAP_SYS_PTRACE.
        refused = OSError(errno.EPERM, "Operation not permitted")
        with mock.patch.object(data_server_sockets, "_syscall", side_effect=refused):
            self.assert_said_once_at_info_level("CAP_SYS_PTRACE")

    def test_where_the_kernel_has_no_pidfd_getfd_it_says_so_once_at_info_level(self):
        missing = OSError(errno.ENOSYS, "Function not implemented")
        with mock.patch.object(data_server_sockets, "_syscall", side_effect=missing):
            self.assert_said_once_at_info_level("Function not implemented")

    def test_on_macos_it_says_so_once_at_info_level(self):
        with mock.patch.object(sys, "platform", "darwin"):
            self.assert_said_once_at_info_level("Linux only")



class DataServerPortTest(absltest.TestCase):
    def test_is_read_from_the_data_providers_address(self):
        self.assertEqual(data_server_sockets.data_server_port(mock.Mock(_addr="localhost:6806")), 6806)

    def test_is_none_where_tensorboard_keeps_the_address_elsewhere(self):
        # A later TensorBoard may rename its private attribute: TensorBoard-X starts all the same.
        self.assertIsNone(data_server_sockets.data_server_port(object()))
        self.assertIsNone(data_server_sockets.data_server_port(mock.Mock(_addr=None)))


if __name__ == "__main__":
    absltest.main()
