"""Opening the Greeter dashboard in Debian's headless Chromium with Playwright, for browser tests."""

import dataclasses

from playwright.sync_api import expect
from playwright.sync_api import sync_playwright

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
# loaded 2-core CI machine. Pages get the same 30 s (`open_greeter`).
expect.set_options(timeout=30000)

# Walks the dashboard's shadow roots for markup that data could have injected.
FIND_INJECTED_MARKUP = """() => {
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
  visit(document.querySelector('greeter-dashboard').shadowRoot);
  return found;
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


@dataclasses.dataclass
class GreeterPage:
    """A browser page showing TensorBoard-X's Greeter tab."""

    page: object  # playwright's Page
    dashboard: object  # a FrameLocator of the Greeter's iframe
    dialogs: list  # the messages of every alert, confirm or prompt the page opened

    def plugin_frame(self):
        """The Greeter's iframe, as a Frame (to evaluate script in)."""
        return plugin_frame(self.page)


def plugin_frame(page):
    """The plugin's iframe in a TensorBoard `page`, as a Frame (to evaluate script in)."""
    return next(frame for frame in page.frames if "plugin_entry.html" in frame.url)


def open_greeter(browser, url, fragment="greeter", **page_options):
    """Opens `url`'s Greeter tab in a new page and waits for its first card; close the page after.

    `fragment` is the URL's hash without "#": TensorBoard's tab, and any deep-link keys after it.
    `page_options` go to Playwright's `Browser.new_page` (`bypass_csp=True`, say).

    Dialogs are dismissed and recorded: data that managed to run script would typically open one.
    """
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, **page_options)
    page.set_default_timeout(30000)
    dialogs = []

    def record_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record_dialog)
    page.goto(url + "#" + fragment)
    dashboard = page.frame_locator('iframe[src*="plugin_entry.html?name=greeter"]')
    expect(dashboard.locator("greeter-card.card").first).to_be_visible()
    return GreeterPage(page=page, dashboard=dashboard, dialogs=dialogs)
