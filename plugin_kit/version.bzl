"""The kit's version for Bazel rules: must equal plugin_kit/version.py's (//plugin_kit:version_test)."""

KIT_VERSION = "0.1.0"
