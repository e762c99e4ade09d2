"""Case 6: the dashboard in headless Chromium: navigation to the first greeting, and a page switch."""

import os

from playwright.sync_api import sync_playwright

from tensorboard.compat.proto import event_pb2
from tensorboard.summary.writer import event_file_writer

from greeter_plugin import summary
from plugin_kit.testing import browser_harness
from tools.bench import logdirs

# Two pages of cards at the dashboard's twelve cards a page.
TAGS = 24
GREETINGS_PER_TAG = 10


# The timed scripts below wait inside the page, where timing from Playwright would add its own polling
# to the result. They share these: `painted()` resolves once a frame has been painted;
# `renderedAndPainted(dashboard, ...others)` once the dashboard, its cards and the other Lit elements
# given have rendered, and a frame after (`rendered(...)` without the frame); `appears(root, selector)`
# once `root` holds a match.
PAINT_WAITS = """
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const appears = (root, selector) => new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (root.querySelector(selector)) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(root, {childList: true, subtree: true, attributes: true});
  });
  const rendered = async (dashboard, ...others) => {
    await dashboard.updateComplete;
    const cards = [...dashboard.shadowRoot.querySelectorAll('greeter-card')];
    await Promise.all([...others, ...cards].map((element) => element.updateComplete));
  };
  const renderedAndPainted = async (dashboard, ...others) => {
    await rendered(dashboard, ...others);
    await painted();
  };
"""

# Clicks "next page" and waits until every card has rendered and a frame has been painted.
SWITCH_PAGE_AND_TIME = """async () => {""" + PAINT_WAITS + """
  const dashboard = document.querySelector('greeter-dashboard');
  const next = dashboard.shadowRoot.querySelector('greeter-pager')
      .shadowRoot.querySelector('[data-testid="page-next"]');
  const started = performance.now();
  next.click();
  await renderedAndPainted(dashboard);
  return performance.now() - started;
}"""


# Clicks the first card's "Next runs" and waits, inside the page, until the first run of its next page
# of runs shows a greeting and a frame has been painted. Its argument: the card's runs a page.
SWITCH_RUN_PAGE_AND_TIME = """async (runsPerPage) => {""" + PAINT_WAITS + """
  const dashboard = document.querySelector('greeter-dashboard');
  const card = dashboard.shadowRoot.querySelector('greeter-card');
  const next = card.shadowRoot.querySelector('[data-testid="run-page-next"]');
  const selector = 'tr.greeting[data-run="' + CSS.escape(card.runs[runsPerPage]) + '"]';
  const started = performance.now();
  const shown = appears(card.shadowRoot, selector);
  next.click();
  await shown;
  await painted();
  return performance.now() - started;
}"""

# Types its argument into the run filter a character at a time, as a user does, and times each
# keystroke: from the input event until the dashboard, the run list and the cards have updated and a
# frame has been painted. Returns each keystroke's [milliseconds, milliseconds until updated (script
# only: Lit updates in microtasks, before any rendering), script seconds before, after]; the script
# seconds are those of `window.readScriptSeconds()` where a caller bound it (bounds.py), else 0.
TYPE_RUN_FILTER_AND_TIME = """async (text) => {""" + PAINT_WAITS + """
  const dashboard = document.querySelector('greeter-dashboard');
  const runSelector = dashboard.shadowRoot.querySelector('greeter-run-selector');
  const input = runSelector.shadowRoot.querySelector('greeter-regex-input')
      .shadowRoot.querySelector('[data-testid="run-filter"]');
  const scriptSeconds = window.readScriptSeconds ?? (async () => 0);
  const keystrokes = [];
  for (let typed = 1; typed <= text.length; typed++) {
    const before = await scriptSeconds();
    const started = performance.now();
    input.value = text.slice(0, typed);
    input.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
    await rendered(dashboard, runSelector, runSelector.shadowRoot.querySelector('lit-virtualizer'));
    const updated = performance.now() - started;
    await painted();
    keystrokes.push([performance.now() - started, updated, before, await scriptSeconds()]);
  }
  return keystrokes;
}"""

# What the sweeps case types: a regex that each keystroke keeps valid; it ends matching 1.1% of a
# sweep's runs (lr4, lr40-lr49, lr400-lr499... with seed 1).
RUN_FILTER_TYPED = "lr4.*seed1$"

# RUNS_PER_CARD_PAGE in card.ts.
RUNS_PER_CARD_PAGE = 20


def write_logdir(logdir, runs):
    """`runs` runs, each with TAGS tags of GREETINGS_PER_TAG greetings."""
    for run in range(runs):
        writer = event_file_writer.EventFileWriter(os.path.join(logdir, logdirs.run_name(run)))
        for step in range(GREETINGS_PER_TAG):
            event = event_pb2.Event(step=step, wall_time=1.7e9 + step)
            for tag in range(TAGS):
                event.summary.value.extend(summary.pb("tag_%02d" % tag, logdirs.guest(run, step)).value)
            writer.add_event(event)
        writer.close()


# Notes in the Greeter's frame when its first greeting is in the page, at the first animation frame
# that has it. Playwright's own wait polls ever less often (up to every 0.5 s or more), so its return
# came up to half a second after the greeting was shown: a late greeting looked later still.
NOTE_FIRST_GREETING = """
if (location.pathname.endsWith('/plugin_entry.html')) {
  const hasGreeting = (root) => root.querySelector('tr.greeting td.text') !== null
      || [...root.querySelectorAll('*')].some((element) => element.shadowRoot && hasGreeting(element.shadowRoot));
  const look = () => {
    if (hasGreeting(document)) window.firstGreetingShown = performance.timeOrigin + performance.now();
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}
"""


