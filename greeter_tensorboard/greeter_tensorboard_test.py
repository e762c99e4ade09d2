"""Tests that start the real TensorBoard-X binary on the demo's logdir and talk to it over HTTP."""

import json
import socket
import subprocess
import urllib.parse

from absl.testing import absltest

from greeter_plugin import greeter_demo
from greeter_tensorboard import server_testing


class GreeterTensorBoardTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.logdir = absltest.get_default_test_tmpdir() + "/demo"
        cls.written = greeter_demo.write_demo(cls.logdir)
        cls.url = cls.enterClassContext(server_testing.serve(cls.logdir))

    def get_json(self, path):
        status, headers, body = server_testing.get(self.url + path)
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def test_lists_the_greeter_and_every_standard_plugin(self):
        listing = self.get_json("data/plugins_listing")
        for name in server_testing.STANDARD_PLUGINS + ("greeter",):
            self.assertIn(name, listing)
        self.assertEqual(listing["greeter"]["tab_name"], "Greeter")
        self.assertTrue(listing["greeter"]["enabled"])
        self.assertEqual(
            listing["greeter"]["loading_mechanism"],
            {"type": "IFRAME", "module_path": "/data/plugin/greeter/static/index.js"},
        )

    def test_serves_the_branded_page(self):
        status, _, body = server_testing.get(self.url)
        self.assertEqual(status, 200)
        self.assertIn(b"<title>TensorBoard-X</title>", body)
        status, _, body = server_testing.get(self.url + "index.js")
        self.assertIn(b'"TensorBoard-X"', body)
        self.assertEqual(self.get_json("data/environment")["window_title"], "TensorBoard-X")

    def test_serves_the_demos_greetings(self):
        tags = server_testing.tags_of_every_run(self.url + "data/plugin/greeter/", self.written)
        self.assertCountEqual(tags, self.written)
        for run, written_tags in self.written.items():
            self.assertCountEqual(tags[run], written_tags)
            for tag, greetings in written_tags.items():
                query = urllib.parse.urlencode({"run": run, "tag": tag})
                served = self.get_json("data/plugin/greeter/greetings?" + query)
                self.assertEqual([(g["step"], g["text"]) for g in served], greetings)

    def test_the_data_server_sends_its_answers_at_once(self):
        # Its answers would otherwise wait ~40 ms for delayed ACKs (data_server_sockets).
        (data_server,) = server_testing.server_process(self.url).children()
        (port,) = {c.laddr.port for c in data_server.net_connections("tcp") if c.status == "LISTEN"}
        server_testing.skip_where_borrowing_is_refused(self, data_server.pid, port)
        # A connection opened now (a reconnect of TensorBoard's channel, say) inherits it too.
        with socket.create_connection(("localhost", port)):
            server_testing.wait_for(lambda: self.connections_of(data_server, port) >= 2)
            with server_testing.borrowed_sockets(data_server.pid, port) as sockets:
                # Its listener, TensorBoard-X's connection and this one.
                self.assertGreaterEqual(len(sockets), 3)
                for borrowed in sockets:
                    self.assertEqual(borrowed.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), 1)

    @staticmethod
    def connections_of(process, port):
        return sum(1 for c in process.net_connections("tcp") if c.laddr.port == port and c.status == "ESTABLISHED")


class NodelayOffTest(absltest.TestCase):
    def test_data_server_nodelay_false_leaves_its_sockets_alone(self):
        logdir = self.create_tempdir().full_path
        with server_testing.serve_process(logdir, "--data_server_nodelay=false") as (url, server):
            (data_server,) = server_testing.server_process(url).children()
            (port,) = {c.laddr.port for c in data_server.net_connections("tcp") if c.status == "LISTEN"}
            server_testing.skip_where_borrowing_is_refused(self, data_server.pid, port)
            with server_testing.borrowed_sockets(data_server.pid, port) as sockets:
                self.assertTrue(sockets)
                for borrowed in sockets:
                    self.assertEqual(borrowed.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), 0)
            self.assertNotIn("delayed ACKs", server_testing.printed(server))

class FlagsTest(absltest.TestCase):
    def test_version_names_tensorboard_x_and_tensorboard(self):
        output = subprocess.run(
            [server_testing.BINARY, "--version_tb"], capture_output=True, text=True, check=True
        ).stdout
        self.assertRegex(output, r"^TensorBoard-X \d+\.\d+\.\d+ \(TensorBoard 2\.21\.\d+\)$")

    def test_announces_itself_before_the_url(self):
        server = subprocess.Popen(
            [server_testing.BINARY, "--logdir=" + self.create_tempdir().full_path, "--port=0"],
            stderr=subprocess.PIPE,
            text=True,
        )
        self.addCleanup(server.wait)
        self.addCleanup(server.terminate)
        lines = []
        while not lines or "(Press CTRL+C to quit)" not in lines[-1]:
            line = server.stderr.readline()
            self.assertTrue(line, "the server ended before printing its URL: %s" % lines)
            lines.append(line.strip())
        self.assertRegex(lines[0], r"^TensorBoard-X \d+\.\d+\.\d+ \(TensorBoard 2\.21\.\d+\)$")

    def test_window_title_flag_still_wins(self):
        with server_testing.serve(self.create_tempdir().full_path, "--window_title=Mine") as url:
            _, _, body = server_testing.get(url + "data/environment")
            self.assertEqual(json.loads(body)["window_title"], "Mine")

    def test_logdir_spec_names_the_runs_of_each_directory(self):
        logdir = self.create_tempdir().full_path
        written = greeter_demo.write_demo(logdir)
        with server_testing.serve(self.create_tempdir().full_path, "--logdir=", "--logdir_spec=party:" + logdir) as url:
            def tags():
                _, _, body = server_testing.get(url + "data/plugin/greeter/tags")
                return json.loads(body)

            served = server_testing.wait_for(lambda: len(tags()) == len(written) and tags())
        self.assertCountEqual(served, ["party/" + run for run in written])

    def test_a_bad_flag_is_named(self):
        result = subprocess.run(
            [server_testing.BINARY, "--reload_interval=soon"], capture_output=True, text=True
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("--reload_interval", result.stderr)
        self.assertNotIn("Traceback", result.stderr)


if __name__ == "__main__":
    absltest.main()
