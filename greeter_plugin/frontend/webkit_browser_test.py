"""The Greeter and the projector in WebKit, Safari's engine, with TensorBoard-X under --path_prefix.

Stock TensorBoard's plugin frames stay blank in WebKit (greeter_tensorboard/plugin_entry.py).
"""

from absl.testing import absltest

from greeter_plugin.frontend import cross_browser_testing
from greeter_tensorboard import server_testing


class WebKitBrowserTest(cross_browser_testing.DashboardTests, absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        logdir = cross_browser_testing.write_logdir()
        cls.url = cls.enterClassContext(server_testing.serve(logdir, "--path_prefix=/tensorboard"))
        cross_browser_testing.wait_until_served(cls.url)
        cls.engine = cross_browser_testing.WebKitEngine()
        cls.addClassCleanup(cls.engine.close)

    def test_the_url_has_the_prefix(self):
        self.assertTrue(self.url.endswith("/tensorboard/"), self.url)


if __name__ == "__main__":
    absltest.main()
