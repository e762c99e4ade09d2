"""Counts the test cases that one `bazel test` run reported, from its Build Event Protocol file.

    count_test_cases.py BEP_JSON LABEL...

Prints one line, "N passed, M failed", counting test cases (from the JUnit XML each test target
leaves), not targets. Only what the run itself reported counts, so logs left by an earlier run never
do. A target among LABEL that the run reported nothing of (it did not build) counts as one failed
case, and so does a failed target whose XML names no failure (one killed by its timeout).
"""

import json
import os
import sys
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree


def test_results(bep_path):
    """{label: [(status, path of test.xml or None)]} of the run's testResult events."""
    results = {}
    with open(bep_path) as events:
        for line in events:
            event = json.loads(line)
            label = event["id"].get("testResult", {}).get("label")
            if label is None or "testResult" not in event:
                continue
            outputs = {output["name"]: output["uri"] for output in event["testResult"].get("testActionOutput", [])}
            xml_uri = outputs.get("test.xml")
            xml_path = urllib.request.url2pathname(urllib.parse.urlparse(xml_uri).path) if xml_uri else None
            results.setdefault(label, []).append((event["testResult"].get("status", "NO_STATUS"), xml_path))
    return results


def count_cases(xml_path):
    """(passed, failed) test cases in the JUnit XML at `xml_path`; (0, 0) if it is not XML.

    A test killed by its timeout can leave an empty or cut test.xml: the target's status still
    counts it as failed (see `count`), and CI must print its closing line whatever the file holds.
    """
    passed = failed = 0
    try:
        cases = list(ElementTree.parse(xml_path).iter("testcase"))
    except ElementTree.ParseError:
        return 0, 0
    for case in cases:
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is None:
            passed += 1
    return passed, failed


def count(results):
    """(passed, failed) test cases of one target's results; no result is one failure."""
    if not results:
        return 0, 1
    passed = failed = 0
    for status, xml_path in results:
        run_passed, run_failed = count_cases(xml_path) if xml_path and os.path.exists(xml_path) else (0, 0)
        if status != "PASSED" and not run_failed:
            run_failed = 1  # Failed without naming a failing case: killed by its timeout, say.
        passed += run_passed
        failed += run_failed
    return passed, failed


def main(argv):
    bep_path, labels = argv[1], argv[2:]
    results = test_results(bep_path)
    totals = [count(results.get(label, [])) for label in labels]
    print("%d passed, %d failed" % (sum(p for p, _ in totals), sum(f for _, f in totals)))


if __name__ == "__main__":
    main(sys.argv)
