"""The plugins TensorBoard-X serves beside TensorBoard's standard ones: the one list to edit.

Each is named as a `tensorboard_plugins` entry point names a loader, "module:Class"; the module is
the Bazel target //package:module (`greeter_plugin.plugin` is //greeter_plugin:plugin). BUILD puts
the targets in :main_lib's deps, and writes the list into registered_plugins.py at build time, which
main.py imports. `bazel run //tools:new_plugin` appends what it writes (keep it one string a line).
"""

PLUGIN_LOADERS = [
    "greeter_plugin.plugin:GreeterLoader",
]

def plugin_targets(loaders):
    """The Bazel targets of the modules that `loaders` ("module:Class") are in."""
    targets = []
    for loader in loaders:
        package, _, module = loader.split(":")[0].rpartition(".")
        targets.append("//%s:%s" % (package.replace(".", "/"), module))
    return targets
