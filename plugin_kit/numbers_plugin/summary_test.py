"""Tests the numbers plugin's summary API: what `pb` and `add_number` write, and what they refuse."""

import os

from absl.testing import absltest
import tensorboardX

from tensorboard.backend.event_processing import event_file_loader
from tensorboard.summary.writer import event_file_writer
from tensorboard.util import tensor_util

from plugin_kit.numbers_plugin import metadata
from plugin_kit.numbers_plugin import summary


def read_values(run_dir):
    """[(step, wall_time, tag, number)] of the summaries in `run_dir`, as TensorBoard's loader reads them."""
    return [
        (event.step, event.wall_time, value.tag, tensor_util.make_ndarray(value.tensor).item())
        for name in sorted(os.listdir(run_dir))
        for event in event_file_loader.EventFileLoader(os.path.join(run_dir, name)).Load()
        for value in event.summary.value
    ]


class SummaryTest(absltest.TestCase):
    def test_pb_holds_the_number_and_the_plugins_metadata(self):
        (value,) = summary.pb("loss", 0.1, display_name="Loss", description="*lower*").value
        self.assertEqual(tensor_util.make_ndarray(value.tensor).item(), 0.1)
        self.assertEqual(value.metadata.plugin_data.plugin_name, metadata.PLUGIN_NAME)
        self.assertEqual(metadata.parse_plugin_data(value.metadata.plugin_data.content), {"version": 1})
        self.assertEqual((value.metadata.display_name, value.metadata.summary_description), ("Loss", "*lower*"))

    def test_pb_refuses_what_is_no_tag_or_no_number(self):
        for tag, number, error in (("", 1, ValueError), (3, 1, TypeError), ("loss", "1", TypeError), ("loss", True, TypeError)):
            with self.subTest(tag=tag, number=number), self.assertRaises(error):
                summary.pb(tag, number)

    def test_add_number_writes_with_tensorboardx_and_tensorboards_writer(self):
        for name, new_writer in (("tensorboardX", tensorboardX.SummaryWriter), ("tensorboard", event_file_writer.EventFileWriter)):
            run_dir = os.path.join(self.create_tempdir().full_path, name)
            writer = new_writer(run_dir)
            summary.add_number(writer, "loss", 0.5, global_step=3, walltime=1.7e9)
            summary.add_number(writer, "loss", float("nan"), global_step=4, walltime=1.7e9 + 1)
            writer.close()
            with self.subTest(writer=name):
                values = [v for v in read_values(run_dir) if v[2] == "loss"]
                self.assertEqual(values[0], (3, 1.7e9, "loss", 0.5))
                self.assertEqual(values[1][:3], (4, 1.7e9 + 1, "loss"))
                self.assertNotEqual(values[1][3], values[1][3])  # NaN is kept as NaN

    def test_add_number_names_the_writers_it_takes(self):
        with self.assertRaisesRegex(TypeError, "add_number writes with a torch.utils.tensorboard.SummaryWriter"):
            summary.add_number(object(), "loss", 0.5)


if __name__ == "__main__":
    absltest.main()
