"""The cross-browser subset of the Greeter's tests, and the projector, in Chromium as in the other engines."""

from absl.testing import absltest

from greeter_tensorboard.browsers import cross_browser_testing


class ChromiumBrowserTest(cross_browser_testing.DashboardTests, absltest.TestCase):
    engine_class = cross_browser_testing.ChromiumEngine


if __name__ == "__main__":
    absltest.main()
