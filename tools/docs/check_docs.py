"""Checks Markdown docs against the workspace: the Bazel targets and TensorBoard-X flags they name
exist, their relative links (and #anchors) resolve, and their Python blocks run.

A fenced block says what it is in its info string: ```python runs; ```python no-run is shown only
(it needs what this machine lacks, or stands for a user's own code); `no-check` on any block skips
its targets and flags too (a scaffolded plugin's targets, say, which exist only once it is written).
"""

import ast
import collections
import dataclasses
import os
import posixpath
import re
import subprocess
import sys
import urllib.parse

import markdown_it

# A workspace label: `//pkg`, `//pkg:name`, `//pkg/...`; not `@repo//...`, `s3://` or `http://`.
_LABEL = re.compile(r"(?<![\w@:/.-])//([A-Za-z0-9_./-]*)(?::([A-Za-z0-9_./+=*-]+))?")
_FLAG = re.compile(r"(?<![\w-])--([a-z][a-z0-9_]*)")
# Commands whose arguments are TensorBoard-X's flags: the Bazel binaries, the pip command, the single
# file and the notebook magic. serve_demo takes them too, and --overwrite of its own.
_TENSORBOARD_X_TARGETS = {
    "//greeter_tensorboard": (),
    "//greeter_tensorboard:greeter_tensorboard": (),
    "//greeter_tensorboard:serve_demo": ("overwrite",),
}
_TENSORBOARD_X_PROGRAM = re.compile(r"(?:^|[\s/])(?:tensorboard-x|%tensorboard)\s+(.*)")
_BAZEL_RUN = re.compile(r"\bbazel\s+run\s+(?:--\S+\s+)*(//\S+)(?:\s+--\s+(.*))?")
_SHELL_END = re.compile(r"\s(?:#|&&|\|\||;|\|)(?:\s|$)")


@dataclasses.dataclass
class Block:
    """A fenced code block: its language, the other words of its info string, its text and line."""

    language: str
    options: tuple
    text: str
    line: int


@dataclasses.dataclass
class Document:
    """A Markdown file's fenced blocks, inline code, links and heading anchors."""

    path: str  # relative to the workspace root, with "/"
    blocks: list
    inline_code: list  # (text, line)
    links: list  # (target, line)
    anchors: set


def _slug(heading, seen):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as "-", repeats numbered."""
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
    count = seen[slug]
    seen[slug] += 1
    return slug if count == 0 else "%s-%d" % (slug, count)


def parse(path, text):
    """Parses Markdown `text` (of the file at workspace-relative `path`) into a Document."""
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(text)
    document = Document(path=path, blocks=[], inline_code=[], links=[], anchors=set())
    seen = collections.Counter()
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else 0
        if token.type == "fence":
            words = token.info.split()
            document.blocks.append(Block(words[0] if words else "", tuple(words[1:]), token.content, line + 1))
        elif token.type == "inline":
            if tokens[index - 1].type == "heading_open":
                document.anchors.add(_slug(token.content, seen))
            for child in token.children or ():
                if child.type == "code_inline":
                    document.inline_code.append((child.content, line))
                elif child.type == "link_open":
                    document.links.append((child.attrs["href"], line))
                elif child.type == "image":
                    document.links.append((child.attrs["src"], line))
    return document


# --- Bazel targets --------------------------------------------------------------------------------


class _Anything:
    """What an unknown name, a rule or a macro evaluates to in a BUILD file: it absorbs every use."""

    def __init__(self, record=None):
        self._record = record

    def __call__(self, *args, **kwargs):
        if self._record:
            for key in ("name", "out"):
                if isinstance(kwargs.get(key), str):
                    self._record(kwargs[key])
            for out in kwargs.get("outs") or ():
                if isinstance(out, str):
                    self._record(out)
        return _Anything()

    def __add__(self, other):
        return self

    __radd__ = __add__

    def __iter__(self):
        return iter(())

    def __getattr__(self, name):
        return _Anything(self._record)

    def __getitem__(self, key):
        return _Anything()


def _rule_names(build_text, build_path):
    """The targets a BUILD file's rules and macros name (`name`, `out`, `outs`).

    The file is run as Python with every rule, macro and loaded symbol recording its `name`: Starlark
    BUILD files are Python in syntax, and a list comprehension of rules then names each target. A
    macro's own extra targets are not seen. Bazel's own `bazel query` would need a Bazel inside the
    test; this reads the same files in milliseconds.
    """
    names = set()
    code = compile(ast.parse(build_text, build_path), build_path, "exec")
    recorder = _Anything(names.add)
    scope = {"__builtins__": __builtins__}
    for _ in range(200):  # each round defines one more unknown name
        names.clear()
        scope.update(load=lambda *args, **kwargs: _define_loaded(scope, recorder, args, kwargs), native=recorder)
        try:
            exec(code, scope)  # pylint: disable=exec-used
            return names
        except NameError as e:
            scope[e.name] = recorder
    raise ValueError("%s: too many unknown names" % build_path)


def _define_loaded(scope, recorder, args, kwargs):
    for symbol in list(args[1:]) + list(kwargs):
        scope[symbol] = recorder


def _relative(root, path):
    """`path` relative to `root`, with "/", and "" for `root` itself."""
    relative = os.path.relpath(path, root).replace(os.sep, "/")
    return "" if relative == "." else relative


def _in_workspace(directory, subdirectory):
    """Whether `subdirectory` of `directory` holds this workspace's files: not Bazel's output links,
    hidden directories, npm's packages, or another workspace."""
    return (
        not subdirectory.startswith((".", "bazel-"))
        and subdirectory != "node_modules"
        and not os.path.exists(os.path.join(directory, subdirectory, "WORKSPACE"))
    )


