"""Opening a plugin's dashboard on the kit in Debian's headless Chromium with Playwright, for browser tests.

Each function takes the plugin's name (its backend's `plugin_name`): TensorBoard opens its tab at
`#<plugin>`, in an iframe of `plugin_entry.html?name=<plugin>`, and the kit names its elements
`<plugin>-dashboard`, `<plugin>-card` and so on.
"""

import dataclasses
import os
import tempfile

from absl.testing import absltest

from playwright.sync_api import expect
from playwright.sync_api import sync_playwright

from plugin_kit.testing import server_harness

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's assertions give up after 5 s by default; a page's first answers can take longer on a
# loaded 2-core CI machine. Pages get the same 30 s (`open_plugin`).
expect.set_options(timeout=30000)

# Walks the dashboard's shadow roots for markup that data could have injected.
_FIND_INJECTED_MARKUP = """(dashboardElement) => {
  const found = [];
  const visit = (root) => {
    for (const element of root.querySelectorAll('*')) {
      const tag = element.tagName.toLowerCase();
      if (['script', 'iframe', 'object', 'embed', 'svg'].includes(tag)) found.push(tag);
      for (const attribute of element.attributes) {
        const value = attribute.value.trim().toLowerCase();
        const isUrl = ['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attribute.name);
        if (attribute.name.startsWith('on') || (isUrl && value.startsWith('javascript:'))) {
          found.push(tag + '[' + attribute.name + '=' + attribute.value + ']');
        }
      }
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document.querySelector(dashboardElement).shadowRoot);
  return found;
}"""

# axe-core's script, from @npm's node_modules (the test's data: "@npm//:node_modules").
AXE = os.path.join(os.environ.get("TEST_SRCDIR", ""), "npm/node_modules/axe-core/axe.min.js")

# axe's serious and critical violations on the frame's document: (rule, [selector of each node]).
_SERIOUS_VIOLATIONS = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations
    .filter((violation) => ['serious', 'critical'].includes(violation.impact))
    .map((violation) => [violation.id, violation.nodes.slice(0, 5).map((node) => JSON.stringify(node.target))]);
}"""


# The element that has the keyboard's focus, through shadow roots, with what shows that it has it.
FOCUSED = """() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) {
    element = element.shadowRoot.activeElement;
  }
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(),
    testId: element.getAttribute('data-testid') || element.getAttribute('data-run') || element.id,
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1,
  };
}"""


def launch_chromium(playwright):
    """Launches Debian's Chromium, headless, through a started `sync_playwright()`."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def chromium_for_class(test_class):
    """Starts Playwright and Chromium for a test class's tests; both stop after its last test."""
    playwright = sync_playwright().start()
    test_class.addClassCleanup(playwright.stop)
    browser = launch_chromium(playwright)
    test_class.addClassCleanup(browser.close)
    return browser


def find_injected_markup(frame, plugin_name):
    """The markup that data could have injected into the plugin's dashboard in `frame`: [] if none."""
    return frame.evaluate(_FIND_INJECTED_MARKUP, "%s-dashboard" % plugin_name)


def serious_accessibility_violations(frame):
    """axe-core's serious and critical violations in `frame` as [(rule, [selector...])].

    The frame's Content-Security-Policy forbids the inline script that injects axe: open the page
    with `bypass_csp=True`.
    """
    if not frame.evaluate("typeof axe !== 'undefined'"):
        frame.add_script_tag(path=AXE)
    return frame.evaluate(_SERIOUS_VIOLATIONS)


@dataclasses.dataclass
class PluginPage:
    """A browser page showing a plugin's tab in TensorBoard."""

    page: object  # playwright's Page
    dashboard: object  # a FrameLocator of the plugin's iframe
    dialogs: list  # the messages of every alert, confirm or prompt the page opened
    plugin_name: str

    def plugin_frame(self):
        """The plugin's iframe, as a Frame (to evaluate script in)."""
        return plugin_frame(self.page, self.plugin_name)


