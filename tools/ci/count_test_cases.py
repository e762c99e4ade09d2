"""Counts the test cases in the JUnit XML that Bazel's test targets leave in bazel-testlogs.

    count_test_cases.py BAZEL_TESTLOGS LABEL...

Prints one line, "N passed, M failed", counting test cases, not targets. A target that left no XML
(it never ran) counts as one failed case.
"""

import os
import sys
import xml.etree.ElementTree as ElementTree


def xml_path(testlogs, label):
    """Where Bazel keeps the test.xml of `label` (`//pkg:name`) under `testlogs`."""
    package, name = label.lstrip("/").split(":")
    return os.path.join(testlogs, package, name, "test.xml")


def count(path):
    """(passed, failed) test cases in the JUnit XML at `path`; a missing file is one failure."""
    if not os.path.exists(path):
        return 0, 1
    passed = failed = 0
    for case in ElementTree.parse(path).iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is None:
            passed += 1
    return passed, failed


def main(argv):
    testlogs, labels = argv[1], argv[2:]
    totals = [count(xml_path(testlogs, label)) for label in labels]
    print("%d passed, %d failed" % (sum(p for p, _ in totals), sum(f for _, f in totals)))


if __name__ == "__main__":
    main(sys.argv)
