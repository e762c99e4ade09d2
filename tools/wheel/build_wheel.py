"""Builds a pure-Python wheel from files Bazel hands over, offline, with `wheel` and `packaging`.

    build_wheel --distribution NAME --version V --output OUT.whl \
        [--summary TEXT] [--requires_python SPEC] [--requires REQ]... [--extra NAME=REQ]... \
        [--entry_point GROUP:NAME=MODULE:ATTR]... FILE...

Each FILE goes into the wheel at its path in the workspace: a file Bazel generated
(`bazel-out/<config>/bin/pkg/file`) at `pkg/file`. `packaging` writes and validates METADATA;
`wheel`'s WheelFile writes the archive and its RECORD. The wheel is reproducible: entries are sorted
and carry a fixed timestamp and mode, so the same inputs always make the same bytes.
"""

import argparse
import os
import re
import zipfile

from packaging import markers
from packaging import metadata
from packaging import requirements
from packaging import utils
from wheel import wheelfile

# The earliest timestamp a zip can hold; what reproducible wheel builders use.
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
# Core metadata 2.3: Requires-Python and extras' markers as pip reads them, extras' names normalized.
METADATA_VERSION = "2.3"
_FILE_MODE = 0o644
_GENERATED_PREFIX = re.compile(r"^bazel-out/[^/]+/(bin|genfiles)/")
_ENTRY_POINT = re.compile(r"^(?P<group>[\w.]+):(?P<name>[\w.-]+)=(?P<value>[\w.]+:[\w.]+)$")


def archive_path(path):
    """Where a file Bazel hands over goes in the wheel: its path relative to the workspace root."""
    return _GENERATED_PREFIX.sub("", path)


def escaped_name(distribution):
    """The distribution's name as wheel file names spell it (PEP 427): runs of -_. become `_`."""
    return re.sub(r"[-_.]+", "_", distribution)


def wheel_file_name(distribution, version):
    """The file name of a pure-Python 3 wheel of `distribution` at `version`."""
    return "%s-%s-py3-none-any.whl" % (escaped_name(distribution), version)


def extra_requirement(extra, requirement):
    """`requirement` (PEP 508) needed only with `pip install NAME[extra]`: its own marker, if any,
    and `extra == "..."` both hold."""
    parsed = requirements.Requirement(requirement)
    only_with_extra = 'extra == "%s"' % utils.canonicalize_name(extra)
    parsed.marker = markers.Marker(
        "(%s) and %s" % (parsed.marker, only_with_extra) if parsed.marker else only_with_extra
    )
    return str(parsed)


def metadata_text(distribution, version, summary, requires, extras, requires_python=None):
    """The dist-info METADATA, written and validated by `packaging`.

    Args:
      summary: What the distribution is; its lines are joined into the one line METADATA holds.
      extras: [(extra, requirement)]: `requirement` is needed only with `pip install NAME[extra]`.
      requires_python: The Pythons it runs on (a PEP 440 specifier, ">=3.10"), or None for any.

    Raises:
      packaging.metadata.ExceptionGroup: a field is invalid (a requirement, a name, a version).
    """
    raw = {
        "metadata_version": METADATA_VERSION,
        "name": distribution,
        "version": version,
        "requires_dist": list(requires) + [extra_requirement(extra, req) for extra, req in extras],
    }
    if summary:
        raw["summary"] = " ".join(summary.split())
    if requires_python:
        raw["requires_python"] = requires_python
    provided = sorted({utils.canonicalize_name(extra) for extra, _ in extras})
    if provided:
        raw["provides_extra"] = provided
    return bytes(metadata.Metadata.from_raw(raw, validate=True).as_rfc822()).decode("utf-8")


def wheel_text():
    """The dist-info WHEEL file of a pure-Python 3 wheel."""
    return "Wheel-Version: 1.0\nGenerator: tensorboard_x build_wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def entry_points_text(entry_points):
    """The dist-info entry_points.txt for [(group, name, "module:attr")], grouped and sorted."""
    groups = {}
    for group, name, value in entry_points:
        groups.setdefault(group, []).append("%s = %s" % (name, value))
    return "".join(
        "[%s]\n%s\n\n" % (group, "\n".join(sorted(lines))) for group, lines in sorted(groups.items())
    )


