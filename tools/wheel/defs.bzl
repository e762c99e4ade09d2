"""py_wheel: a pure-Python wheel of files in this workspace, built by //tools/wheel:build_wheel."""

def _shell_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"

# The Greeter (and the plugins made from it) calls bisect with key=, new in Python 3.10.
REQUIRES_PYTHON = ">=3.10"

def py_wheel(
        name,
        distribution,
        version,
        srcs,
        summary = "",
        requires = [],
        extras = {},
        entry_points = {},
        requires_python = REQUIRES_PYTHON,
        **kwargs):
    """A wheel, `<distribution>-<version>-py3-none-any.whl`, that holds `srcs` at their workspace paths.

    Args:
      name: The target's name.
      distribution: The name `pip install` takes.
      version: The distribution's version.
      srcs: Files and targets (generated files included) to put into the wheel.
      summary: One line that describes the distribution.
      requires: Requirements (PEP 508) that pip installs with the wheel.
      requires_python: The Pythons pip installs the wheel on (PEP 440).
      extras: {extra: [requirement]}: installed only by `pip install <distribution>[extra]`.
      entry_points: {group: {name: "module:attr"}}, e.g. {"tensorboard_plugins": {...}}.
      **kwargs: Passed to the genrule (visibility, tags).
    """
    args = [
        "--distribution",
        distribution,
        "--version",
        version,
        "--summary",
        summary,
        "--requires_python",
        requires_python,
    ]
    for requirement in requires:
        args += ["--requires", requirement]
    for extra, requirements in extras.items():
        for requirement in requirements:
            args += ["--extra", "%s=%s" % (extra, requirement)]
    for group, points in entry_points.items():
        for point, value in points.items():
            args += ["--entry_point", "%s:%s=%s" % (group, point, value)]
    native.genrule(
        name = name,
        srcs = srcs,
        outs = ["%s-%s-py3-none-any.whl" % (distribution.replace("-", "_").replace(".", "_"), version)],
        tools = ["//tools/wheel:build_wheel"],
        cmd = "$(execpath //tools/wheel:build_wheel) --output $@ %s $(SRCS)" % " ".join(
            [_shell_quote(arg) for arg in args],
        ),
        **kwargs
    )
