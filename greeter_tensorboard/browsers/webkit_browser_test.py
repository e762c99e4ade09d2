"""The Greeter and the projector in WebKit, Safari's engine, with TensorBoard-X under --path_prefix.

Stock TensorBoard's plugin frames stay blank in WebKit (greeter_tensorboard/plugin_entry.py).
"""

from absl.testing import absltest

from greeter_tensorboard.browsers import cross_browser_testing


class WebKitBrowserTest(cross_browser_testing.DashboardTests, absltest.TestCase):
    engine_class = cross_browser_testing.WebKitEngine
    server_flags = ("--path_prefix=/tensorboard",)


if __name__ == "__main__":
    absltest.main()
