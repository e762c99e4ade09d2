"""Tests of the key by which requests share answers: credentials count, a proxy's per-request headers do not."""

from absl.testing import absltest
from werkzeug import test as werkzeug_test

from tensorboard import context as tb_context

from plugin_kit import requester


def key(**headers):
    return requester.requester_key(werkzeug_test.EnvironBuilder(headers=headers).get_environ())


class RequesterKeyTest(absltest.TestCase):
    def test_headers_a_proxy_adds_per_request_do_not_count(self):
        self.assertEqual(
            key(Authorization="Bearer ada", **{"X-Request-Id": "1", "traceparent": "00-a-b-01", "X-Amzn-Trace-Id": "x"}),
            key(Authorization="Bearer ada", **{"X-Request-Id": "2", "traceparent": "00-c-d-01", "User-Agent": "curl"}),
        )

    def test_credentials_count(self):
        for name in ("Authorization", "Cookie", "Proxy-Authorization", "X-Forwarded-User", "X-Auth-Request-Email",
                     "X-Goog-IAP-JWT-Assertion", "X-Api-Key", "X-User", "X-Forwarded-Groups",
                     "X-Forwarded-Preferred-Username", "X-Auth-Request-Groups", "X-Jwt-Subject", "X-User-Roles"):
            with self.subTest(header=name):
                self.assertNotEqual(key(**{name: "ada"}), key(**{name: "bob"}))
                self.assertNotEqual(key(**{name: "ada"}), key())

    def test_a_front_servers_user_counts(self):
        ada = werkzeug_test.EnvironBuilder(environ_base={"REMOTE_USER": "ada"}).get_environ()
        bob = werkzeug_test.EnvironBuilder(environ_base={"REMOTE_USER": "bob"}).get_environ()
        self.assertNotEqual(requester.requester_key(ada), requester.requester_key(bob))

    def test_the_request_contexts_fields_count(self):
        def key_in_context(**fields):
            environ = werkzeug_test.EnvironBuilder().get_environ()
            tb_context.set_in_environ(environ, tb_context.RequestContext(**fields))
            return requester.requester_key(environ)

        self.assertNotEqual(key_in_context(x_forwarded_for=["10.0.0.1"]), key_in_context(x_forwarded_for=["10.0.0.2"]))
        self.assertNotEqual(key_in_context(remote_ip="10.0.0.1"), key_in_context(remote_ip="10.0.0.2"))


if __name__ == "__main__":
    absltest.main()
