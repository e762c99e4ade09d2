"""TensorBoard-X: TensorBoard with every standard plugin, the Greeter, and a brand of its own.

    bazel run //greeter_tensorboard -- --logdir=DIR

Every standard TensorBoard flag works as in `tensorboard`.
"""

import gc
import importlib.metadata
import os
import sys
import urllib.parse

from absl import app
from absl import logging as absl_logging

from tensorboard import default
from tensorboard import program
from tensorboard import version as tensorboard_version
from tensorboard.backend.event_processing import data_ingester as local_ingester
from tensorboard.data import server_ingester
from tensorboard.plugins import base_plugin

from greeter_tensorboard import bucket_mirror
from greeter_tensorboard import data_server_sockets
from greeter_tensorboard import data_server_start
from greeter_tensorboard import logdir_spec_mirrors
from greeter_tensorboard import object_storage
from greeter_tensorboard import object_storage_config
from greeter_tensorboard import plugin_entry
from greeter_tensorboard import projector_scan
from greeter_tensorboard import python_loader
from greeter_tensorboard import registered_plugins
from greeter_tensorboard import tensor_conversion
from greeter_tensorboard import team_server
from greeter_tensorboard import tensorflow_on_demand

BRAND = "TensorBoard-X"
VERSION = "0.1.0"

# While the Python loader parses events in its thread, every I/O of a request waits for the GIL,
# which Python hands over every 5 ms by default: 1 ms answers the first page twice as soon, for
# loading a quarter slower under a stream of requests (BENCHMARKS.md). The fast loader parses
# in the data server, and the setting costs it nothing.
GIL_SWITCH_INTERVAL_SECONDS = 0.001

# Built by //greeter_tensorboard:branded_assets from TensorBoard's own webfiles.zip.
_ASSETS_ZIP = os.path.join(os.path.dirname(__file__), "tensorboard_x_webfiles.zip")


class BrandLoader(base_plugin.TBLoader):
    """Makes the brand the default `--window_title`, which the app puts in the page's title."""

    def fix_flags(self, flags):
        if not flags.window_title:
            flags.window_title = BRAND


class DataServerNodelayLoader(base_plugin.TBLoader):
    """Defines --data_server_nodelay, which TensorBoardX reads; it loads no plugin."""

    def define_flags(self, parser):
        parser.add_argument(
            "--data_server_nodelay",
            choices=["true", "false"],
            default="true",
            help="Turn off Nagle's algorithm on the fast loader's data server, so that its answers do "
            "not wait for delayed ACKs (Linux 5.6+; in a container, it needs CAP_SYS_PTRACE or a "
            "seccomp profile that allows pidfd_getfd). Default: true.",
        )


def registered_loaders():
    """New loaders of the plugins that plugins.bzl lists, in its order."""
    # Named as entry points name them: importlib loads them as it loads installed plugins.
    return [
        importlib.metadata.EntryPoint(name=name, value=name, group="tensorboard_plugins").load()()
        for name in registered_plugins.PLUGIN_LOADERS
    ]


def plugins():
    """TensorBoard's standard and entry-point plugins, then plugins.bzl's, with each name once.

    A plugin of plugins.bzl that is also installed (its wheel's entry point) is listed once, as
    TensorBoard-X's.
    """
    own = registered_loaders()
    own_names = {loader.plugin_name for loader in own if getattr(loader, "plugin_name", None)}
    standard = [loader for loader in default.get_plugins() if getattr(loader, "plugin_name", None) not in own_names]
    return standard + own + [BrandLoader(), DataServerNodelayLoader(), bucket_mirror.BucketMirrorLoader()]


def version_line():
    """What `--version_tb` prints: TensorBoard-X's version and the TensorBoard it is built on."""
    return "%s %s (TensorBoard %s)" % (BRAND, VERSION, tensorboard_version.VERSION)


def use_plain_path_for_file_url(flags):
    """`--logdir=file:///x` becomes `/x`, which both loaders read (the fast one reads no file://)."""
    if flags.logdir.startswith("file://"):
        flags.logdir = urllib.parse.unquote(urllib.parse.urlparse(flags.logdir).path)


def loader_line(flags, ingester):
    """The line that says which loader reads the logdirs, and why when it is not the fast one."""
    if not isinstance(ingester, local_ingester.LocalDataIngester):
        return "%s reads %s with the fast loader (TensorBoard's Rust data server)." % (BRAND, flags.logdir)
    logdirs = ", ".join(tensorflow_on_demand.logdir_paths(flags))
    if flags.load_fast == "false":
        why = "--load_fast=false"
    elif flags.logdir_spec and not flags.logdir:
        why = "the fast loader reads no --logdir_spec"
    elif "://" in flags.logdir and not flags.logdir.startswith("gs://"):
        why = "the fast loader reads local paths and gs:// only"
    elif object_storage_config.fast_loader_misses_the_gcs_emulator(flags.logdir):
        why = "the fast loader reads gs:// from Google, not from STORAGE_EMULATOR_HOST"
    else:
        why = "the fast loader could not start; see the log"
    return "%s reads %s with the Python loader (%s)." % (BRAND, logdirs, why)


