"""The Greeter and the projector in Firefox, driven by Puppeteer over WebDriver BiDi."""

from absl.testing import absltest

from greeter_tensorboard.browsers import cross_browser_testing


class FirefoxBrowserTest(cross_browser_testing.DashboardTests, absltest.TestCase):
    engine_class = cross_browser_testing.FirefoxEngine
    # Headless Firefox gets no WebGL context here, even with `webgl.force-enabled`.
    has_webgl = False


if __name__ == "__main__":
    absltest.main()
