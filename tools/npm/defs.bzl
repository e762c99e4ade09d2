"""Rules that bundle and type-check TypeScript with the locked npm packages of @npm (npm_deps.bzl)."""

def esbuild_bundle(name, entry_point, srcs, out, tsconfig, **kwargs):
    """Bundles `entry_point` and everything it imports into one minified ES module, `out`.

    Args:
      name: The target's name.
      entry_point: The TypeScript file whose exports the bundle exports.
      srcs: The entry point and every source file it imports, directly or not.
      out: The bundle's file name.
      tsconfig: The tsconfig.json whose compiler options (class fields, target) esbuild honours.
      **kwargs: Passed to the genrule (visibility, tags).
    """
    native.genrule(
        name = name,
        srcs = srcs + [tsconfig, "@npm//:node_modules"],
        outs = [out],
        tools = ["@npm//:esbuild"],
        # NODE_PATH is where esbuild resolves bare imports ("lit") that no node_modules directory
        # above the sources holds: @npm's lies outside the source tree.
        cmd = " ".join([
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

def tsc_check_test(name, srcs, tsconfig, **kwargs):
    """A test that type-checks `srcs` with `tsc --noEmit -p tsconfig`.

    Args:
      name: The test's name.
      srcs: The TypeScript sources the tsconfig.json includes.
      tsconfig: The project's tsconfig.json.
      **kwargs: Passed to the sh_test (size, tags, visibility).
    """
    native.sh_test(
        name = name,
        srcs = ["//tools/npm:tsc_check_test.sh"],
        args = [
            "$(rootpath @npm//:tsc)",
            "$(rootpath %s)" % tsconfig,
        ],
        data = srcs + [
            tsconfig,
            "@npm//:node_modules",
            "@npm//:tsc",
        ],
        **kwargs
    )
