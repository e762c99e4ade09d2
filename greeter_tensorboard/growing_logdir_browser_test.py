"""The Greeter dashboard in Chromium while its logdir is still being read: a sweep in a slow bucket.

TensorBoard-X lists each run as soon as it is read (greeter_tensorboard/bucket_mirror.py); the
dashboard asks again while the run list grows, and says so, rather than at TensorBoard's next reload.
"""

import os
import tempfile

from absl.testing import absltest
from playwright.sync_api import expect

from greeter_tensorboard import tensorboard_x_browser_testing
from greeter_plugin import sweep_demo
from greeter_tensorboard import server_testing
from tools.seaweedfs import proxy
from tools.seaweedfs import seaweedfs

RUNS = 30
BUCKET = "growing"
# Each request to the store waits this long, one at a time: reading every run takes seconds.
DELAY_SECONDS = 0.3


class GrowingLogdirBrowserTest(tensorboard_x_browser_testing.TensorBoardXBrowserTest):
    plugin_name = "greeter"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        root = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        logdir = os.path.join(root, "logdir")
        sweep_demo.write_sweep(logdir, RUNS, 3, 1)
        store = seaweedfs.SeaweedFS(os.path.join(root, "seaweedfs"))
        os.makedirs(store.data_dir)
        store.start()
        cls.addClassCleanup(store.stop)
        store.upload(logdir, BUCKET, "sweep")
        cls.store = store

    def test_the_run_list_grows_while_the_logdir_is_read_and_says_so(self):
        slow = self.enterContext(proxy.CountingProxy(self.store.endpoint_host, DELAY_SECONDS))
        env = dict(os.environ, **self.store.environment(S3_ENDPOINT=slow.endpoint_host))
        url = self.enterContext(
            server_testing.serve("s3://%s/sweep" % BUCKET, "--s3_requests_in_flight=1", env=env)
        )
        greeter = self.open_tab(url)
        run_count = greeter.dashboard.locator('[data-testid="run-count"]')
        arriving = greeter.dashboard.locator('[data-testid="runs-arriving"]')
        expect(arriving).to_be_visible()
        every_run = "%d runs, %d selected" % (RUNS, RUNS)
        self.assertNotEqual(run_count.inner_text(), every_run)
        # Well before TensorBoard's own reload (30 s after the page opened).
        expect(run_count).to_have_text(every_run, timeout=20000)
        expect(arriving).to_be_hidden(timeout=5000)


if __name__ == "__main__":
    absltest.main()
