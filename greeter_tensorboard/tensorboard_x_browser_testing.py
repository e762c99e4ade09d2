"""Browser tests of a plugin's tab in TensorBoard-X (the binary, with its flags), not stock TensorBoard."""

from plugin_kit.testing import browser_harness

from greeter_tensorboard import server_testing


class TensorBoardXBrowserTest(browser_harness.PluginBrowserTest):
    """A `PluginBrowserTest` whose logdirs TensorBoard-X serves, with `server_flags`: for what its page shows."""

    @classmethod
    def serve_logdir(cls, logdir):
        """Serves `logdir` with the TensorBoard-X binary and `server_flags`; yields its URL, ending in "/"."""
        return server_testing.serve(logdir, *cls.server_flags)
