"""Tests that branding rewrites TensorBoard's bundle, and fails loudly when the bundle changes."""

import os
import subprocess
import sys
import zipfile

from absl.testing import absltest

from greeter_tensorboard import brand_assets

# A runfiles path relative to the test's working directory, from the BUILD's $(rootpath).
WEBFILES = os.path.abspath(os.environ["TENSORBOARD_WEBFILES"])
HEADER = '(1,"span",0),E(2,"TensorBoard"),g(),O(3,"plugin-selector",1)'


def write_zip(path, files):
    with zipfile.ZipFile(path, "w") as bundle:
        for name, text in files.items():
            bundle.writestr(name, text)


class BrandZipTest(absltest.TestCase):
    def test_rewrites_title_and_header_and_copies_the_rest(self):
        source = self.create_tempfile().full_path
        target = self.create_tempfile().full_path
        write_zip(source, {
            "index.html": "<html><title>TensorBoard</title>TensorBoard</html>",
            "index.js": 'KQ="TensorBoard";' + HEADER,
            "font/a.woff2": "font",
        })
        brand_assets.brand_zip(source, target, "Acme Board")
        with zipfile.ZipFile(target) as bundle:
            self.assertEqual(bundle.read("index.html"), b"<html><title>Acme Board</title>TensorBoard</html>")
            self.assertEqual(
                bundle.read("index.js"),
                b'KQ="TensorBoard";(1,"span",0),E(2,"Acme Board"),g(),O(3,"plugin-selector",1)',
            )
            self.assertEqual(bundle.read("font/a.woff2"), b"font")

    def test_the_installed_tensorboard_still_has_what_is_rewritten(self):
        target = self.create_tempfile().full_path
        brand_assets.brand_zip(WEBFILES, target, "TensorBoard-X")
        with zipfile.ZipFile(WEBFILES) as source, zipfile.ZipFile(target) as branded:
            self.assertEqual(sorted(source.namelist()), sorted(branded.namelist()))
            self.assertIn(b'E(2,"TensorBoard-X")', branded.read("index.js"))

    def test_a_changed_bundle_fails_the_build_saying_what_it_expected(self):
        source = self.create_tempfile().full_path
        write_zip(source, {"index.html": "<title>TensorBoard</title>", "index.js": "header(){}"})
        result = subprocess.run(
            [sys.executable, brand_assets.__file__, "--input", source, "--output", source + ".out",
             "--brand", "TensorBoard-X"],
            capture_output=True,
            text=True,
        )
        self.assertEqual(result.returncode, 1)
        self.assertIn("expected exactly one match for the app-header's brand text", result.stderr)
        self.assertIn("in index.js", result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_a_bundle_without_index_html_is_refused(self):
        source = self.create_tempfile().full_path
        write_zip(source, {"index.js": HEADER})
        with self.assertRaisesRegex(brand_assets.BrandingError, "holds no index.html"):
            brand_assets.brand_zip(source, source + ".out", "X")


if __name__ == "__main__":
    absltest.main()
