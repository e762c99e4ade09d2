"""The data server's start-up (data_server_start): TensorBoard's ingester returns once the server is up."""

import os
import time
from unittest import mock

from absl.testing import absltest
from tensorboard.data import server_ingester
from tensorboard.util import grpc_util

from greeter_tensorboard import data_server_start

# Longer than TensorBoard's first look for the port (10 ms after the spawn), as on a busy machine.
SLOW_START_SECONDS = 0.05


class PromptPollingTest(absltest.TestCase):
    def slow_server(self):
        """The data server, started SLOW_START_SECONDS late."""
        server = server_ingester.get_server_binary()
        script = os.path.join(self.create_tempdir().full_path, "slow_server")
        with open(script, "w") as f:
            f.write('#!/bin/sh\nsleep %s\nexec "%s" "$@"\n' % (SLOW_START_SECONDS, server.path))
        os.chmod(script, 0o755)
        return server_ingester.ServerBinary(script, version=None)  # As the latest: every flag.

    def test_the_ingester_starts_once_the_server_has_written_its_port(self):
        ingester = server_ingester.SubprocessServerDataIngester(
            self.slow_server(),
            self.create_tempdir().full_path,
            reload_interval=5,
            channel_creds_type=grpc_util.ChannelCredsType.LOCAL,
        )
        # Counted, not timed: TensorBoard's next look comes after a 0.5 s sleep, the prompt one's
        # after sleeps of a few ms, however busy the machine.
        with mock.patch.object(time, "sleep", wraps=time.sleep) as sleep:
            with data_server_start.prompt_polling():
                ingester.start()
        self.addCleanup(ingester._stdin_handle.close)  # pylint: disable=protected-access  # The server exits.
        self.assertTrue(sleep.called)
        self.assertLessEqual(max(call.args[0] for call in sleep.call_args_list), data_server_start._POLL_SECONDS)  # pylint: disable=protected-access
        self.assertIs(server_ingester.time, time)  # Put back.


if __name__ == "__main__":
    absltest.main()
