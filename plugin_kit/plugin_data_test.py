"""Tests that a plugin's summary metadata reads back, and that content it cannot read is named clearly."""

from absl.testing import absltest

from plugin_kit import plugin_data


class PluginDataTest(absltest.TestCase):
    def test_metadata_marks_the_plugins_tensors_and_reads_back(self):
        written = plugin_data.create_summary_metadata("numbers", 1, "Loss", "*lower*")
        self.assertEqual((written.plugin_data.plugin_name, written.display_name, written.summary_description), ("numbers", "Loss", "*lower*"))
        self.assertEqual(written.data_class, plugin_data.summary_pb2.DATA_CLASS_TENSOR)
        self.assertEqual(plugin_data.parse_plugin_data("numbers", written.plugin_data.content, 1), {"version": 1})

    def test_empty_content_is_version_0(self):
        self.assertEqual(plugin_data.parse_plugin_data("numbers", b"", 1), {"version": 0})

    def test_unreadable_content_says_why(self):
        for content, message in (
            (b'{"version": 2}', "numbers plugin data of version 2 was written by a newer plugin; this one reads up to 1"),
            (b"\xff", "numbers plugin data is not UTF-8 JSON"),
            (b'{"version": true}', "numbers plugin data has no valid version"),
            (b"[1]", "numbers plugin data has no valid version"),
        ):
            with self.subTest(content=content), self.assertRaisesRegex(plugin_data.PluginDataError, message):
                plugin_data.parse_plugin_data("numbers", content, 1)

    def test_names_must_be_text(self):
        with self.assertRaisesRegex(TypeError, "display_name must be a str or None, not int"):
            plugin_data.create_summary_metadata("numbers", 1, display_name=3)


if __name__ == "__main__":
    absltest.main()
