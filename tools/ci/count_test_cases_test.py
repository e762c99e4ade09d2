"""Tests of count_test_cases: the closing line CI prints."""

import json
import os
from unittest import mock

from absl.testing import absltest

from tools.ci import count_test_cases

JUNIT = """<?xml version="1.0"?>
<testsuites><testsuite name="T">
  <testcase name="a"/>
  <testcase name="b"><failure message="boom"/></testcase>
  <testcase name="c"><error message="oops"/></testcase>
  <testcase name="d"><skipped/></testcase>
  <testcase name="e"/>
</testsuite></testsuites>
"""
ALL_PASS = '<testsuites><testsuite name="T"><testcase name="a"/><testcase name="b"/></testsuite></testsuites>'


class CountTestCasesTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        self.dir = self.create_tempdir().full_path
        self.events = []

    def result(self, label, status, junit=None):
        """Adds a testResult event for `label`, with a test.xml holding `junit` if given."""
        outputs = []
        if junit is not None:
            path = os.path.join(self.dir, "%d.xml" % len(self.events))
            with open(path, "w") as f:
                f.write(junit)
            outputs.append({"name": "test.xml", "uri": "file://" + path})
        self.events.append({"id": {"testResult": {"label": label}}, "testResult": {"status": status, "testActionOutput": outputs}})

    def printed(self, *labels):
        bep = os.path.join(self.dir, "bep.json")
        with open(bep, "w") as f:
            for event in self.events + [{"id": {"progress": {}}, "progress": {}}]:
                f.write(json.dumps(event) + "\n")
        with mock.patch("builtins.print") as print_:
            count_test_cases.main(["count", bep, *labels])
        (args, _), = print_.call_args_list
        return args[0]

    def test_counts_cases_not_targets(self):
        self.result("//p:mixed", "FAILED", JUNIT)
        self.result("//p:fine", "PASSED", ALL_PASS)
        self.assertEqual(self.printed("//p:mixed", "//p:fine"), "4 passed, 2 failed")

    def test_a_target_the_run_did_not_report_is_a_failure(self):
        # An earlier run's test.xml may still lie in bazel-testlogs: it must not count.
        self.result("//p:fine", "PASSED", ALL_PASS)
        self.assertEqual(self.printed("//p:fine", "//p:did_not_build"), "2 passed, 1 failed")

    def test_a_failed_target_without_a_failing_case_is_a_failure(self):
        self.result("//p:timed_out", "TIMEOUT", ALL_PASS)
        self.result("//p:crashed", "FAILED")
        self.assertEqual(self.printed("//p:timed_out", "//p:crashed"), "2 passed, 2 failed")

    def test_an_empty_test_xml_of_a_killed_target_is_a_failure(self):
        # Bazel leaves an empty test.xml when it kills a test at its timeout.
        self.result("//p:killed", "TIMEOUT", "")
        self.result("//p:cut", "FAILED", "<testsuites><testsuite")
        self.result("//p:fine", "PASSED", ALL_PASS)
        self.assertEqual(self.printed("//p:killed", "//p:cut", "//p:fine"), "2 passed, 2 failed")


if __name__ == "__main__":
    absltest.main()
