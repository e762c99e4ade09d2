"""Tests of count_test_cases: the closing line CI prints."""

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


class CountTestCasesTest(absltest.TestCase):
    def test_counts_cases_and_treats_a_missing_xml_as_a_failure(self):
        testlogs = self.create_tempdir().full_path
        os.makedirs(os.path.join(testlogs, "pkg/sub/some_test"))
        with open(os.path.join(testlogs, "pkg/sub/some_test/test.xml"), "w") as f:
            f.write(JUNIT)
        self.assertEqual(count_test_cases.count(count_test_cases.xml_path(testlogs, "//pkg/sub:some_test")), (2, 2))
        self.assertEqual(count_test_cases.count(count_test_cases.xml_path(testlogs, "//pkg:never_ran")), (0, 1))

    def test_prints_the_closing_line(self):
        testlogs = self.create_tempdir().full_path
        os.makedirs(os.path.join(testlogs, "p/t"))
        with open(os.path.join(testlogs, "p/t/test.xml"), "w") as f:
            f.write(JUNIT)
        with mock.patch("builtins.print") as printed:
            count_test_cases.main(["count", testlogs, "//p:t", "//p:missing"])
        printed.assert_called_once_with("2 passed, 3 failed")


if __name__ == "__main__":
    absltest.main()