class TensorBoardX(team_server.TeamServing, program.TensorBoard):
    """TensorBoard's program, saying at start-up which loader reads the logdirs.

    It also turns off Nagle's algorithm on the fast loader's data server (data_server_sockets), reads
    a gs:// logdir in a GCS emulator with the Python loader, which reaches it (object_storage_config),
    and serves a team (team_server): a token, health routes, SIGTERM that drains.
    """

    _bucket_mirror = None

    def _make_data_ingester(self):
        # The loader reads s3:// logdirs from their local copies; plugins keep the s3:// logdirs.
        flags = self.flags
        self._bucket_mirror = bucket_mirror.start(flags) or logdir_spec_mirrors.start(flags)
        self.flags = self._bucket_mirror.loader_flags(flags) if self._bucket_mirror else flags
        try:
            if self.flags.load_fast == "auto" and object_storage_config.fast_loader_misses_the_gcs_emulator(self.flags.logdir):
                # As TensorBoard's own method does for the Python loader: made, then started.
                ingester = local_ingester.LocalDataIngester(self.flags)
                ingester.start()
            else:
                ingester = super()._make_data_ingester()
        finally:
            self.flags = flags
        nodelay = self.flags.data_server_nodelay == "true"
        if nodelay and isinstance(ingester, server_ingester.SubprocessServerDataIngester):
            data_server_sockets.disable_nagle(data_server_sockets.data_server_port(ingester.data_provider))
        print(loader_line(self.flags, ingester), file=sys.stderr, flush=True)
        if self._bucket_mirror:
            bucket_mirror.show_logdir_as_data_location(ingester.data_provider, flags.logdir or flags.logdir_spec)
            spec = isinstance(self._bucket_mirror, logdir_spec_mirrors.SpecMirrors)
            for mirror in self._bucket_mirror.mirrors.values() if spec else [self._bucket_mirror]:
                print(
                    "%s reads %s from a copy of its event files in %s, kept in step with the bucket."
                    % (BRAND, mirror.url, mirror.local_dir),
                    file=sys.stderr,
                    flush=True,
                )
        return ingester

    def _start_subprocess_data_ingester(self):
        with data_server_start.prompt_polling():
            return super()._start_subprocess_data_ingester()

    def _make_server(self):
        try:
            server = super()._make_server()
        finally:
            if self._bucket_mirror:
                # The copy's reads held back for the server's start-up go ahead (or end, if it failed).
                self._bucket_mirror.serving()
        # What start-up made (modules, plugins, the app) lives as long as the process. Frozen, it is
        # left out of the collector's full passes, which otherwise walk all of it in the middle of a
        # request that makes many objects (a listing of 10,000 runs), and the user waits for them.
        gc.collect()
        gc.freeze()
        return server

    def holds_no_projector_files(self, logdir):
        """Whether `logdir` is the s3:// logdir copied here, and its last listing held no projector file."""
        mirror = self._bucket_mirror
        return isinstance(mirror, bucket_mirror.BucketMirror) and mirror.url == logdir and mirror.lists_no_projector_files()

    def logdir_read_once(self):
        # An s3:// logdir is read once when its first copy is whole, not when the loader first answers.
        return [self._bucket_mirror.first_sync_done] if self._bucket_mirror else []


def assets_zip():
    """Opens the branded asset bundle; TensorBoard calls this once at start-up."""
    return open(_ASSETS_ZIP, "rb")


def main(before_serving=None):
    """Runs TensorBoard-X on `sys.argv`.

    Args:
      before_serving: Called with the parsed flags before the server starts, if given.
    """
    tensorboard = TensorBoardX(plugins=plugins(), assets_zip_provider=assets_zip)

    def run(argv):
        if tensorboard.flags.version_tb:
            print(version_line())
            return 0
        # First: what runs before serving (a demo's writer) may need TensorFlow itself.
        if before_serving:
            before_serving(tensorboard.flags)
        use_plain_path_for_file_url(tensorboard.flags)
        object_storage.install(max_pool_connections=bucket_mirror.pool_size(tensorboard.flags))
        object_storage_config.configure_gcsfs()
        problem = object_storage.first_problem(tensorflow_on_demand.logdir_paths(tensorboard.flags))
        if problem:
            print("%s: %s" % (BRAND, problem), file=sys.stderr)
            return 1
        tensorflow_on_demand.use_stub_unless_needed(tensorboard.flags)
        python_loader.install()
        tensor_conversion.install()
        projector_scan.install(tensorboard.flags.reload_interval, tensorboard.holds_no_projector_files)
        plugin_entry.install()
        # As main_lib.global_init() does, but without its "TensorFlow installation not found"
        # notice, which the stub would trigger: TensorFlow is there, when a feature needs it.
        absl_logging.set_verbosity(absl_logging.WARNING)
        sys.setswitchinterval(GIL_SWITCH_INTERVAL_SECONDS)
        # TensorBoard's own lines follow, naming TensorBoard, with the URL.
        print(version_line(), file=sys.stderr, flush=True)
        return tensorboard.main(argv)

    app.run(run, flags_parser=tensorboard.configure)


def run_from_bazel(before_serving=None):
    """main() for the binaries `bazel run` starts in their runfiles: it first goes to the caller's
    directory (BUILD_WORKING_DIRECTORY), where relative paths on the command line start. pip's and
    the single file's `tensorboard-x` call main() itself: they start where the user is."""
    os.chdir(os.environ.get("BUILD_WORKING_DIRECTORY", "."))
    return main(before_serving)


if __name__ == "__main__":
    sys.exit(run_from_bazel())