def frame_selector(plugin_name):
    """The CSS selector of the plugin's iframe in TensorBoard's page."""
    return 'iframe[src*="plugin_entry.html?name=%s"]' % plugin_name


def plugin_frame(page, plugin_name=None):
    """The plugin's iframe in a TensorBoard `page` (the first plugin's if no name), as a Frame."""
    entry = "plugin_entry.html" if plugin_name is None else "plugin_entry.html?name=%s" % plugin_name
    return next(frame for frame in page.frames if entry in frame.url)


def open_plugin(browser, url, plugin_name, fragment=None, wait_for_card=True, **page_options):
    """Opens `url`'s tab of the plugin in a new page and waits for its first card; close the page after.

    `fragment` is the URL's hash without "#": TensorBoard's tab (the plugin's, by default), and any
    deep-link keys after it. Without `wait_for_card` it returns as soon as the page is asked for (a
    filter may leave no card). `page_options` go to Playwright's `Browser.new_page` (`bypass_csp=True`).

    Dialogs are dismissed and recorded: data that managed to run script would typically open one.
    """
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, **page_options)
    page.set_default_timeout(30000)
    dialogs = []

    def record_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record_dialog)
    page.goto(url + "#" + (plugin_name if fragment is None else fragment))
    dashboard = page.frame_locator(frame_selector(plugin_name))
    if wait_for_card:
        expect(dashboard.locator("%s-card.card" % plugin_name).first).to_be_visible()
    return PluginPage(page=page, dashboard=dashboard, dialogs=dialogs, plugin_name=plugin_name)


class PluginBrowserTest(absltest.TestCase):
    """A test class of a plugin's dashboard in Chromium: one browser and logdir for the class, a page per test.

    Subclasses set `plugin_name` and `plugin_loader` and write their logdir in `write_logdir`;
    `serve_logdir` serves it at `cls.url` (stock TensorBoard with the plugin and `server_flags`, by
    default) once its plugin lists the runs that `write_logdir` returns.
    """

    plugin_name = None
    # What loads the plugin in stock TensorBoard: a `base_plugin.TBLoader` or a `TBPlugin` subclass.
    plugin_loader = None
    server_flags = ()
    # How long the server may take to list every run that `write_logdir` returns.
    runs_timeout_seconds = 60

    @classmethod
    def write_logdir(cls, logdir):
        """Writes the class's data into `logdir`; returns the runs to wait for ({run: tags}, or names).

        Returns None (as here) for a class that serves its own logdirs: no server starts.
        """
        return None

    @classmethod
    def serve_logdir(cls, logdir):
        """A context manager that serves `logdir` and yields its URL, ending in "/".

        Stock TensorBoard with `plugin_loader` and `server_flags`, in-process, here; a test of another
        server (a custom TensorBoard binary) overrides it. Tests may call it for logdirs of their own.
        """
        if cls.plugin_loader is None:
            raise TypeError("%s must say its plugin_loader, or override serve_logdir" % cls.__name__)
        return server_harness.serve(logdir, cls.plugin_loader, flags=cls.server_flags)

    @classmethod
    def setUpClass(cls):
        """Starts the class's browser; serves `write_logdir`'s logdir, if it writes one, and waits for its runs."""
        super().setUpClass()
        cls.browser = chromium_for_class(cls)
        cls.logdir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        runs = cls.write_logdir(cls.logdir)
        if runs is not None:
            cls.url = cls.enterClassContext(cls.serve_logdir(cls.logdir))
            server_harness.tags_of_every_run(
                cls.url + "data/plugin/%s/" % cls.plugin_name, runs, timeout_seconds=cls.runs_timeout_seconds
            )

    def open_tab(self, url, fragment=None, wait_for_card=True, **page_options):
        """`open_plugin` on this class's browser and plugin; the page closes after the test."""
        tab = open_plugin(self.browser, url, self.plugin_name, fragment, wait_for_card, **page_options)
        self.addCleanup(tab.page.close)
        return tab
