"""The plugin kit's public names each have a docstring or TSDoc and a line in docs/writing-a-plugin.md's reference."""

import glob
import os
import textwrap

from absl.testing import absltest

from tools.docs import kit_reference

_RUNFILES = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_GUIDE = textwrap.dedent(
    """\
    # A guide

    ## Reference

    ### Python

    A paragraph's `routes.LIMIT` is no line of the reference.

    | Name | What it is |
    | --- | --- |
    | `routes.json_route`, `int_arg(request, name)` | Routes. |

    ### TypeScript (`plugin_kit/frontend/render_dashboard.ts`)

    | Name | What it is |
    | --- | --- |
    | `renderDashboard(options)` | Draws it. |
    | `Column` | A column. |

    ### TypeScript: the kit's modules

    | Module | What it exports |
    | --- | --- |
    | `api.ts` | `fetchTags`, `TagsByRun`: the routes. |

    ## After the reference

    `undocumented_elsewhere` is not in it.
    """
)
_ROUTES = '''"""Routes."""
import json

LIMIT = 3


def json_route(handler):
    """Decorates a handler."""


def int_arg(request, name):
    """An integer."""


def _private():
    pass
'''
_API = """/** Runs' tags. */
export type TagsByRun = Record<string, string[]>;

/** Fetches tags. */
export function fetchTags(): Promise<TagsByRun> {}
"""
_RENDER_DASHBOARD = """export type {Column} from './options';

/** Draws the dashboard. */
export function renderDashboard(options: object): void {}
"""
_OPTIONS = """/**
 * A column.
 */
export interface Column {}
"""


def _read(pattern):
    texts = {}
    for path in glob.glob(os.path.join(_RUNFILES, pattern)):
        if not path.endswith("_test.py"):
            with open(path, encoding="utf-8") as f:
                texts[os.path.basename(path)] = f.read()
    return texts


class KitReferenceTest(absltest.TestCase):
    def test_every_public_name_of_the_kit_is_documented_and_in_the_guide(self):
        python = {**_read("plugin_kit/*.py"), **_read("plugin_kit/testing/*.py")}
        typescript = _read("plugin_kit/frontend/*.ts")
        # The test reads what it checks: a glob that found nothing would pass anything.
        self.assertContainsSubset({"series_plugin.py", "route_harness.py", "browser_harness.py"}, python)
        self.assertContainsSubset({"render_dashboard.ts", "card.ts", "api.ts"}, typescript)
        with open(os.path.join(_RUNFILES, "docs", "writing-a-plugin.md"), encoding="utf-8") as f:
            problems = kit_reference.problems(python, typescript, f.read())
        self.assertEqual([], problems, "\n" + "\n".join(problems))

    def test_a_small_kit_listed_in_full_has_no_problems(self):
        typescript = {"api.ts": _API, "render_dashboard.ts": _RENDER_DASHBOARD, "options.ts": _OPTIONS}
        self.assertEqual(
            ["routes.py: LIMIT is not in the guide's reference"],
            kit_reference.problems({"routes.py": _ROUTES}, typescript, _GUIDE),
        )

    def test_a_python_name_without_docstring_or_line_is_found(self):
        module = _ROUTES + '\n\nclass Answer:\n    """An answer."""\n\n    def send(self):\n        pass\n\n\ndef required_arg():\n    pass\n'
        problems = kit_reference.problems({"routes.py": module}, {}, _GUIDE)
        self.assertIn("routes.py: required_arg has no docstring", problems)
        self.assertIn("routes.py: required_arg is not in the guide's reference", problems)
        self.assertIn("routes.py: Answer.send has no docstring", problems)
        self.assertIn("routes.py: Answer is not in the guide's reference", problems)
        self.assertNotIn("routes.py: json is not in the guide's reference", problems)

    def test_a_name_listed_under_another_module_or_outside_the_reference_is_missing(self):
        problems = kit_reference.problems({"windows.py": '"""."""\ndef int_arg():\n    """."""\n'}, {}, _GUIDE)
        self.assertEqual(["windows.py: int_arg is not in the guide's reference"], problems)
        problems = kit_reference.problems({"routes.py": '"""."""\ndef undocumented_elsewhere():\n    """."""\n'}, {}, _GUIDE)
        self.assertEqual(["routes.py: undocumented_elsewhere is not in the guide's reference"], problems)

    def test_a_typescript_export_without_tsdoc_or_line_is_found(self):
        api = _API + "\n// A plain comment is not TSDoc.\nexport const RETRIES = 3;\n\n@customElement('x')\nexport class KitThing {}\n"
        problems = kit_reference.problems({}, {"api.ts": api, "options.ts": _OPTIONS}, _GUIDE)
        self.assertEqual(
            [
                "api.ts: RETRIES has no TSDoc",
                "api.ts: RETRIES is not in the guide's reference",
                "api.ts: KitThing has no TSDoc",
                "api.ts: KitThing is not in the guide's reference",
                # Listed only under render_dashboard.ts, which does not export it again here.
                "options.ts: Column is not in the guide's reference",
            ],
            problems,
        )


if __name__ == "__main__":
    absltest.main()
