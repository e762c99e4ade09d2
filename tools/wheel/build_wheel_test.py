"""Tests that build_wheel writes wheels pip accepts: dist-info files, a RECORD that matches, same bytes."""

import base64
import email.parser
import hashlib
import os
import subprocess
import sys
import zipfile

from absl.testing import absltest
from packaging import metadata

from tools.wheel import build_wheel

DIST_INFO = "demo_dist-1.2.dist-info"


class BuildWheelTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        self.workdir = self.create_tempdir()
        self.module = self.workdir.create_file("pkg/module.py", content="VALUE = 1\n").full_path
        self.bundle = self.workdir.create_file("pkg/frontend/index.js", content="export {};\n").full_path

    def build(self, **overrides):
        output = os.path.join(self.workdir.full_path, "demo_dist-1.2-py3-none-any.whl")
        arguments = dict(
            summary="A demo.",
            requires=["tensorboard>=2.21,<2.22"],
            extras=[("tensorflow", "tensorflow>=2.21")],
            entry_points=[("tensorboard_plugins", "demo", "pkg.module:Loader")],
            requires_python=">=3.10",
        )
        arguments.update(overrides)
        build_wheel.build_wheel(
            output,
            "demo-dist",
            "1.2",
            {"pkg/module.py": self.module, "pkg/frontend/index.js": self.bundle},
            **arguments,
        )
        return output

    def metadata(self, **overrides):
        """The built wheel's METADATA as `packaging` reads it, validating every field."""
        with zipfile.ZipFile(self.build(**overrides)) as wheel:
            return metadata.Metadata.from_email(wheel.read(DIST_INFO + "/METADATA"), validate=True)

    def test_holds_the_files_and_the_dist_info(self):
        with zipfile.ZipFile(self.build()) as wheel:
            self.assertEqual(
                wheel.namelist(),
                [
                    "pkg/frontend/index.js",
                    "pkg/module.py",
                    DIST_INFO + "/METADATA",
                    DIST_INFO + "/WHEEL",
                    DIST_INFO + "/entry_points.txt",
                    DIST_INFO + "/RECORD",
                ],
            )
            self.assertEqual(wheel.read("pkg/module.py"), b"VALUE = 1\n")
            metadata = email.parser.BytesParser().parsebytes(wheel.read(DIST_INFO + "/METADATA"))
            wheel_info = email.parser.BytesParser().parsebytes(wheel.read(DIST_INFO + "/WHEEL"))
            entry_points = wheel.read(DIST_INFO + "/entry_points.txt").decode()
        self.assertEqual((metadata["Name"], metadata["Version"]), ("demo-dist", "1.2"))
        self.assertEqual(
            metadata.get_all("Requires-Dist"),
            ["tensorboard<2.22,>=2.21", 'tensorflow>=2.21; extra == "tensorflow"'],
        )
        self.assertEqual(metadata["Provides-Extra"], "tensorflow")
        self.assertEqual(metadata["Requires-Python"], ">=3.10")
        self.assertEqual(wheel_info["Tag"], "py3-none-any")
        self.assertEqual(wheel_info["Root-Is-Purelib"], "true")
        self.assertEqual(entry_points, "[tensorboard_plugins]\ndemo = pkg.module:Loader\n\n")

    def test_an_extra_whose_requirement_has_a_marker_needs_both(self):
        extras = [("gcs", 'gcsfs; python_version < "3.11" or os_name == "nt"'), ("Big_Extra", "six")]
        requires_dist = {str(r.name): r for r in self.metadata(extras=extras).requires_dist}
        gcsfs = requires_dist["gcsfs"].marker
        self.assertTrue(gcsfs.evaluate({"python_version": "3.10", "os_name": "posix", "extra": "gcs"}))
        self.assertFalse(gcsfs.evaluate({"python_version": "3.10", "os_name": "posix", "extra": ""}))
        self.assertFalse(gcsfs.evaluate({"python_version": "3.11", "os_name": "posix", "extra": "gcs"}))
        self.assertTrue(requires_dist["six"].marker.evaluate({"extra": "big-extra"}))

    def test_a_summary_of_several_lines_becomes_one(self):
        built = self.metadata(summary="A demo\nover two lines.\n")
        self.assertEqual(built.summary, "A demo over two lines.")
        self.assertEqual(built.name, "demo-dist")

    def test_requires_python_keeps_older_pythons_out(self):
        requires_python = self.metadata().requires_python
        self.assertNotIn("3.9", requires_python)
        self.assertIn("3.10", requires_python)
        self.assertIn("3.11.7", requires_python)

    def test_pip_refuses_it_on_a_python_older_than_it_requires(self):
        newer = ">=%d.%d" % (sys.version_info.major, sys.version_info.minor + 1)
        pip = [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--no-deps",
               "--disable-pip-version-check"]
        refused = subprocess.run(pip + [self.build(requires_python=newer)], capture_output=True, text=True)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("requires a different Python", refused.stderr)
        accepted = subprocess.run(pip + [self.build()], capture_output=True, text=True)
        self.assertEqual(accepted.returncode, 0, accepted.stderr)

    def test_refuses_metadata_packaging_rejects(self):
        with self.assertRaises(metadata.ExceptionGroup):
            self.build(requires=["tensorboard>=>2"])

    def test_record_holds_the_hash_and_size_of_every_other_file(self):
        with zipfile.ZipFile(self.build()) as wheel:
            record = wheel.read(DIST_INFO + "/RECORD").decode().splitlines()
            names = wheel.namelist()
            contents = {name: wheel.read(name) for name in names}
        self.assertEqual([line.split(",")[0] for line in record], names)
        self.assertEqual(record[-1], DIST_INFO + "/RECORD,,")
        for line in record[:-1]:
            path, hash_field, size = line.split(",")
            with self.subTest(path=path):
                digest = hashlib.sha256(contents[path]).digest()
                expected = "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                self.assertEqual(hash_field, expected)
                self.assertEqual(int(size), len(contents[path]))

    def test_the_same_inputs_make_the_same_bytes_whatever_their_file_times(self):
        with open(self.build(), "rb") as wheel:
            first_bytes = wheel.read()
        os.utime(self.module, (2e9, 2e9))
        with open(self.build(), "rb") as wheel:
            self.assertEqual(wheel.read(), first_bytes)
        with zipfile.ZipFile(self.build()) as wheel:
            self.assertEqual({info.date_time for info in wheel.infolist()}, {build_wheel.FIXED_DATE_TIME})

    def test_refuses_a_file_outside_the_wheel_or_in_its_dist_info(self):
        for path in ("../evil.py", "/etc/evil.py", DIST_INFO + "/METADATA"):
            with self.subTest(path=path):
                with self.assertRaisesRegex(ValueError, "cannot go into the wheel"):
                    build_wheel.build_wheel(
                        os.path.join(self.workdir.full_path, "x.whl"), "demo-dist", "1.2", {path: self.module}
                    )

    def test_generated_files_go_to_their_workspace_path(self):
        self.assertEqual(build_wheel.archive_path("bazel-out/k8-fastbuild/bin/pkg/index.js"), "pkg/index.js")
        self.assertEqual(build_wheel.archive_path("pkg/module.py"), "pkg/module.py")