class _ReproducibleWheelFile(wheelfile.WheelFile):
    """WheelFile with every entry dated FIXED_DATE_TIME and rw-r--r--, the RECORD it writes included
    (WheelFile dates that one by the clock, or SOURCE_DATE_EPOCH)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=FIXED_DATE_TIME)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = (_FILE_MODE | 0o100000) << 16  # a regular file
        super().writestr(zinfo_or_arcname, data, compress_type)


def build_wheel(output, distribution, version, files, summary="", requires=(), extras=(), entry_points=(),
                requires_python=None):
    """Writes the wheel to `output`.

    Args:
      output: The path of the .whl to write.
      distribution: The distribution's name, as `pip install` takes it.
      version: Its version.
      files: {path in the wheel: path of the file to put there}.
      summary: What the distribution is, in one line (more are joined).
      requires: Requirements (PEP 508), always installed with it.
      extras: [(extra, requirement)], installed only when the extra is asked for.
      entry_points: [(group, name, "module:attr")].
      requires_python: The Pythons pip installs it on (">=3.10"), or None for any.

    Raises:
      ValueError: a file would go into the dist-info directory, or outside the wheel's root.
      packaging.metadata.ExceptionGroup: the metadata is invalid.
    """
    dist_info = "%s-%s.dist-info" % (escaped_name(distribution), version)
    # First: invalid metadata is the likelier mistake, and the cheaper to find.
    metadata_bytes = metadata_text(distribution, version, summary, requires, extras, requires_python).encode()
    contents = {}
    for path, source in files.items():
        if path.startswith(dist_info + "/") or path.startswith("/") or ".." in path.split("/"):
            raise ValueError("%r cannot go into the wheel at %r" % (source, path))
        with open(source, "rb") as source_file:
            contents[path] = source_file.read()
    contents[dist_info + "/METADATA"] = metadata_bytes
    contents[dist_info + "/WHEEL"] = wheel_text().encode()
    if entry_points:
        contents[dist_info + "/entry_points.txt"] = entry_points_text(entry_points).encode()
    # The package's files first, then the dist-info; WheelFile adds RECORD last, as pip writes them.
    with _ReproducibleWheelFile(output, "w") as wheel:
        for path in sorted(contents, key=lambda path: (path.startswith(dist_info + "/"), path)):
            wheel.writestr(path, contents[path])


def _parse_extra(text):
    extra, separator, requirement = text.partition("=")
    if not separator or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", extra) or not requirement:
        raise argparse.ArgumentTypeError("expected EXTRA=REQUIREMENT, got %r" % text)
    return extra, requirement


def _parse_entry_point(text):
    match = _ENTRY_POINT.match(text.replace(" ", ""))
    if not match:
        raise argparse.ArgumentTypeError("expected GROUP:NAME=MODULE:ATTR, got %r" % text)
    return match.group("group"), match.group("name"), match.group("value")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--distribution", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--summary", default="")
    parser.add_argument("--requires_python")
    parser.add_argument("--requires", action="append", default=[])
    parser.add_argument("--extra", action="append", default=[], type=_parse_extra)
    parser.add_argument("--entry_point", action="append", default=[], type=_parse_entry_point)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    # pip installs a wheel only under the name that its distribution and version make.
    expected_name = wheel_file_name(args.distribution, args.version)
    if os.path.basename(args.output) != expected_name:
        parser.error("--output must be named %s, not %s" % (expected_name, os.path.basename(args.output)))
    try:
        build_wheel(
            args.output,
            args.distribution,
            args.version,
            {archive_path(path): path for path in args.files},
            summary=args.summary,
            requires=args.requires,
            extras=args.extra,
            entry_points=args.entry_point,
            requires_python=args.requires_python,
        )
    except metadata.ExceptionGroup as e:
        parser.error("invalid metadata: %s" % "; ".join(str(problem) for problem in e.exceptions))


if __name__ == "__main__":
    main()
