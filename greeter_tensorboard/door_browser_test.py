"""The token door in Chromium: the printed URL opens the Greeter, whose own requests carry the cookie."""

import os
import re

from absl.testing import absltest

from greeter_plugin import plugin_testing
from greeter_tensorboard import server_testing
from plugin_kit.testing import browser_harness


class DoorBrowserTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        logdir = absltest.get_default_test_tmpdir() + "/door"
        plugin_testing.write_greetings(os.path.join(logdir, "ada"), "guests", [(0, "Ada")])
        cls.url, process = cls.enterClassContext(server_testing.serve_process(logdir, "--auth=token"))
        (cls.printed_url,) = re.findall(r"^\s+(http://\S+\?token=\S+)$", server_testing.printed(process), re.MULTILINE)
        cls.browser = browser_harness.chromium_for_class(cls)

    def test_the_printed_url_opens_the_greeter_and_every_request_of_the_page_gets_in(self):
        refused = []
        greeter = browser_harness.open_plugin(self.browser, self.printed_url, "greeter")
        self.addCleanup(greeter.page.close)
        greeter.page.on("response", lambda response: response.status == 401 and refused.append(response.url))
        # A reload asks everything again, the frames included, with the cookie alone.
        greeter.page.goto(self.url + "#greeter")
        browser_harness.expect(greeter.dashboard.locator("greeter-card.card").first).to_be_visible()
        self.assertEqual(refused, [])
        (cookie,) = greeter.page.context.cookies()
        self.assertTrue(cookie["httpOnly"])
        self.assertEqual(cookie["sameSite"], "Lax")

    def test_without_the_token_the_page_is_refused(self):
        page = self.browser.new_page()
        self.addCleanup(page.close)
        response = page.goto(self.url)
        self.assertEqual(response.status, 401)
        self.assertNotIn("ada", page.content())


if __name__ == "__main__":
    absltest.main()
