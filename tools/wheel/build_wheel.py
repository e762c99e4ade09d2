"""Builds a pure-Python wheel from files Bazel hands over, without setuptools or network.

    build_wheel --distribution NAME --version V --output OUT.whl \
        [--summary TEXT] [--requires REQ]... [--extra NAME=REQ]... \
        [--entry_point GROUP:NAME=MODULE:ATTR]... FILE...

Each FILE goes into the wheel at its path in the workspace: a file Bazel generated
(`bazel-out/<config>/bin/pkg/file`) at `pkg/file`. The wheel is reproducible: entries are sorted
and carry a fixed timestamp and mode, so the same inputs always make the same bytes.
"""

import argparse
import base64
import hashlib
import os
import re
import zipfile

# The earliest timestamp a zip can hold; what reproducible wheel builders use.
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
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


def metadata_text(distribution, version, summary, requires, extras):
    """The dist-info METADATA (core metadata 2.1) of the wheel.

    Args:
      extras: [(extra, requirement)]: `requirement` is needed only with `pip install NAME[extra]`.
    """
    lines = ["Metadata-Version: 2.1", "Name: " + distribution, "Version: " + version]
    if summary:
        lines.append("Summary: " + summary)
    lines += ["Requires-Dist: " + requirement for requirement in requires]
    for extra in sorted({extra for extra, _ in extras}):
        lines.append("Provides-Extra: " + extra)
    lines += ['Requires-Dist: %s; extra == "%s"' % (req, extra) for extra, req in extras]
    return "\n".join(lines) + "\n"


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


def record_line(path, content):
    """One line of RECORD: the path, the urlsafe-base64 sha256 without padding, the size."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode("ascii")
    return "%s,sha256=%s,%d" % (path, digest, len(content))


def build_wheel(output, distribution, version, files, summary="", requires=(), extras=(), entry_points=()):
    """Writes the wheel to `output`.

    Args:
      output: The path of the .whl to write.
      distribution: The distribution's name, as `pip install` takes it.
      version: Its version.
      files: {path in the wheel: path of the file to put there}.
      summary: One line that describes the distribution.
      requires: Requirements (PEP 508), always installed with it.
      extras: [(extra, requirement)], installed only when the extra is asked for.
      entry_points: [(group, name, "module:attr")].

    Raises:
      ValueError: a file would go into the dist-info directory, or outside the wheel's root.
    """
    dist_info = "%s-%s.dist-info" % (escaped_name(distribution), version)
    contents = {}
    for path, source in files.items():
        if path.startswith(dist_info + "/") or path.startswith("/") or ".." in path.split("/"):
            raise ValueError("%r cannot go into the wheel at %r" % (source, path))
        with open(source, "rb") as source_file:
            contents[path] = source_file.read()
    contents[dist_info + "/METADATA"] = metadata_text(distribution, version, summary, requires, extras).encode()
    contents[dist_info + "/WHEEL"] = wheel_text().encode()
    if entry_points:
        contents[dist_info + "/entry_points.txt"] = entry_points_text(entry_points).encode()
    record_path = dist_info + "/RECORD"
    # The package's files first, then the dist-info, RECORD last, as pip and wheel write them.
    ordered = sorted(contents, key=lambda path: (path.startswith(dist_info + "/"), path))
    record = "".join(record_line(path, contents[path]) + "\n" for path in ordered) + record_path + ",,\n"
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as wheel:
        for path in ordered:
            _write_entry(wheel, path, contents[path])
        _write_entry(wheel, record_path, record.encode())


def _write_entry(wheel, path, content):
    info = zipfile.ZipInfo(path, date_time=FIXED_DATE_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (_FILE_MODE | 0o100000) << 16  # a regular file, rw-r--r--
    wheel.writestr(info, content)


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
    parser.add_argument("--requires", action="append", default=[])
    parser.add_argument("--extra", action="append", default=[], type=_parse_extra)
    parser.add_argument("--entry_point", action="append", default=[], type=_parse_entry_point)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    # pip installs a wheel only under the name that its distribution and version make.
    expected_name = wheel_file_name(args.distribution, args.version)
    if os.path.basename(args.output) != expected_name:
        parser.error("--output must be named %s, not %s" % (expected_name, os.path.basename(args.output)))
    build_wheel(
        args.output,
        args.distribution,
        args.version,
        {archive_path(path): path for path in args.files},
        summary=args.summary,
        requires=args.requires,
        extras=args.extra,
        entry_points=args.entry_point,
    )


if __name__ == "__main__":
    main()
