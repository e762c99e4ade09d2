"""Starts a new TensorBoard plugin: the Greeter's sources, renamed.

    bazel run //tools:new_plugin -- --name=NAME [--dest=DIR]

Writes DIR/NAME_plugin/ (DIR defaults to this workspace's root): metadata, summary API, backend,
frontend, demo, BUILD files and tests, made from the Greeter's own files by renaming greeter, Greeter
and GREETER; what the plugin shows (greetings) is yours to rename and grow. Written into this
workspace, the plugin is registered in TensorBoard-X (greeter_tensorboard/plugins.bzl), so that all
its tests pass at once; elsewhere, the tool prints how to register it. NAME must match
^[a-z][a-z0-9_]*$, and may not be the Greeter's name or a standard TensorBoard plugin's.
"""

import argparse
import os
import re
import sys

TEMPLATE_NAME = "greeter"
TEMPLATE_PACKAGE = TEMPLATE_NAME + "_plugin"
# The Greeter's package in this binary's runfiles, which hold exactly its template files (BUILD).
TEMPLATE_DIR = os.path.join(os.path.dirname(__file__), "..", "..", TEMPLATE_PACKAGE)
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# Every spelling of the template's name that the sources use, and names that contain it but belong
# to something else (TensorBoard-X's package), which must stay as they are.
_KEPT = "greeter_tensorboard"
_SPELLINGS = re.compile(_KEPT + "|greeter|Greeter|GREETER")
# TensorBoard-X's list of its plugins, relative to the workspace root, and the list in it.
REGISTRY = os.path.join(_KEPT, "plugins.bzl")
_REGISTRY_LIST = re.compile(r"^PLUGIN_LOADERS = \[\n(?:    \"[^\"\n]*\",\n)*", re.MULTILINE)


class BadNameError(ValueError):
    """The name cannot be a new plugin's; the message says why."""


def camel_case(name):
    """The name as the sources' class names and prose spell it: party_guests -> PartyGuests."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def rename(text, name):
    """`text` with every spelling of the template's name replaced by `name`'s."""
    spellings = {"greeter": name, "Greeter": camel_case(name), "GREETER": name.upper(), _KEPT: _KEPT}
    return _SPELLINGS.sub(lambda match: spellings[match.group(0)], text)


def standard_plugin_names():
    """The names of the plugins stock TensorBoard loads, loaders' plugins and entry points included."""
    from tensorboard import default
    from tensorboard.plugins import base_plugin

    names = set()
    for plugin in default.get_plugins():
        # A loader names no plugin until it loads one: take the plugins its module defines.
        module = sys.modules[plugin.__module__]
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, base_plugin.TBPlugin) and value.plugin_name:
                names.add(value.plugin_name)
    return names


def check_name(name, dest):
    """Raises BadNameError unless `name` can be a new plugin's, written into `dest`."""
    if not NAME_PATTERN.fullmatch(name):
        raise BadNameError(
            "--name=%r is not a plugin name: use lowercase letters, digits and underscores, a letter "
            "first (^[a-z][a-z0-9_]*$)" % name
        )
    if name == TEMPLATE_NAME or name in standard_plugin_names():
        raise BadNameError("--name=%s is taken: TensorBoard-X already has a plugin named %r" % (name, name))
    package_dir = os.path.join(dest, name + "_plugin")
    if os.path.lexists(package_dir):
        raise BadNameError("--name=%s: %s already exists; choose another name or --dest" % (name, package_dir))


def template_files():
    """The paths of the template's files, relative to TEMPLATE_DIR."""
    paths = []
    for directory, subdirectories, files in os.walk(TEMPLATE_DIR):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        paths += [os.path.relpath(os.path.join(directory, f), TEMPLATE_DIR) for f in sorted(files)]
    return paths


def write_plugin(name, dest):
    """Writes the plugin `name` into `dest`/`name`_plugin; returns the paths it wrote."""
    package_dir = os.path.join(dest, name + "_plugin")
    written = []
    for relative_path in template_files():
        with open(os.path.join(TEMPLATE_DIR, relative_path), encoding="utf-8") as template:
            text = template.read()
        path = os.path.join(package_dir, rename(relative_path, name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as new_file:
            new_file.write(rename(text, name))
        written.append(path)
    return written


def loader_name(name):
    """The plugin's loader as plugins.bzl (and an entry point) names it: module:Class."""
    return "%s_plugin.plugin:%sLoader" % (name, camel_case(name))


def register(name, workspace):
    """Adds the plugin to `workspace`'s TensorBoard-X (its plugins.bzl); returns whether it could.

    It cannot when plugins.bzl is gone or its PLUGIN_LOADERS is no longer a plain list, one string a
    line; then the user registers the plugin by hand.
    """
    path = os.path.join(workspace, REGISTRY)
    try:
        with open(path, encoding="utf-8") as registry:
            text = registry.read()
    except FileNotFoundError:
        return False
    match = _REGISTRY_LIST.search(text)
    if not match:
        return False
    entry = '    "%s",\n' % loader_name(name)
    if entry not in match.group(0):
        text = text[: match.end()] + entry + text[match.end() :]
        with open(path, "w", encoding="utf-8") as registry:
            registry.write(text)
    return True


def next_steps(name, dest, in_workspace, registered):
    """What to do after generating: test the plugin, try it, ship it; register it if not done."""
    package = name + "_plugin"
    steps = [
        "Test it:  tools/bazel test //%s/..." % package,
        "Try it:   tools/bazel run //%s:%s_demo, then tools/bazel run //greeter_tensorboard" % (package, name),
        "Ship it:  tools/bazel build //%s:wheel   (a wheel stock TensorBoard finds)" % package,
    ]
    if registered:
        steps.insert(0, 'Registered in TensorBoard-X: %s lists "%s".' % (REGISTRY, loader_name(name)))
    else:
        steps.insert(
            0,
            'Register it in TensorBoard-X: add "%s" to PLUGIN_LOADERS in %s (its browser tests need '
            "it)." % (loader_name(name), REGISTRY),
        )
    if not in_workspace:
        steps.insert(
            0,
            "%s is not this workspace's root: its BUILD files name //%s, so move %s to a workspace "
            "root (its Python tests also run with PYTHONPATH=%s)." % (dest, package, package, dest),
        )
    return "\n".join(steps)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="new_plugin",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--name", required=True, help="the plugin's name, e.g. party_guests")
    parser.add_argument("--dest", help="where to write NAME_plugin/; default: the workspace root")
    args = parser.parse_args(argv)
    # `bazel run` starts this in its runfiles: a relative --dest means the caller's directory.
    workspace = os.environ.get("BUILD_WORKSPACE_DIRECTORY")
    dest = os.path.abspath(
        os.path.join(os.environ.get("BUILD_WORKING_DIRECTORY", ""), args.dest or workspace or ".")
    )
    try:
        check_name(args.name, dest)
    except BadNameError as e:
        parser.error(str(e))
    written = write_plugin(args.name, dest)
    print("Wrote %d files to %s" % (len(written), os.path.join(dest, args.name + "_plugin")))
    in_workspace = workspace is not None and os.path.realpath(dest) == os.path.realpath(workspace)
    registered = in_workspace and register(args.name, workspace)
    print(next_steps(args.name, dest, in_workspace, registered))


if __name__ == "__main__":
    main()
