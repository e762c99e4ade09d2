"""The README and docs/ hold: their Python blocks run, the Bazel targets and TensorBoard-X flags they
name exist, and their relative links and anchors resolve (check_docs.py)."""

import glob
import os
import subprocess
import tempfile

from absl.testing import absltest

from tools.docs import check_docs

# The docs as this test's runfiles: symbolic links into the source tree, whose BUILD files and linked
# files are read there (the test is tagged "external", so it runs again whatever changed).
_RUNFILES = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_ROOT = os.path.dirname(os.path.realpath(os.path.join(_RUNFILES, "README.md")))
_TENSORBOARD_X = os.path.join(_RUNFILES, "greeter_tensorboard", "greeter_tensorboard")
# The documents a reader follows; BENCHMARKS.md is written by //tools/bench and its links are checked.
_CHECKED = ["README.md"] + sorted(
    os.path.relpath(path, _ROOT) for path in glob.glob(os.path.join(_ROOT, "docs", "**", "*.md"), recursive=True)
)


def _documents(paths):
    documents = []
    for path in paths:
        with open(os.path.join(_ROOT, path), encoding="utf-8") as f:
            documents.append(check_docs.parse(path.replace(os.sep, "/"), f.read()))
    return documents


class DocsTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.documents = _documents(_CHECKED)
        cls.by_path = {d.path: d for d in cls.documents + _documents(["BENCHMARKS.md"])}

    def assertNoProblems(self, problems):
        self.assertEqual([], problems, "\n" + "\n".join(problems))

    def test_the_workspace_is_the_source_tree(self):
        self.assertTrue(os.path.exists(os.path.join(_ROOT, "WORKSPACE")), _ROOT)
        self.assertIn("docs/index.md", [d.path for d in self.documents])

    def test_ci_runs_the_readmes_test_command(self):
        setup = next(b for b in self.by_path["README.md"].blocks if "tools/bazel test" in b.text)
        readme_command = next(l for l in setup.text.splitlines() if "tools/bazel test" in l).split("#")[0].split()
        with open(os.path.join(_ROOT, ".ci", "run"), encoding="utf-8") as f:
            ci_command = next(l for l in f if l.startswith("tools/bazel test")).split()
        # CI adds only options that keep going and count the results.
        self.assertEqual(readme_command, [w for w in ci_command if not w.startswith(("--keep_going", "--build_event_json_file"))])

    def test_named_targets_exist(self):
        packages = check_docs.workspace_targets(_ROOT)
        self.assertIn("serve_demo", packages["greeter_tensorboard"])  # the parser reads this workspace
        self.assertNoProblems([p for d in self.by_path.values() for p in check_docs.check_targets(d, packages)])

    def test_named_flags_are_tensorboard_x_flags(self):
        help_text = subprocess.run([_TENSORBOARD_X, "--help"], capture_output=True, text=True, timeout=120).stdout
        flags = check_docs.flags_of_help(help_text)
        self.assertIn("samples_per_plugin", flags)
        self.assertNoProblems([p for d in self.documents for p in check_docs.check_flags(d, flags)])

    def test_relative_links_resolve(self):
        self.assertNoProblems([p for d in self.by_path.values() for p in check_docs.check_links(d, _ROOT, self.by_path)])

    def test_python_blocks_run(self):
        problems = []
        for document in self.documents:
            with tempfile.TemporaryDirectory(dir=os.environ.get("TEST_TMPDIR")) as workdir:
                problems += check_docs.run_python_blocks(document, workdir)
        self.assertNoProblems(problems)


if __name__ == "__main__":
    absltest.main()
