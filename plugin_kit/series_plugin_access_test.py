"""The kit under a data provider that checks access, over HTTP: each user gets their own answers only,
a request without credentials the auth provider's challenge. On the kit tests' notes plugin.
"""

import collections
import json
import urllib.error
import urllib.request

from absl.testing import absltest

from tensorboard import auth
from tensorboard import errors

from plugin_kit import kit_test_plugins
from plugin_kit.testing import route_harness


class UserAuth(auth.AuthProvider):
    """Who asks: the X-User header, or a 401 with a challenge."""

    def authenticate(self, environ):
        user = environ.get("HTTP_X_USER")
        if not user:
            raise errors.UnauthenticatedError("say who you are", challenge='X-User realm="notes"')
        return user


class AccessCheckingDataProvider:
    """Passes calls to a data provider, showing each user only their own runs (a run named as they are)."""

    def __init__(self, data_provider):
        self._data_provider = data_provider
        self.calls = collections.Counter()

    def _allowed_runs(self, ctx):
        user = ctx.auth.get(UserAuth)
        if user == "mallory":
            raise errors.PermissionDeniedError("mallory may read nothing")
        return {user}

    def list_tensors(self, ctx, **kwargs):
        self.calls["list_tensors"] += 1
        allowed = self._allowed_runs(ctx)
        return {run: tags for run, tags in self._data_provider.list_tensors(ctx, **kwargs).items() if run in allowed}

    def read_tensors(self, ctx, **kwargs):
        self.calls["read_tensors"] += 1
        allowed = self._allowed_runs(ctx)
        return {run: tags for run, tags in self._data_provider.read_tensors(ctx, **kwargs).items() if run in allowed}


class AccessTest(absltest.TestCase):
    """Under a data provider that checks access, over HTTP: each user gets their own answers only."""

    def setUp(self):
        super().setUp()
        logdir = self.create_tempdir().full_path
        kit_test_plugins.write_logdir(logdir)
        tb_flags = route_harness.tensorboard_flags(logdir, loaders=[kit_test_plugins.NotesLoader()])
        self.data_provider = AccessCheckingDataProvider(route_harness.start_data_provider(tb_flags, "python"))
        # The clock stands still: every answer would be reused, were it reused across users.
        app = route_harness.plugin_app(kit_test_plugins.NotesPlugin, tb_flags, self.data_provider, clock=lambda: 1000.0,
                                       auth_providers={UserAuth: UserAuth()})
        self.url = self.enterContext(route_harness.serve_http(app)) + "data/plugin/kit_notes/"

    def get(self, route, user=None, **headers):
        """GETs `route` as `user`, with `headers` too; returns (status, headers, parsed JSON)."""
        if user:
            headers["X-User"] = user
        request = urllib.request.Request(self.url + route, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers, json.loads(response.read())
        except urllib.error.HTTPError as e:
            return e.code, e.headers, json.loads(e.read())

    def test_one_users_answers_never_reach_another(self):
        for route in ("tags", "tag_info", "notes_by_run?tag=guests", "notes_by_tag?tag=guests&tag=vip"):
            with self.subTest(route=route):
                _, _, for_ada = self.get(route, "ada")
                _, _, for_bob = self.get(route, "bob")
                # Run names appear quoted, as keys or in lists.
                self.assertNotIn('"bob"', json.dumps(for_ada))
                self.assertNotIn('"ada"', json.dumps(for_bob))
                self.assertIn('"bob"', json.dumps(for_bob))
        self.assertEqual(self.get("notes?run=ada&tag=guests", "bob")[0], 404)
        status, _, notes = self.get("notes?run=ada&tag=guests", "ada")
        self.assertEqual((status, [note["step"] for note in notes]), (200, list(kit_test_plugins.ADA_STEPS)))

    def test_answers_are_still_reused_for_the_same_user(self):
        self.get("tags", "ada")
        self.get("tags", "ada")
        self.get("tags", "bob")
        self.assertEqual(self.data_provider.calls["list_tensors"], 2)

    def test_a_users_prefetch_and_fetch_share_answers(self):
        self.get("tags", "ada", Accept="application/json", Referer="http://localhost/a")
        self.get("tags", "ada", Accept="*/*", Referer="http://localhost/b", **{"Sec-Fetch-Mode": "cors"})
        self.assertEqual(self.data_provider.calls["list_tensors"], 1)

    def test_requests_that_differ_only_in_a_proxys_request_id_share_one_read(self):
        for request_id in range(3):
            self.get("notes?run=ada&tag=guests", "ada", **{"X-Request-Id": str(request_id),
                                                                "traceparent": "00-%032x-%016x-01" % (request_id, request_id)})
        self.assertEqual(self.data_provider.calls, {"list_tensors": 1, "read_tensors": 1})

    def test_users_with_different_credentials_never_share_a_read(self):
        for credentials in ({"Authorization": "Bearer a"}, {"Authorization": "Bearer b"}, {"Cookie": "session=a"},
                            {"Cookie": "session=b"}):
            self.get("notes?run=ada&tag=guests", "ada", **credentials)
        self.assertEqual(self.data_provider.calls, {"list_tensors": 4, "read_tensors": 4})

    def test_a_request_without_credentials_gets_the_challenge(self):
        status, headers, body = self.get("tags")
        self.assertEqual(status, 401)
        self.assertEqual(headers["WWW-Authenticate"], 'X-User realm="notes"')
        self.assertIn("say who you are", body["error"])

    def test_a_user_without_access_is_refused(self):
        status, _, body = self.get("notes_by_tag?tag=guests", "mallory")
        self.assertEqual(status, 403)
        self.assertIn("mallory may read nothing", body["error"])


if __name__ == "__main__":
    absltest.main()
