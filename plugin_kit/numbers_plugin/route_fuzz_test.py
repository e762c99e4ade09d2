"""Property-based fuzzing of the numbers plugin's routes under both loaders, by the kit's harness."""

from absl.testing import absltest

from plugin_kit.numbers_plugin import demo
from plugin_kit.numbers_plugin import plugin
from plugin_kit.testing import route_fuzz


class RouteFuzzTest(route_fuzz.RouteFuzzTestCase):
    plugin_class = plugin.NumbersPlugin
    loader_class = plugin.NumbersLoader
    TAG = demo.TAG
    RUNS = tuple(demo.RUNS)

    @classmethod
    def write_logdir(cls, logdir):
        return sum(map(len, demo.write_demo(logdir).values()))


if __name__ == "__main__":
    absltest.main()
