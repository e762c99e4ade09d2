"""Rules that bundle and type-check TypeScript with the locked npm packages of @npm (npm_deps.bzl)."""

def _type_check_command(tsconfig, srcs):
    """The genrule command that type-checks `srcs` (files or filegroups) with tsc under `tsconfig`."""
    return " ".join([
        "$(execpath //tools/npm:type_check.sh)",
        "$(execpath @npm//:tsc)",
        "$(execpath %s)" % tsconfig,
    ] + ["$(execpaths %s)" % src for src in srcs])

_TYPE_CHECK_TOOLS = [
    "//tools/npm:type_check.sh",
    "@npm//:tsc",
]

def ts_type_check(name, srcs, tsconfig, **kwargs):
    """Type-checks `srcs` with tsc under `tsconfig`; building the target (a stamp file) runs the check.

    Args:
      name: The target's name.
      srcs: The TypeScript files the tsconfig.json includes, and every file they import (files or
        filegroups, from any package).
      tsconfig: The tsconfig.json of the checks.
      **kwargs: Passed to the genrule (visibility, tags).
    """
    native.genrule(
        name = name,
        srcs = srcs + [tsconfig, "@npm//:node_modules"],
        outs = [name + ".checked"],
        tools = _TYPE_CHECK_TOOLS,
        cmd = _type_check_command(tsconfig, srcs) + " && touch $@",
        **kwargs
    )

def esbuild_bundle(name, entry_point, srcs, out, tsconfig, **kwargs):
    """Type-checks `srcs` with tsc, then bundles `entry_point` and what it imports into one ES module.

    esbuild strips types without checking them; a bundle is built only from sources that type-check,
    so that no build (the wheel, TensorBoard-X) ships TypeScript that tsc rejects.

    Args:
      name: The target's name.
      entry_point: The TypeScript file whose exports the bundle exports.
      srcs: The entry point and every source file it imports, directly or not (files or filegroups,
        from any package, e.g. //plugin_kit/frontend:srcs), and any tsconfig.json it extends.
      out: The bundle's file name.
      tsconfig: The tsconfig.json of tsc's checks, whose compiler options (class fields, target)
        esbuild honours too.
      **kwargs: Passed to the genrule (visibility, tags).
    """
    native.genrule(
        name = name,
        srcs = srcs + [tsconfig, "@npm//:node_modules"],
        outs = [out],
        tools = _TYPE_CHECK_TOOLS + ["@npm//:esbuild"],
        cmd = " ".join([
            _type_check_command(tsconfig, srcs),
            "&&",
            # NODE_PATH is where esbuild resolves bare imports ("lit") that no node_modules directory
            # above the sources holds: @npm's lies outside the source tree.
            "NODE_PATH=$$PWD/$$(dirname $(execpath @npm//:esbuild))/node_modules",
            "$(execpath @npm//:esbuild)",
            "$(execpath %s)" % entry_point,
            "--bundle",
            "--format=esm",
            "--minify",
            "--tsconfig=$(execpath %s)" % tsconfig,
            "--log-level=warning",
            "--outfile=$@",
        ]),
        **kwargs
    )
