"""Tests the workspace's wheels together: no Python package is in two of them, each says which Pythons
it runs on, and one that requires another accepts the version built beside it.

pip installs two wheels that hold the same package over each other, without a word; so each package
is one wheel's, and a wheel that needs it requires that wheel (TensorBoard-X the Greeter's).
"""

import os
import zipfile

from absl.testing import absltest
from packaging import metadata
from packaging import utils

# Every py_wheel of the workspace (this target's data), as runfiles paths.
WHEELS = os.environ["WORKSPACE_WHEELS"].split()


def top_level_names(wheel):
    """The packages and modules a wheel installs at the top of site-packages (its dist-info aside)."""
    return {name.split("/")[0] for name in wheel.namelist() if not name.split("/")[0].endswith((".dist-info", ".data"))}


def wheel_metadata(wheel):
    (name,) = [name for name in wheel.namelist() if name.endswith(".dist-info/METADATA")]
    return metadata.Metadata.from_email(wheel.read(name), validate=True)


class WorkspaceWheelsTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wheels = {}
        for path in WHEELS:
            with zipfile.ZipFile(path) as wheel:
                cls.wheels[os.path.basename(path)] = (top_level_names(wheel), wheel_metadata(wheel))

    def test_sees_every_wheel(self):
        self.assertGreaterEqual(len(self.wheels), 2)

    def test_no_package_is_in_two_wheels(self):
        owners = {}
        for wheel, (names, _) in sorted(self.wheels.items()):
            for name in names:
                owners.setdefault(name, []).append(wheel)
        self.assertEqual({name: wheels for name, wheels in owners.items() if len(wheels) > 1}, {})

    def test_each_runs_on_python_3_10_and_later_only(self):
        for wheel, (_, info) in self.wheels.items():
            with self.subTest(wheel=wheel):
                self.assertNotIn("3.9", info.requires_python)
                self.assertIn("3.10", info.requires_python)

    def test_a_wheel_required_by_another_is_built_at_a_version_it_accepts(self):
        built = {utils.canonicalize_name(m.name): m.version for _, m in self.wheels.values()}
        required = 0
        for wheel, (_, info) in self.wheels.items():
            for requirement in info.requires_dist:
                name = utils.canonicalize_name(requirement.name)
                if name in built:
                    required += 1
                    with self.subTest(wheel=wheel, requirement=str(requirement)):
                        self.assertIn(built[name], requirement.specifier)
        self.assertGreaterEqual(required, 1, "TensorBoard-X's wheel requires the Greeter's")


if __name__ == "__main__":
    absltest.main()
