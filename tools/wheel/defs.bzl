"""py_wheel: a pure-Python wheel of files in this workspace, built by //tools/wheel:build_wheel."""

def _shell_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"

def py_wheel(name, distribution, version, srcs, summary = "", requires = [], extras = {}, entry_points = {}, **kwargs):
    """A wheel, `<distribution>-<version>-py3-none-any.whl`, that holds `srcs` at their workspace paths.

    Args:
      name: The target's name.
      distribution: The name `pip install` takes.
      version: The distribution's version.
      srcs: Files and targets (generated files included) to put into the wheel.
      summary: One line that describes the distribution.
      requires: Requirements (PEP 508) that pip installs with the wheel.
      extras: {extra: [requirement]}: installed only by `pip install <distribution>[extra]`.
      entry_points: {group: {name: "module:attr"}}, e.g. {"tensorboard_plugins": {...}}.
      **kwargs: Passed to the genrule (visibility, tags).
    """
    args = ["--distribution", distribution, "--version", version, "--summary", summary]
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
