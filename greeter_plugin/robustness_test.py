"""The Greeter keeps serving what it can read when event files are cut off, corrupt or unreadable.

Every test runs under both loaders (the Python multiplexer and the Rust data server), reloading every
second as a live TensorBoard does, and checks what a user would see: each route answers JSON, never
a server error, and every run that is intact is served in full.
"""

import os
import random
import shutil
import time

from absl.testing import absltest
from absl.testing import parameterized

from plugin_kit import series_plugin

from greeter_plugin import plugin
from greeter_plugin import plugin_testing
from greeter_plugin import summary

TAG = "guests"
INTACT_RUN = "intact"
INTACT_GREETINGS = [(0, "Ada"), (1, "Grace"), (2, "Alan")]
ROUTES = ("tags", "tag_info", "greetings_by_run?tag=" + TAG, "greetings_by_tag?tag=" + TAG)

each_loader = parameterized.named_parameters(*((loader, loader) for loader in plugin_testing.LOADERS))


def texts(guests):
    """The greetings' texts as the routes serve them."""
    return [summary.greeting_text(guest) for guest in guests]


class BrokenFilesTest(parameterized.TestCase):
    def setUp(self):
        super().setUp()
        self.logdir = self.create_tempdir().full_path
        plugin_testing.write_greetings(os.path.join(self.logdir, INTACT_RUN), TAG, INTACT_GREETINGS)

    def serve(self, loader):
        """A client of the Greeter over `self.logdir`, reloaded every second by `loader`."""
        flags = plugin_testing.tensorboard_flags(self.logdir, "--reload_interval", "1")
        return plugin_testing.greeter_client(flags, plugin_testing.start_data_provider(flags, loader))

    def served_texts(self, client, run):
        """The texts of `run`'s greetings under TAG, or None when the route answers an error."""
        status, body = plugin_testing.get_json(client, "greetings", {"run": run, "tag": TAG})
        return [greeting["text"] for greeting in body] if status == 200 else None

    def wait_for_texts(self, client, run, expected):
        plugin_testing.wait_for(lambda: self.served_texts(client, run) == expected, timeout_seconds=60)

    def wait_for_the_intact_run(self, client):
        """Waits until the intact run is served in full: loaders read runs one by one, in no set order."""
        self.wait_for_texts(client, INTACT_RUN, texts(g for _, g in INTACT_GREETINGS))

    def assert_every_route_answers_json(self, client, runs):
        for route in ROUTES:
            plugin_testing.get_json(client, route)
        for run in runs:
            plugin_testing.get_json(client, "greetings", {"run": run, "tag": TAG})
            plugin_testing.get_json(client, "greetings_by_run", {"run": run, "tag": TAG})

    @each_loader
    def test_a_record_cut_off_mid_write_is_served_once_the_writer_finishes(self, loader):
        guests = ["Ada", "Grace", "Alan", "Zoë"]
        path = plugin_testing.write_greetings(os.path.join(self.logdir, "killed"), TAG, enumerate(guests))
        with open(path, "rb") as events_file:
            complete = events_file.read()
        # A writer killed in the middle of its last record: its data and checksum are missing.
        with open(path, "wb") as events_file:
            events_file.write(complete[:-10])
        client = self.serve(loader)

        self.wait_for_texts(client, "killed", texts(guests[:-1]))
        self.wait_for_the_intact_run(client)
        self.assert_every_route_answers_json(client, ["killed"])

        with open(path, "ab") as events_file:
            events_file.write(complete[-10:])
        self.wait_for_texts(client, "killed", texts(guests))

    @each_loader
    def test_corrupt_empty_random_and_unreadable_files_leave_the_other_runs_served(self, loader):
        guests = ["Ada", "Grace", "Corrupted", "Alan"]
        path = plugin_testing.write_greetings(os.path.join(self.logdir, "corrupt"), TAG, enumerate(guests))
        with open(path, "rb") as events_file:
            data = events_file.read()
        with open(path, "wb") as events_file:
            events_file.write(data.replace(b"Corrupted", b"Xorrupted"))

        os.makedirs(os.path.join(self.logdir, "empty"))
        open(os.path.join(self.logdir, "empty", "events.out.tfevents.1.empty"), "wb").close()
        os.makedirs(os.path.join(self.logdir, "random"))
        with open(os.path.join(self.logdir, "random", "events.out.tfevents.1.random"), "wb") as events_file:
            events_file.write(random.Random(6).randbytes(64 * 1024))

        # Tests run as root, and root reads a directory whatever its mode bits say: a chmod 000 test
        # would pass without testing anything. So the unreadable run holds event files that no one
        # can read as files: one is a directory (EISDIR), one a link to nowhere (ENOENT). Run as
        # another user, the test also makes a run's directory unreadable by its mode.
        unreadable = os.path.join(self.logdir, "unreadable")
        os.makedirs(os.path.join(unreadable, "events.out.tfevents.1.directory"))
        os.symlink(os.path.join(self.logdir, "nowhere"), os.path.join(unreadable, "events.out.tfevents.1.dangling"))
        broken_runs = ["empty", "random", "unreadable"]
        if os.geteuid() != 0:
            plugin_testing.write_greetings(os.path.join(self.logdir, "forbidden"), TAG, INTACT_GREETINGS)
            os.chmod(os.path.join(self.logdir, "forbidden"), 0)
            self.addCleanup(os.chmod, os.path.join(self.logdir, "forbidden"), 0o700)
            broken_runs.append("forbidden")
        client = self.serve(loader)

        # Everything before the corrupt record is served; what follows depends on the loader (the
        # Python one stops at a bad checksum, the Rust one does not check the data's checksum).
        plugin_testing.wait_for(lambda: (self.served_texts(client, "corrupt") or [])[:2] == texts(guests[:2]))
        self.wait_for_the_intact_run(client)
        status, tags = plugin_testing.get_json(client, "tags")
        self.assertEqual(status, 200)
        self.assertEqual(tags, {INTACT_RUN: [TAG], "corrupt": [TAG]})
        self.assertEqual(sorted(plugin_testing.get_json(client, "greetings_by_run", {"tag": TAG})[1]), ["corrupt", INTACT_RUN])
        for run in broken_runs:
            self.assertIsNone(self.served_texts(client, run))
        self.assert_every_route_answers_json(client, broken_runs + ["corrupt"])

    @each_loader
    def test_bytes_that_are_not_utf8_in_a_greeting_show_as_replacement_characters(self, loader):
        def not_utf8(proto):
            proto.value[0].tensor.string_val[0] = b"Hello, \xff\xfeAda\xc3!"

        plugin_testing.write_greetings(os.path.join(self.logdir, "bytes"), TAG, [(0, "Ada")], edit=not_utf8)
        client = self.serve(loader)
        self.wait_for_texts(client, "bytes", ["Hello, \ufffd\ufffdAda\ufffd!"])
        self.wait_for_the_intact_run(client)

    @each_loader
    def test_a_run_deleted_while_served_leaves_the_others_served(self, loader):
        plugin_testing.write_greetings(os.path.join(self.logdir, "doomed"), TAG, [(0, "Ada")])
        client = self.serve(loader)
        self.wait_for_texts(client, "doomed", texts(["Ada"]))

        shutil.rmtree(os.path.join(self.logdir, "doomed"))
        plugin_testing.write_greetings(os.path.join(self.logdir, INTACT_RUN), TAG, [(3, "Zoë")])
        # Loading goes on: the intact run's new greeting arrives. (The Python loader keeps serving
        # what it read of the deleted run; the Rust one forgets it: either is fine for a user.)
        self.wait_for_texts(client, INTACT_RUN, texts([g for _, g in INTACT_GREETINGS] + ["Zoë"]))
        self.assertIn(self.served_texts(client, "doomed"), (None, texts(["Ada"])))
        self.assert_every_route_answers_json(client, ["doomed"])

    @each_loader
    def test_metadata_of_a_newer_or_broken_greeter_is_skipped_with_one_warning(self, loader):
        def content(data):
            def edit(proto):
                proto.value[0].metadata.plugin_data.content = data

            return edit

        plugin_testing.write_greetings(os.path.join(self.logdir, "newer"), "future", [(0, "Ada")], edit=content(b'{"version": 99}'))
        plugin_testing.write_greetings(os.path.join(self.logdir, "broken"), "garbled", [(0, "Ada")], edit=content(b"\xff{"))
        requests = [("tags", None), ("tag_info", None)] + [
            (route, {"run": run, "tag": tag})
            for route in ("greetings", "greetings_by_run", "greetings_by_tag")
            for run, tag in (("newer", "future"), ("broken", "garbled"))
        ]
        with self.assertLogs(plugin.logger, "WARNING") as logs:
            client = self.serve(loader)
            self.wait_for_the_intact_run(client)
            plugin_testing.wait_for(lambda: len(plugin_testing.get_json(client, "unreadable_tags")[1]) == 2)
            # Twice, the second time after the plugin's cache expired and it listed the tags again.
            for _ in range(2):
                answers = {(route, str(params)): plugin_testing.get_json(client, route, params) for route, params in requests}
                time.sleep(series_plugin.CACHE_SECONDS * 1.5)
        self.assertEqual(answers[("tags", "None")], (200, {INTACT_RUN: [TAG]}))
        self.assertEqual(sorted(answers[("tag_info", "None")][1]), [TAG])
        for (route, params), (status, body) in answers.items():
            if route == "greetings_by_tag":
                # As for any tag that holds no greetings that can be read: empty, for its card alone.
                self.assertEqual((status, list(body.values())), (200, [{}]), (route, params))
            elif route.startswith("greetings"):
                self.assertEqual(status, 404, (route, params))
                self.assertIn("error", body)
        self.assertLen(logs.output, 2, logs.output)
        self.assertIn("newer Greeter", "\n".join(logs.output))


if __name__ == "__main__":
    absltest.main()
