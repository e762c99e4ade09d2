"""Each check of check_docs fails on a broken doc: a missing target, a flag TensorBoard-X lacks, a
link to nothing, a failing Python block; and passes the same doc mended."""

import os
import tempfile

from absl.testing import absltest

from tools.docs import check_docs

_BUILD = '''
load("//tools:defs.bzl", "py_binary", "py_server_test")

py_binary(name = "serve", srcs = ["serve.py"])

[py_server_test(name = name, srcs = [name + ".py"]) for name in ["a_browser_test", "b_browser_test"]]

genrule(name = "made", outs = ["made.txt"], cmd = "touch $@" + select({"//conditions:default": ""}))
'''


def _workspace():
    root = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
    for path, text in {
        "WORKSPACE": "",
        "README.md": "# Top\n",
        "app/BUILD": _BUILD,
        "app/serve.py": "",
        "app/sub/BUILD": 'py_library(name = "sub")',
        "docs/guide.md": "# A guide\n\n## Serving it\n",
    }.items():
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
        with open(os.path.join(root, path), "w", encoding="utf-8") as f:
            f.write(text)
    return root


def _doc(text, path="README.md"):
    return check_docs.parse(path, text)


class TargetsTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        self.packages = check_docs.workspace_targets(_workspace())

    def problems(self, text):
        return check_docs.check_targets(_doc(text), self.packages)

    def test_reads_rules_comprehensions_outs_and_files(self):
        self.assertEqual(
            {"serve", "a_browser_test", "b_browser_test", "made", "made.txt", "serve.py", "BUILD"},
            self.packages["app"],
        )
        self.assertEqual({"sub", "BUILD"}, self.packages["app/sub"])

    def test_targets_that_exist_pass(self):
        self.assertEqual(
            [],
            self.problems(
                "`bazel run //app:serve` and `//app/sub`, `//app/...`, `//...`, `@pypi//absl_py`, "
                "`s3://bucket/x`\n\n```sh\ntools/bazel test //app:a_browser_test //app:made.txt\n```\n"
            ),
        )

    def test_a_missing_target_fails(self):
        self.assertEqual(["README.md:1: //app:gone names no target (no target gone in //app)"], self.problems("`//app:gone`"))
        self.assertLen(self.problems("```sh\nbazel run //nowhere\n```\n"), 1)
        self.assertLen(self.problems("`bazel test //nowhere/...`."), 1)

    def test_a_block_marked_no_check_is_skipped(self):
        self.assertEqual([], self.problems("```sh no-check\nbazel test //new_plugin/...\n```\n"))


class FlagsTest(absltest.TestCase):
    FLAGS = {"logdir", "port", "load_fast"}

    def problems(self, text):
        return check_docs.check_flags(_doc(text), self.FLAGS)

    def test_tensorboard_x_flags_pass(self):
        text = (
            "```sh\ntools/bazel run //greeter_tensorboard -- --logdir=DIR --port 6006  # --not_checked\n"
            "tools/bazel run //greeter_tensorboard:serve_demo -- --overwrite\n"
            "tools/bazel run //tools/bench -- --cases memory\n"
            "tools/bazel test --local_test_jobs=1 //x\n"
            "./tensorboard-x --logdir=/data && other --thing\n```\n\n"
            "`--load_fast=false`, `pip install --no-index x`, `%tensorboard --logdir logs`"
        )
        self.assertEqual([], self.problems(text))

    def test_a_bad_flag_fails(self):
        self.assertEqual(
            ["README.md:2: --logdirr is not a TensorBoard-X flag"],
            self.problems("```sh\ntools/bazel run //greeter_tensorboard -- --logdirr=DIR\n```\n"),
        )
        self.assertLen(self.problems("`--load_fastest=true`"), 1)
        self.assertLen(self.problems("`tensorboard-x --porte=1`"), 1)
        self.assertLen(self.problems("`tools/bazel run //greeter_tensorboard -- --overwrite`"), 1)

    def test_flags_of_help(self):
        self.assertEqual({"logdir", "load_fast"}, check_docs.flags_of_help("  --logdir PATH   --load_fast {auto,true}"))


class LinksTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        self.root = _workspace()

    def problems(self, text, path="README.md"):
        document = _doc(text, path)
        return check_docs.check_links(document, self.root, {path: document})

    def test_links_that_resolve_pass(self):
        text = (
            "# Top\n\n[guide](docs/guide.md), [its part](docs/guide.md#serving-it), [code](app/serve.py), "
            "[a folder](app/sub/), [up](#top), [web](https://example.com/x.md#nowhere)\n"
        )
        self.assertEqual([], self.problems(text))
        self.assertEqual([], self.problems("[back](../README.md) [code](../app/BUILD)", "docs/guide.md"))

    def test_a_broken_link_fails(self):
        self.assertEqual(["README.md:1: link docs/gone.md: no file docs/gone.md"], self.problems("[x](docs/gone.md)"))
        self.assertEqual(
            ["README.md:1: link docs/guide.md#serving: no heading #serving in docs/guide.md"],
            self.problems("[x](docs/guide.md#serving)"),
        )
        self.assertLen(self.problems("![shot](docs/images/none.png)"), 1)
        self.assertLen(self.problems("[x](#nowhere)"), 1)
        self.assertLen(self.problems("[out](../../etc/passwd)", "docs/guide.md"), 1)


class PythonBlocksTest(absltest.TestCase):
    def run_blocks(self, text):
        workdir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        return check_docs.run_python_blocks(_doc(text), workdir)

    def test_blocks_run_in_order_in_one_directory(self):
        text = (
            "```python\nopen('written.txt', 'w').write('hi')\n```\n\n"
            "```python\nassert open('written.txt').read() == 'hi'\n```\n\n"
            "```python no-run\nimport not_installed_anywhere\n```\n"
        )
        self.assertEqual([], self.run_blocks(text))

    def test_a_failing_block_fails(self):
        problems = self.run_blocks("Text.\n\n```python\nx = 1\nraise ValueError('the snippet broke')\n```\n")
        self.assertLen(problems, 1)
        self.assertStartsWith(problems[0], "README.md:4: Python block failed:")
        self.assertIn("ValueError: the snippet broke", problems[0])

    def test_a_block_that_hangs_fails(self):
        document = _doc("```python\nimport time\ntime.sleep(30)\n```\n")
        workdir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        self.assertEqual(
            ["README.md:2: Python block ran longer than 1 s"], check_docs.run_python_blocks(document, workdir, timeout_seconds=1)
        )


class AnchorsTest(absltest.TestCase):
    def test_github_anchors(self):
        document = _doc("# Writing greetings: TF1, TF2\n\n## The `card` route\n\n## Repeat\n\n## Repeat\n")
        self.assertEqual({"writing-greetings-tf1-tf2", "the-card-route", "repeat", "repeat-1"}, document.anchors)


if __name__ == "__main__":
    absltest.main()