def first_greeting(page, url):
    """Navigates `page` to `url`'s Greeter tab; returns (its dashboard, seconds from the navigation's
    start to the first animation frame that shows a greeting)."""
    page.add_init_script(NOTE_FIRST_GREETING)
    page.goto(url + "#greeter")
    dashboard = page.frame_locator('iframe[src*="plugin_entry.html?name=greeter"]')
    dashboard.locator("tr.greeting td.text").first.wait_for(state="visible")
    shown = browser_harness.plugin_frame(page).evaluate("() => window.firstGreetingShown")
    return dashboard, (shown - page.evaluate("() => performance.timeOrigin")) / 1000


def _switch_page(page, dashboard):
    """Seconds to switch to the dashboard's next page of cards, once the first page has settled.

    None when the dashboard has one page of cards only (it shows no pager then).
    """
    first_tag = dashboard.locator("greeter-card.card").first.get_attribute("data-tag")
    # A user reads the first page before moving on; meanwhile the dashboard fetches the next.
    page.wait_for_load_state("networkidle")
    if not dashboard.locator("greeter-pager").count():
        return None
    frame = browser_harness.plugin_frame(page)
    page_switch = frame.evaluate(SWITCH_PAGE_AND_TIME) / 1000
    dashboard.locator(
        'greeter-card.card:not([data-tag="%s"]) tr.greeting td.text' % first_tag
    ).first.wait_for(state="visible")
    return page_switch


def _switch_run_page(page, dashboard):
    """Seconds for the first card to show its next page of runs, once the page has settled.

    None when the card's runs fit on one page (it shows no "Next runs" then).
    """
    page.wait_for_load_state("networkidle")
    if not dashboard.locator("greeter-card.card").first.locator('[data-testid="run-page-next"]').count():
        return None
    frame = browser_harness.plugin_frame(page)
    return frame.evaluate(SWITCH_RUN_PAGE_AND_TIME, RUNS_PER_CARD_PAGE) / 1000


def _type_run_filter(page, dashboard):
    """Seconds of each keystroke typing RUN_FILTER_TYPED into the run filter (the page settled).

    Raises RuntimeError if the run list does not then say that some runs match.
    """
    page.wait_for_load_state("networkidle")
    frame = browser_harness.plugin_frame(page)
    keystrokes = frame.evaluate(TYPE_RUN_FILTER_AND_TIME, RUN_FILTER_TYPED)
    # "N of M runs match" when some do; when none does, the list shows no count at all.
    run_count = dashboard.locator('[data-testid="run-count"]')
    if not run_count.count() or "runs match" not in run_count.text_content():
        raise RuntimeError("typing %r into the run filter left no run listed" % RUN_FILTER_TYPED)
    return [keystroke[0] / 1000 for keystroke in keystrokes]


def new_page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(300000)
    return page


def measure(url):
    """(seconds from navigation to the first greeting visible, seconds to switch to page 2).

    The switch is timed once the first page has settled (no request for half a second).
    """
    with sync_playwright() as playwright:
        browser = browser_harness.launch_chromium(playwright)
        try:
            page = new_page(browser)
            dashboard, first = first_greeting(page, url)
            return first, _switch_page(page, dashboard)
        finally:
            browser.close()


class DashboardBytes:
    """Counts the bytes of the Greeter's data routes' answers that a page received.

    `wire_bytes` as sent (gzip, headers included), `json_bytes` decoded. Listens to Chrome's DevTools
    Network domain: Playwright's responses give a body's size only by reading the body again.
    """

    def __init__(self, page):
        self.wire_bytes = 0
        self.json_bytes = 0
        self._greeter_requests = set()
        session = page.context.new_cdp_session(page)
        session.on("Network.responseReceived", self._response_received)
        session.on("Network.dataReceived", self._data_received)
        session.on("Network.loadingFinished", self._loading_finished)
        session.send("Network.enable")

    def _response_received(self, event):
        if GREETER_DATA_ROUTE in event["response"]["url"] and event["type"] in ("Fetch", "XHR"):
            self._greeter_requests.add(event["requestId"])

    def _data_received(self, event):
        if event["requestId"] in self._greeter_requests:
            self.json_bytes += event["dataLength"]

    def _loading_finished(self, event):
        if event["requestId"] in self._greeter_requests:
            self.wire_bytes += event["encodedDataLength"]


GREETER_DATA_ROUTE = "/data/plugin/greeter/"


def measure_sweep(url):
    """A dict: seconds to the first greeting, to switch page and the first card's page of runs (None:
    one page), bytes fetched before the first greeting, seconds of each keystroke of a run filter.

    The bytes (gzip on the wire, and decoded JSON) are those of the Greeter's data routes received
    before the first greeting showed; of an answer still arriving then, only what had arrived.
    """
    with sync_playwright() as playwright:
        browser = browser_harness.launch_chromium(playwright)
        try:
            page = new_page(browser)
            received = DashboardBytes(page)
            dashboard, first = first_greeting(page, url)
            figures = {"first": first, "wire bytes": received.wire_bytes, "json bytes": received.json_bytes}
            figures["switch"] = _switch_page(page, dashboard)
            figures["run page switch"] = _switch_run_page(page, dashboard)
            figures["run filter keystrokes"] = _type_run_filter(page, dashboard)
            return figures
        finally:
            browser.close()
