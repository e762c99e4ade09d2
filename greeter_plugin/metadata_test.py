"""Tests for greeter_plugin.metadata."""

from absl.testing import absltest

from tensorboard.compat.proto import summary_pb2

from greeter_plugin import metadata


class CreateSummaryMetadataTest(absltest.TestCase):
    def test_marks_the_summary_as_a_versioned_greeter_tensor(self):
        result = metadata.create_summary_metadata("Arrivals", "Guests *arriving*.")
        self.assertEqual(result.plugin_data.plugin_name, "greeter")
        self.assertEqual(result.display_name, "Arrivals")
        self.assertEqual(result.summary_description, "Guests *arriving*.")
        self.assertEqual(result.data_class, summary_pb2.DATA_CLASS_TENSOR)
        self.assertEqual(
            metadata.parse_plugin_data(result.plugin_data.content),
            {"version": metadata.PLUGIN_DATA_VERSION},
        )

    def test_none_means_empty(self):
        result = metadata.create_summary_metadata(None, None)
        self.assertEqual((result.display_name, result.summary_description), ("", ""))

    def test_refuses_names_that_are_not_text(self):
        with self.assertRaisesRegex(TypeError, "display_name must be a str or None, not bytes"):
            metadata.create_summary_metadata(b"Arrivals", "")
        with self.assertRaisesRegex(TypeError, "description must be a str or None, not int"):
            metadata.create_summary_metadata("Arrivals", 3)


class ParsePluginDataTest(absltest.TestCase):
    def test_reads_the_original_examples_empty_content_as_version_0(self):
        self.assertEqual(metadata.parse_plugin_data(b""), {"version": 0})

    def test_reads_version_1(self):
        self.assertEqual(metadata.parse_plugin_data(b'{"version": 1}'), {"version": 1})

    def test_refuses_a_newer_version_naming_it(self):
        with self.assertRaisesRegex(metadata.PluginDataError, "version 2 was written by a newer Greeter"):
            metadata.parse_plugin_data(b'{"version": 2}')

    def test_refuses_garbage(self):
        for garbage in (b"\xff\xfe", b"not json", b"[1]", b'{"version": "1"}', b'{"version": -1}', b"{}"):
            with self.subTest(garbage=garbage):
                with self.assertRaises(metadata.PluginDataError):
                    metadata.parse_plugin_data(garbage)

    def test_refuses_text(self):
        with self.assertRaisesRegex(metadata.PluginDataError, "must be bytes, not str"):
            metadata.parse_plugin_data('{"version": 1}')


if __name__ == "__main__":
    absltest.main()