def workspace_targets(root):
    """{package: the names of its targets (rules and files)} for every package under `root`."""
    packages = {}
    for directory, subdirectories, files in os.walk(root):
        relative = _relative(root, directory)
        subdirectories[:] = sorted(d for d in subdirectories if _in_workspace(directory, d))
        build = next((name for name in ("BUILD.bazel", "BUILD") if name in files), None)
        if build is None:
            continue
        with open(os.path.join(directory, build), encoding="utf-8") as f:
            packages[relative] = _rule_names(f.read(), os.path.join(relative, build))
    for package in packages:  # a package's files are targets too, down to its subpackages
        top = os.path.join(root, package)
        for directory, subdirectories, files in os.walk(top):
            subdirectories[:] = [
                d
                for d in subdirectories
                if _in_workspace(directory, d) and _relative(root, os.path.join(directory, d)) not in packages
            ]
            prefix = _relative(top, directory)
            packages[package].update(posixpath.join(prefix, f) if prefix else f for f in files)
    return packages


def labels_in(text):
    """The workspace labels in `text`, as (package, name or None, the label as written)."""
    found = []
    for match in _LABEL.finditer(text):
        package, name = match.group(1), match.group(2)
        package = package.rstrip(".") if not package.endswith("...") else package
        if name:
            name = name.rstrip(".")
        found.append((package, name, match.group(0).rstrip(".")))
    return found


def missing_target(packages, package, name):
    """Why `//package[:name]` names nothing in `packages`, or None if it names something."""
    if package == "..." or package.endswith("/..."):
        prefix = package[: -len("...")].rstrip("/")
        if prefix and not any(p == prefix or p.startswith(prefix + "/") for p in packages):
            return "no package under //%s" % prefix
        return None
    if package not in packages:
        return "no package //%s" % package
    name = name or posixpath.basename(package)
    if name in ("all", "*", "all-targets") or name in packages[package]:
        return None
    return "no target %s in //%s" % (name, package)


# --- TensorBoard-X flags --------------------------------------------------------------------------


def flags_of_help(help_text):
    """The long flags a program's `--help` lists."""
    return set(re.findall(r"(?<![\w-])--([a-z][a-z0-9_]*)", help_text))


