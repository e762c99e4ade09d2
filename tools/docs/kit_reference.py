"""Checks that every public name of the plugin kit has a docstring or TSDoc and a line in the guide's reference.

Python modules are read with `ast`, without importing them: a public name is one defined in the
module itself (no leading underscore). TypeScript is read by a regex over `export` lines, hand-written
because TypeScript's own parser would need Node in a Python test, and the kit's modules declare each
export on one line. The reference is docs/writing-a-plugin.md's `## Reference` section: a Python
table names `module.name` (later names of a cell in the same module), and a TypeScript table names
a module's exports in the row of its file, or under a heading that names the file.
"""

import ast
import os
import re

import markdown_it

_TS_EXPORT = re.compile(
    r"^export\s+(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?"
    r"(?:function\*?|class|const|let|var|interface|type|enum)\s+([A-Za-z_$][\w$]*)"
)
_QUALIFIED = re.compile(r"^([A-Za-z_][\w.]*)")
# `export {A, B} from './module'`: names another module defines, shown again by this one.
_TS_REEXPORT = re.compile(r"^export\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'\./([\w.]+)'")


def python_names(source):
    """The public names `source` (a module's text) defines: [(name, has_docstring)].

    A function or class has a docstring or not, and so do a class's public methods (`Class.method`,
    not in the reference); a constant cannot hold one, so it counts as having one.
    """
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append((node.name, ast.get_docstring(node) is not None))
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            names.extend(
                ("%s.%s" % (node.name, method.name), ast.get_docstring(method) is not None)
                for method in node.body
                if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and not method.name.startswith("_")
            )
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.extend((target.id, True) for target in targets if isinstance(target, ast.Name))
    return [(name, documented) for name, documented in names if not name.startswith("_")]


def typescript_names(source):
    """The names `source` (a TypeScript module's text) exports: [(name, has_tsdoc)].

    TSDoc is a `/** ... */` comment right above the export or above its decorators.
    """
    lines = source.splitlines()
    names = []
    for index, line in enumerate(lines):
        match = _TS_EXPORT.match(line)
        if not match:
            continue
        above = index - 1
        while above >= 0 and lines[above].lstrip().startswith("@"):
            above -= 1
        documented = False
        if above >= 0 and lines[above].rstrip().endswith("*/"):
            while above >= 0 and "/*" not in lines[above]:
                above -= 1
            documented = above >= 0 and lines[above].lstrip().startswith("/**")
        names.append((match.group(1), documented))
    return names


def reference_names(guide):
    """The names the guide's `## Reference` section lists: {"module.name"} and {"file.ts:name"}."""
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(guide)
    python, typescript = set(), set()
    in_reference = False
    language = heading_file = None
    row = []
    for index, token in enumerate(tokens):
        if token.type != "inline" and token.type != "tr_close":
            continue
        if token.type == "inline" and tokens[index - 1].type == "heading_open":
            level = tokens[index - 1].tag
            if level == "h2":
                in_reference = token.content.strip() == "Reference"
            elif level == "h3":
                language = "typescript" if "TypeScript" in token.content else "python"
                files = [c.content for c in token.children if c.type == "code_inline" and c.content.endswith(".ts")]
                heading_file = os.path.basename(files[-1]) if files else None
            continue
        if not in_reference:
            continue
        if token.type == "inline":
            if tokens[index - 1].type in ("td_open", "th_open"):
                row.append([c.content for c in token.children if c.type == "code_inline"])
            continue
        cells, row = row, []
        if not cells or not cells[0]:
            continue
        if language == "typescript":
            if cells[0][0].endswith(".ts"):
                file, spans = cells[0][0], [span for cell in cells[1:] for span in cell]
            else:
                file, spans = heading_file, cells[0]
            for span in spans:
                name = _QUALIFIED.match(span)
                if name and file:
                    typescript.add("%s:%s" % (file, name.group(1).split(".")[0]))
        else:
            module = None
            for span in cells[0]:
                name = _QUALIFIED.match(span)
                if not name:
                    continue
                parts = name.group(1).split(".")
                if len(parts) > 1:
                    module = parts[0]
                if module:
                    python.add("%s.%s" % (module, parts[-1]))
    return python, typescript


def problems(python_modules, typescript_modules, guide):
    """What the kit lacks: a line per public name without a docstring/TSDoc or a reference line.

    `python_modules` and `typescript_modules` map a module's file name (`routes.py`, `api.ts`) to its text.
    """
    python, typescript = reference_names(guide)
    found = []
    for file, source in sorted(python_modules.items()):
        module = os.path.splitext(file)[0]
        for name, documented in python_names(source):
            if not documented:
                found.append("%s: %s has no docstring" % (file, name))
            if "." not in name and "%s.%s" % (module, name) not in python:
                found.append("%s: %s is not in the guide's reference" % (file, name))
    # A name another module exports again may be listed under either.
    shown_by = {}
    for file, source in typescript_modules.items():
        for match in filter(None, map(_TS_REEXPORT.match, source.splitlines())):
            for name in match.group(1).split(","):
                shown_by.setdefault((match.group(2) + ".ts", name.strip()), []).append(file)
    for file, source in sorted(typescript_modules.items()):
        for name, documented in typescript_names(source):
            if not documented:
                found.append("%s: %s has no TSDoc" % (file, name))
            listed_in = [file] + shown_by.get((file, name), [])
            if not any("%s:%s" % (listed, name) in typescript for listed in listed_in):
                found.append("%s: %s is not in the guide's reference" % (file, name))
    return found
