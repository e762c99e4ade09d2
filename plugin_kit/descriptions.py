"""Tag descriptions rendered to safe HTML once each, and kept while some run still writes them."""

import threading

from tensorboard import plugin_util


class DescriptionRenderer:
    """Renders each distinct Markdown description once (Markdown and sanitising cost ~0.3 ms each).

    Unlike a least-recently-used cache of a fixed size, it neither renders again what is still in
    use when a logdir has more distinct descriptions than the size, nor holds what no run writes
    any more: `keep_only` drops those.
    """

    def __init__(self, render=plugin_util.markdown_to_safe_html):
        """`render`: Markdown to safe HTML; TensorBoard's, unless a test counts the renderings."""
        self._render = render
        self._lock = threading.Lock()
        self._html = {}  # Markdown: HTML

    def __len__(self):
        return len(self._html)

    def html(self, markdown):
        """The safe HTML of `markdown`, rendered the first time it is asked for."""
        html = self._html.get(markdown)
        if html is None:
            # Rendered outside the lock: two callers may render one description at once, and
            # agree on the result.
            html = self._render(markdown)
            with self._lock:
                self._html[markdown] = html
        return html

    def keep_only(self, in_use):
        """Drops the rendering of every description not in the set `in_use`."""
        with self._lock:
            for markdown in [markdown for markdown in self._html if markdown not in in_use]:
                del self._html[markdown]
