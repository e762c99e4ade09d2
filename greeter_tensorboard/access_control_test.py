"""The token door in front of a WSGI app, in-process: what gets in and what is refused."""

import ipaddress
import json

from absl.testing import absltest
from werkzeug import test as werkzeug_test
from werkzeug import wrappers

from greeter_tensorboard import access_control

TOKEN = "sesame"
HOST = "tb.example:6006"


@wrappers.Request.application
def echo(request):
    """An app that tells what reached it: the query and the user a proxy named."""
    body = {
        "query": request.query_string.decode(),
        "user": request.environ.get("REMOTE_USER"),
        "user_header": request.headers.get("X-Forwarded-User"),
    }
    return wrappers.Response(json.dumps(body), content_type="application/json")


def client(**door_kwargs):
    return werkzeug_test.Client(access_control.TokenDoor(echo, TOKEN, **door_kwargs))


def get(test_client, path="/data/runs", remote_addr="127.0.0.1", **kwargs):
    return test_client.get(path, base_url="http://" + HOST, environ_base={"REMOTE_ADDR": remote_addr}, **kwargs)


class TokenDoorTest(absltest.TestCase):
    def test_refuses_a_missing_or_wrong_token_with_a_401_and_no_data(self):
        door = client()
        for kwargs in (
            {},
            {"query_string": {"token": "wrong"}},
            {"query_string": {"token": ""}},
            {"headers": {"Authorization": "token wrong"}},
            {"headers": {"Authorization": "Basic " + TOKEN}},
            {"headers": {"Cookie": access_control.cookie_name(HOST) + "=" + TOKEN}},
        ):
            with self.subTest(**kwargs):
                response = get(door, **kwargs)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.content_type, "application/json")
                self.assertIn("token", response.get_json()["error"])
                self.assertNotIn("Set-Cookie", response.headers)

    def test_lets_in_the_token_in_a_header_or_the_query_and_hides_it_from_the_app(self):
        door = client()
        for kwargs in (
            {"headers": {"Authorization": "token " + TOKEN}},
            {"headers": {"Authorization": "Bearer " + TOKEN}},
            {"query_string": {"token": TOKEN, "run": "ada"}},
        ):
            with self.subTest(**kwargs):
                response = get(door, **kwargs)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(TOKEN, response.get_json()["query"])

    def test_the_first_visit_sets_an_http_only_same_site_cookie_that_lets_in_alone(self):
        door = client(cookie_path="/tb")
        response = get(door, "/", query_string={"token": TOKEN})
        self.assertEqual(response.status_code, 200)
        (cookie,) = response.headers.getlist("Set-Cookie")
        attributes = [part.strip() for part in cookie.split(";")]
        name, _, value = attributes[0].partition("=")
        self.assertEqual(name, access_control.cookie_name(HOST))
        self.assertNotIn(TOKEN, value)
        self.assertIn("HttpOnly", attributes)
        self.assertIn("SameSite=Lax", attributes)
        self.assertIn("Path=/tb", attributes)
        self.assertNotIn("Secure", attributes)
        # The app's own requests carry only the cookie, as the browser keeps it.
        self.assertEqual(get(door, "/tb/data/runs").status_code, 200)
        self.assertEqual(get(door, "/elsewhere").status_code, 401)
        fresh = werkzeug_test.Client(access_control.TokenDoor(echo, TOKEN), use_cookies=False)
        self.assertEqual(get(fresh, headers={"Cookie": "other=1; %s=%s" % (name, value)}).status_code, 200)
        # On another host:port, another cookie: two servers on one machine keep apart.
        self.assertNotEqual(access_control.cookie_name("tb.example:6007"), name)

    def test_over_https_the_cookie_is_secure(self):
        response = client().get("/", base_url="https://" + HOST, query_string={"token": TOKEN})
        self.assertIn("Secure", response.headers["Set-Cookie"])

    def test_trusts_the_user_header_from_the_proxys_addresses_only(self):
        door = client(trusted_proxies=access_control.parse_networks("10.0.0.7, 192.168.1.0/24"))
        named = {"headers": {"X-Forwarded-User": "ada"}}
        for address in ("10.0.0.7", "192.168.1.20", "::ffff:10.0.0.7"):
            with self.subTest(address=address):
                response = get(door, remote_addr=address, **named)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.get_json()["user"], "ada")
        for address in ("10.0.0.8", "127.0.0.1", "::1"):
            with self.subTest(address=address):
                self.assertEqual(get(door, remote_addr=address, **named).status_code, 401)
        # From the proxy, no user named: the token is needed as from anywhere else.
        self.assertEqual(get(door, remote_addr="10.0.0.7").status_code, 401)
        # Without a trusted proxy, the header is never trusted.
        self.assertEqual(get(client(), remote_addr="10.0.0.7", **named).status_code, 401)
        # Let in by the token, a header from elsewhere never reaches the app, where an auth provider
        # could take it for the proxy's word.
        with_token = get(door, remote_addr="10.0.0.8", query_string={"token": TOKEN}, **named).get_json()
        self.assertEqual((with_token["user"], with_token["user_header"]), (None, None))
        self.assertEqual(get(door, remote_addr="10.0.0.7", **named).get_json()["user_header"], "ada")

    def test_names_a_bad_proxy_address(self):
        self.assertEqual(access_control.parse_networks(" 10.0.0.1 ,"), (ipaddress.ip_network("10.0.0.1/32"),))
        with self.assertRaisesRegex(ValueError, "'proxy.example' is not an IP address"):
            access_control.parse_networks("10.0.0.1,proxy.example")

    def test_generated_tokens_are_long_and_new_each_time(self):
        tokens = {access_control.generate_token() for _ in range(10)}
        self.assertLen(tokens, 10)
        self.assertTrue(all(len(token) == 48 for token in tokens))


if __name__ == "__main__":
    absltest.main()
