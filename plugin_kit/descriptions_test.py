"""Tests of rendering descriptions once each, and keeping them while in use."""

import collections

from absl.testing import absltest

from plugin_kit import descriptions


class DescriptionRendererTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        self.renders = collections.Counter()

        def render(markdown):
            self.renders[markdown] += 1
            return "<p>%s</p>" % markdown

        self.renderer = descriptions.DescriptionRenderer(render)

    def test_renders_each_description_once_however_many_are_in_use(self):
        many = ["lr=%d" % i for i in range(5000)]
        for _ in range(2):
            self.renderer.keep_only(set(many))
            self.assertEqual([self.renderer.html(markdown) for markdown in many][-1], "<p>lr=4999</p>")
        self.assertEqual(set(self.renders.values()), {1})

    def test_drops_what_no_run_writes_any_more(self):
        self.renderer.html("old")
        self.renderer.html("new")
        self.renderer.keep_only({"new"})
        self.assertLen(self.renderer, 1)
        self.renderer.html("new")
        self.assertEqual(self.renders["new"], 1)

    def test_renders_with_tensorboards_sanitiser_by_default(self):
        html = descriptions.DescriptionRenderer().html("*hi* <script>alert(1)</script>")
        self.assertIn("<em>hi</em>", html)
        self.assertNotIn("<script>", html)


if __name__ == "__main__":
    absltest.main()
