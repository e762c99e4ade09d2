"""Rules that bundle and type-check TypeScript with the locked npm packages of @npm (npm_deps.bzl)."""

def esbuild_bundle(name, entry_point, srcs, out, tsconfig, **kwargs):
    """Type-checks `srcs` with tsc, then bundles `entry_point` and what it imports into one ES module.

    esbuild strips types without checking them; a bundle is built only from sources that type-check,
    so that no build (the wheel, TensorBoard-X) ships TypeScript that tsc rejects.

    Args:
      name: The target's name.
      entry_point: The TypeScript file whose exports the bundle exports.
      srcs: The entry point and every source file it imports, directly or not: the files the
        tsconfig.json includes.
      out: The bundle's file name.
      tsconfig: The tsconfig.json of tsc's checks, whose compiler options (class fields, target)
        esbuild honours too.
      **kwargs: Passed to the genrule (visibility, tags).
    """
    native.genrule(
        name = name,
        srcs = srcs + [tsconfig, "@npm//:node_modules"],
        outs = [out],
        tools = [
            "//tools/npm:type_check.sh",
            "@npm//:esbuild",
            "@npm//:tsc",
        ],
        cmd = " ".join([
            "$(execpath //tools/npm:type_check.sh)",
            "$(execpath @npm//:tsc)",
            "$(execpath %s)" % tsconfig,
        ] + ["$(execpath %s)" % src for src in srcs] + [
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