class CommandLineTest(absltest.TestCase):
    def run_tool(self, *args):
        return subprocess.run(
            [sys.executable, "-m", "tools.wheel.build_wheel", *args], capture_output=True, text=True
        )

    def test_refuses_an_output_name_pip_would_refuse(self):
        module = self.create_tempfile("module.py").full_path
        result = self.run_tool(
            "--distribution=demo-dist", "--version=1.2", "--output=demo.whl", module
        )
        self.assertEqual(result.returncode, 2)
        self.assertIn("--output must be named demo_dist-1.2-py3-none-any.whl", result.stderr)

    def test_refuses_a_malformed_requirement_in_one_line(self):
        result = self.run_tool(
            "--distribution=d", "--version=1", "--output=d-1-py3-none-any.whl", "--requires=a>=>2", "x.py"
        )
        self.assertEqual(result.returncode, 2)
        self.assertIn("invalid metadata", result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_refuses_a_malformed_entry_point(self):
        result = self.run_tool(
            "--distribution=d", "--version=1", "--output=d-1-py3-none-any.whl", "--entry_point=greeter", "x.py"
        )
        self.assertEqual(result.returncode, 2)
        self.assertIn("expected GROUP:NAME=MODULE:ATTR", result.stderr)


if __name__ == "__main__":
    absltest.main()
