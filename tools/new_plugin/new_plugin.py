"""Starts a new TensorBoard plugin on the plugin kit: the numbers plugin's sources, renamed.

    bazel run //tools:new_plugin -- --name=NAME [--dest=DIR]

Writes DIR/NAME_plugin/ (DIR defaults to this workspace's root): metadata, summary API, backend,
frontend, demo, BUILD and tests, made from the numbers plugin (//plugin_kit/numbers_plugin, one
number a step) by renaming it; the kit (//plugin_kit) does the rest. Its tests pass at once. Written
into this workspace, the plugin is registered in TensorBoard-X (greeter_tensorboard/plugins.bzl), which
then shows its tab; elsewhere, the tool prints how to register it. NAME must match ^[a-z][a-z0-9_]*$,
and may not be a plugin name TensorBoard-X already has.
"""

import argparse
import os
import re
import sys

TEMPLATE_NAME = "numbers"
# The numbers plugin's package, and how its files name it (paths, labels, Python modules).
TEMPLATE_PACKAGE = "plugin_kit/numbers_plugin"
# The template in this binary's runfiles, which hold exactly its template files (its BUILD).
TEMPLATE_DIR = os.path.join(os.path.dirname(__file__), "..", "..", TEMPLATE_PACKAGE)
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# Every way the template's files spell its name or its package's place, longest first.
_SPELLINGS = re.compile(r"tensorboard-x-numbers|plugin_kit/numbers_plugin|plugin_kit\.numbers_plugin|\.\./\.\./\.\./plugin_kit/|\"Numbers\"|numbers|Numbers")
# Where the template's BUILD stops being a new plugin's: what follows names the template's files.
TEMPLATE_ONLY = "\n# Only the template's, from here to the end"
# Plugin names TensorBoard-X has beside the standard ones: the Greeter, and the kit's numbers plugin.
_TAKEN = ("greeter", TEMPLATE_NAME)
# TensorBoard-X's list of its plugins, relative to the workspace root, and the list in it.
REGISTRY = os.path.join("greeter_tensorboard", "plugins.bzl")
_REGISTRY_LIST = re.compile(r"^PLUGIN_LOADERS = \[\n(?:    \"[^\"\n]*\",\n)*", re.MULTILINE)


class BadNameError(ValueError):
    """The name cannot be a new plugin's; the message says why."""


def camel_case(name):
    """The name as the sources' class names and prose spell it: party_guests -> PartyGuests."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def title(name):
    """The name as a tab's title: party_guests -> Party guests."""
    return name.replace("_", " ").capitalize()


def rename(text, name):
    """`text` with every spelling of the template's name (and package) replaced by `name`'s.

    "Numbers" quoted is the tab's title. The template is a level deeper than a new plugin
    (plugin_kit/numbers_plugin/, NAME_plugin/): a relative path from its frontend up to the kit loses a "../".
    """
    spellings = {
        # A distribution's name as pip spells it.
        "tensorboard-x-numbers": "tensorboard-x-" + name.replace("_", "-"),
        '"Numbers"': '"%s"' % title(name),
        "plugin_kit/numbers_plugin": name + "_plugin",
        "plugin_kit.numbers_plugin": name + "_plugin",
        "../../../plugin_kit/": "../../plugin_kit/",
        "numbers": name,
        "Numbers": camel_case(name),
    }
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
    if name in _TAKEN or name in standard_plugin_names():
        raise BadNameError("--name=%s is taken: TensorBoard-X already has a plugin named %r" % (name, name))
    package_dir = os.path.join(dest, name + "_plugin")
    if os.path.lexists(package_dir):
        raise BadNameError("--name=%s: %s already exists; choose another name or --dest" % (name, package_dir))


def template_files():
    """The paths of the template's files, relative to TEMPLATE_DIR; not its bundle, which Bazel builds."""
    paths = []
    for directory, subdirectories, files in os.walk(TEMPLATE_DIR):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        paths += [
            os.path.relpath(os.path.join(directory, f), TEMPLATE_DIR) for f in sorted(files) if not f.endswith(".js")
        ]
    return paths


def write_plugin(name, dest):
    """Writes the plugin `name` into `dest`/`name`_plugin; returns the paths it wrote."""
    package_dir = os.path.join(dest, name + "_plugin")
    written = []
    for relative_path in template_files():
        with open(os.path.join(TEMPLATE_DIR, relative_path), encoding="utf-8") as template:
            text = template.read().split(TEMPLATE_ONLY)[0]
        path = os.path.join(package_dir, rename(relative_path, name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as new_file:
            new_file.write(rename(text, name))
        written.append(path)
    return written


def count(paths):
    """(files, lines, lines of tests) of the files at `paths`: what a new plugin is made of."""
    lines = tests = 0
    for path in paths:
        with open(path, encoding="utf-8") as written:
            length = sum(1 for _ in written)
        lines += length
        tests += length if path.endswith("_test.py") else 0
    return len(paths), lines, tests


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
        "Try it:   tools/bazel run //%s:demo -- --logdir=/tmp/%s_demo, then "
        "tools/bazel run //greeter_tensorboard -- --logdir=/tmp/%s_demo" % (package, name, name),
        "Ship it:  tools/bazel build //%s:wheel   (a wheel stock TensorBoard finds; it requires the kit's)" % package,
        "Read:     docs/writing-a-plugin.md",
    ]
    if registered:
        steps.insert(0, 'Registered in TensorBoard-X: %s lists "%s".' % (REGISTRY, loader_name(name)))
    else:
        steps.insert(
            0,
            'Register it in TensorBoard-X: add "%s" to PLUGIN_LOADERS in %s, so that it shows its '
            "tab." % (loader_name(name), REGISTRY),
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
    files, lines, tests = count(written)
    print("Wrote %d files, %d lines (%d of them tests) to %s" % (files, lines, tests, os.path.join(dest, args.name + "_plugin")))
    in_workspace = workspace is not None and os.path.realpath(dest) == os.path.realpath(workspace)
    registered = in_workspace and register(args.name, workspace)
    print(next_steps(args.name, dest, in_workspace, registered))


if __name__ == "__main__":
    main()
