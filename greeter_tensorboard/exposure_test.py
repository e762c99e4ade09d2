"""What TensorBoard-X exposes: the addresses it listens on, and the security headers of its answers."""

import ipaddress
import os
import urllib.parse

from absl.testing import absltest
import psutil

from greeter_plugin import plugin_testing
from greeter_tensorboard import server_testing

TAG = "guests"
RUN = "ada"


def listening_addresses(process):
    """{(ip, port)} on which `process` or any of its children (the data server) listens."""
    server = psutil.Process(process.pid)
    return {
        (connection.laddr.ip, connection.laddr.port)
        for member in [server] + server.children(recursive=True)
        for connection in member.net_connections(kind="inet")
        if connection.status == psutil.CONN_LISTEN
    }


class ListeningTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        self.logdir = self.create_tempdir().full_path
        plugin_testing.write_greetings(os.path.join(self.logdir, RUN), TAG, [(0, "Ada")])

    def serve_and_list_addresses(self, *flags):
        """Serves the logdir with `flags`; returns (the URL's port, {(ip, port)} listened on)."""
        with server_testing.serve_process(self.logdir, *flags) as (url, process):
            # Once a greeting is served, the data server (the fast loader) listens too.
            server_testing.tags_of_every_run(url + "data/plugin/greeter/", [RUN])
            return urllib.parse.urlsplit(url).port, listening_addresses(process)

    def test_listens_on_loopback_only_by_default(self):
        port, addresses = self.serve_and_list_addresses()
        self.assertIn(port, {listened_port for _, listened_port in addresses})
        # The web server and the data server: two, so that the loop below checks both.
        self.assertGreaterEqual(len(addresses), 2, addresses)
        for ip, _ in addresses:
            self.assertTrue(ipaddress.ip_address(ip).is_loopback, addresses)

    def test_bind_all_and_host_listen_where_they_say(self):
        for flag in ("--bind_all", "--host=0.0.0.0"):
            with self.subTest(flag=flag):
                # Without the token door (team_server_test tests it): this test reads the tags.
                port, addresses = self.serve_and_list_addresses(flag, "--auth=none")
                web = {ipaddress.ip_address(ip) for ip, listened_port in addresses if listened_port == port}
                self.assertTrue(any(ip.is_unspecified for ip in web), addresses)
                # The data server is TensorBoard-X's own business: it stays on loopback.
                for ip, listened_port in addresses:
                    if listened_port != port:
                        self.assertTrue(ipaddress.ip_address(ip).is_loopback, addresses)


class SecurityHeadersTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        logdir = absltest.get_default_test_tmpdir() + "/headers"
        plugin_testing.write_greetings(os.path.join(logdir, RUN), TAG, [(0, "Ada")])
        cls.url = cls.enterClassContext(server_testing.serve(logdir))
        server_testing.tags_of_every_run(cls.url + "data/plugin/greeter/", [RUN])

    def test_every_greeter_answer_forbids_sniffing(self):
        greeter = "data/plugin/greeter/"
        cases = [
            ("tags", 200, "application/json"),
            ("tag_info", 200, "application/json"),
            ("unreadable_tags", 200, "application/json"),
            ("greetings?run=%s&tag=%s" % (RUN, TAG), 200, "application/json"),
            ("greetings_by_run?tag=" + TAG, 200, "application/json"),
            ("greetings_by_tag?tag=" + TAG, 200, "application/json"),
            ("greetings?run=" + RUN, 400, "application/json"),
            ("greetings?run=nobody&tag=" + TAG, 404, "application/json"),
            ("static/index.js", 200, "text/javascript; charset=utf-8"),
            ("static/..%2fplugin.py", 404, "application/json"),
        ]
        for path, status, content_type in cases:
            with self.subTest(path=path):
                served_status, headers, _ = server_testing.get(self.url + greeter + path)
                self.assertEqual(served_status, status)
                self.assertEqual(headers["Content-Type"], content_type)
                self.assertEqual(headers["X-Content-Type-Options"], "nosniff")

    def test_the_greeters_html_page_carries_a_content_security_policy(self):
        for path in ("data/plugin_entry.html?name=greeter", ""):
            with self.subTest(path=path):
                status, headers, _ = server_testing.get(self.url + path)
                self.assertEqual(status, 200)
                self.assertTrue(headers["Content-Type"].startswith("text/html"))
                self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
                policy = headers["Content-Security-Policy"]
                self.assertIn("default-src 'self'", policy)
                # Scripts from this origin only, and no inline ones: what injected markup would need.
                # (TensorBoard's own app needs 'unsafe-eval', which injected markup cannot use.)
                script_sources = policy.split("script-src", 1)[1].split(";")[0].split()
                self.assertIn("'self'", script_sources)
                self.assertNotIn("'unsafe-inline'", script_sources)
                self.assertNotIn("*", script_sources)


if __name__ == "__main__":
    absltest.main()
