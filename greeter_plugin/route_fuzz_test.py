"""Property-based fuzzing of the Greeter's routes, by the kit's harness (plugin_kit/testing/route_fuzz.py)."""

import os

from absl.testing import absltest

from plugin_kit.testing import route_fuzz

from greeter_plugin import plugin
from greeter_plugin import plugin_testing


class GreeterRouteFuzzTest(route_fuzz.RouteFuzzTestCase):
    plugin_class = plugin.GreeterPlugin
    loader_class = plugin.GreeterLoader

    @classmethod
    def write_logdir(cls, logdir):
        for run in cls.RUNS:
            plugin_testing.write_greetings(os.path.join(logdir, run), cls.TAG, [(0, "Ada"), (1, "Grace")])
        return 2 * len(cls.RUNS)


if __name__ == "__main__":
    absltest.main()
