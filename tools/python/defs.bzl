"""The one entry point for Python rules in this repository.

Every BUILD file loads py_library, py_binary and py_test from here, so that moving to rules_python
later changes this file only.
"""

def py_library(**kwargs):
    native.py_library(**kwargs)

def py_binary(**kwargs):
    native.py_binary(python_version = "PY3", srcs_version = "PY3", **kwargs)

def py_test(**kwargs):
    """A Python test; absltest.main() in the test writes the JUnit XML that .ci/run counts."""
    native.py_test(python_version = "PY3", srcs_version = "PY3", **kwargs)

def py_server_test(tags = [], **kwargs):
    """A Python test that starts servers or a browser: TensorBoard-X, the Rust data server, Chromium.

    It runs outside Bazel's sandbox: the servers bind ports and start child processes, and Chromium
    needs the machine's /dev/shm.
    """
    py_test(tags = tags + ["no-sandbox"], **kwargs)
