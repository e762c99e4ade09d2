"""Tests that build_wheel writes wheels pip accepts: dist-info files, a RECORD that matches, same bytes."""

import base64
import email.parser
import hashlib
import os
import subprocess
import sys
import zipfile

from absl.testing import absltest

from tools.wheel import build_wheel

DIST_INFO = "demo_dist-1.2.dist-info"


class BuildWheelTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        self.workdir = self.create_tempdir()
        self.module = self.workdir.create_file("pkg/module.py", content="VALUE = 1\n").full_path
        self.bundle = self.workdir.create_file("pkg/frontend/index.js", content="export {};\n").full_path

    def build(self):
        output = os.path.join(self.workdir.full_path, "demo_dist-1.2-py3-none-any.whl")
        build_wheel.build_wheel(
            output,
            "demo-dist",
            "1.2",
            {"pkg/module.py": self.module, "pkg/frontend/index.js": self.bundle},
            summary="A demo.",
            requires=["tensorboard>=2.21,<2.22"],
            extras=[("tensorflow", "tensorflow>=2.21")],
            entry_points=[("tensorboard_plugins", "demo", "pkg.module:Loader")],
        )
        return output

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
            ["tensorboard>=2.21,<2.22", 'tensorflow>=2.21; extra == "tensorflow"'],
        )
        self.assertEqual(metadata["Provides-Extra"], "tensorflow")
        self.assertEqual(wheel_info["Tag"], "py3-none-any")
        self.assertEqual(wheel_info["Root-Is-Purelib"], "true")
        self.assertEqual(entry_points, "[tensorboard_plugins]\ndemo = pkg.module:Loader\n\n")

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

    def test_refuses_a_malformed_entry_point(self):
        result = self.run_tool(
            "--distribution=d", "--version=1", "--output=d-1-py3-none-any.whl", "--entry_point=greeter", "x.py"
        )
        self.assertEqual(result.returncode, 2)
        self.assertIn("expected GROUP:NAME=MODULE:ATTR", result.stderr)


if __name__ == "__main__":
    absltest.main()
