"""The plugins TensorBoard-X serves beside TensorBoard's standard ones: the one list to edit.

Each is named as a `tensorboard_plugins` entry point names a loader, "module:Class"; the module is
the Bazel target //package:module (`greeter_plugin.plugin` is //greeter_plugin:plugin). It has two
readers: BUILD puts the targets in :main_lib's deps, and main.py reads the list at start-up, as
Python (keep it a plain list of strings). `bazel run //tools:new_plugin` appends what it writes.
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
