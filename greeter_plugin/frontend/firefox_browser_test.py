"""The Greeter and the projector in Firefox, driven by Puppeteer over WebDriver BiDi."""

from absl.testing import absltest

from greeter_plugin.frontend import cross_browser_testing
from greeter_tensorboard import server_testing


class FirefoxBrowserTest(cross_browser_testing.DashboardTests, absltest.TestCase):
    # Headless Firefox gets no WebGL context here, even with `webgl.force-enabled`.
    has_webgl = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        logdir = cross_browser_testing.write_logdir()
        cls.url = cls.enterClassContext(server_testing.serve(logdir))
        cross_browser_testing.wait_until_served(cls.url)
        cls.engine = cross_browser_testing.FirefoxEngine()
        cls.addClassCleanup(cls.engine.close)


if __name__ == "__main__":
    absltest.main()