def tensorboard_x_flags_named(code):
    """The flags given to TensorBoard-X in shell `code`, as {flag: extra flags allowed there}."""
    named = {}
    for line in code.splitlines():
        line = line.strip()
        arguments, allowed = None, ()
        run = _BAZEL_RUN.search(line)
        if run:
            target = run.group(1)
            if target in _TENSORBOARD_X_TARGETS:
                arguments, allowed = run.group(2) or "", _TENSORBOARD_X_TARGETS[target]
        else:
            program = _TENSORBOARD_X_PROGRAM.search(line)
            if program:
                arguments = program.group(1)
        if arguments is None:
            continue
        arguments = _SHELL_END.split(" " + arguments)[0]
        for flag in _FLAG.findall(arguments):
            named[flag] = allowed
    return named


# --- Checks ---------------------------------------------------------------------------------------


def check_targets(document, packages):
    """Problems with the Bazel labels a document names in its code."""
    problems = []
    pieces = [(block.text, block.line) for block in document.blocks if "no-check" not in block.options]
    pieces += document.inline_code
    for text, line in pieces:
        for package, name, written in labels_in(text):
            why = missing_target(packages, package, name)
            if why:
                problems.append("%s:%d: %s names no target (%s)" % (document.path, line, written, why))
    return problems


def check_flags(document, flags):
    """Problems with the TensorBoard-X flags a document names: in commands that run TensorBoard-X,
    and in inline code that is a flag alone (`--load_fast=false`)."""
    problems = []
    shell_blocks = [(b.text, b.line) for b in document.blocks if b.language != "python" and "no-check" not in b.options]
    for text, line in shell_blocks + document.inline_code:
        named = tensorboard_x_flags_named(text)
        if text.startswith("--") and " " not in text.strip():
            named.update(dict.fromkeys(_FLAG.findall(text[:text.find("=")] if "=" in text else text), ()))
        for flag, allowed in sorted(named.items()):
            if flag not in flags and flag not in allowed:
                problems.append("%s:%d: --%s is not a TensorBoard-X flag" % (document.path, line, flag))
    return problems


def check_links(document, root, documents_by_path):
    """Problems with a document's relative links: a file or directory that is not there, an #anchor
    that no heading of the linked Markdown file makes."""
    problems = []
    for target, line in document.links:
        parsed = urllib.parse.urlsplit(target)
        if parsed.scheme or parsed.netloc:
            continue
        path = urllib.parse.unquote(parsed.path)
        linked = posixpath.normpath(posixpath.join(posixpath.dirname(document.path), path)) if path else document.path
        if linked.startswith("../") or not os.path.exists(os.path.join(root, linked)):
            problems.append("%s:%d: link %s: no file %s" % (document.path, line, target, linked))
            continue
        if parsed.fragment and linked.endswith(".md"):
            anchors = documents_by_path[linked].anchors if linked in documents_by_path else _anchors_of(root, linked)
            if parsed.fragment not in anchors:
                problems.append("%s:%d: link %s: no heading #%s in %s" % (document.path, line, target, parsed.fragment, linked))
    return problems


def _anchors_of(root, path):
    with open(os.path.join(root, path), encoding="utf-8") as f:
        return parse(path, f.read()).anchors


def run_python_blocks(document, workdir, timeout_seconds=300):
    """Runs a document's Python blocks in order, each in a new Python in `workdir` (shared by them, so
    that a block reads what an earlier one wrote); returns a problem for each block that fails."""
    problems = []
    os.makedirs(workdir, exist_ok=True)
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    for block in document.blocks:
        if block.language != "python" or "no-run" in block.options:
            continue
        try:
            result = subprocess.run(
                [sys.executable, "-c", block.text],
                cwd=workdir,
                env=environment,
                capture_output=True,
                text=True,
                timeout=timeout_seconds,
            )
        except subprocess.TimeoutExpired:
            problems.append("%s:%d: Python block ran longer than %d s" % (document.path, block.line, timeout_seconds))
            continue
        if result.returncode != 0:
            last_lines = "\n".join(result.stderr.strip().splitlines()[-6:])
            problems.append("%s:%d: Python block failed:\n%s" % (document.path, block.line, last_lines))
    return problems
