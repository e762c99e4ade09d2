"""The dashboard's features in each browser engine: Chromium, Firefox and WebKit (Safari's).

Playwright's own Firefox and WebKit builds cannot be had here; Debian's browsers are driven as their
users' tools drive them: Firefox ESR by Puppeteer over WebDriver BiDi (firefox_bridge.mjs), WebKitGTK's
MiniBrowser by Selenium through WebKitWebDriver under `xvfb-run`. `FirefoxEngine`, `WebKitEngine` and
`ChromiumEngine` (Playwright) have the same methods (load, evaluate, type, press, back, forward, url,
close), so that one set of tests (`DashboardTests`) runs in each; each target starts its browser once.

The Greeter's controls live in shadow roots, which Selenium's selectors do not enter: tests read and
focus through script in the plugin's frame (`in_frame`), then type and press real keys.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import urllib.parse

from playwright.sync_api import sync_playwright
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.webkitgtk import options as webkitgtk_options

from greeter_plugin import greeter_demo
from greeter_tensorboard import server_testing
from plugin_kit.testing import browser_harness

FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
FIREFOX_BRIDGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "firefox_bridge.mjs")
NODE_MODULES = os.path.join(os.environ.get("TEST_SRCDIR", ""), "npm/node_modules")

# Frames as the parts of their URLs, outermost first: the projector runs in a frame of its plugin frame.
PAGE = ()
GREETER_FRAME = ("plugin_entry.html?name=greeter",)
PROJECTOR_FRAME = ("plugin_entry.html?name=projector", "projector_binary.html")
RUNS = ("alpha", "beta", "gamma")
# Three pages of cards, twelve a page.
TAGS = ["table_%02d" % i for i in range(30)]
# The projector's embedding: three points of two dimensions, with a label each.
EMBEDDING_POINTS = ("Ada\t0.1\t0.2", "Grace\t0.3\t0.1", "Alan\t0.5\t0.9")

# Every element matching a selector, through shadow roots: the argument every `in_frame` script gets.
_DEEP = """(selector, root = document) => {
  const found = [...root.querySelectorAll(selector)];
  for (const element of root.querySelectorAll('*')) {
    if (element.shadowRoot) found.push(...deep(selector, element.shadowRoot));
  }
  return found;
}"""


def in_frame(engine, frame, script, *args):
    """Runs `script`, a JS function `(deep, ...args) => value`, in `frame` (GREETER_FRAME, PAGE...);
    returns its value (awaited if a promise), through JSON."""
    expression = "(() => { const deep = %s; return (%s)(deep, ...%s); })()" % (_DEEP, script, json.dumps(args))
    return engine.evaluate(frame, expression)


def write_logdir():
    """A logdir with three runs of thirty Greeter tags and, at its root, a projector embedding (a TSV
    of vectors named by projector_config.pbtxt, which is all the projector needs without TensorFlow).
    Returns its path."""
    logdir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
    for run in RUNS:
        greeter_demo.write_pb_run(os.path.join(logdir, run), [(tag, None, None, ("Ada", "Grace " + run)) for tag in TAGS])
    with open(os.path.join(logdir, "vectors.tsv"), "w") as vectors:
        vectors.writelines("\t".join(point.split("\t")[1:]) + "\n" for point in EMBEDDING_POINTS)
    with open(os.path.join(logdir, "labels.tsv"), "w") as labels:
        labels.writelines(point.split("\t")[0] + "\n" for point in EMBEDDING_POINTS)
    with open(os.path.join(logdir, "projector_config.pbtxt"), "w") as config:
        config.write('embeddings { tensor_name: "guests" tensor_path: "vectors.tsv" metadata_path: "labels.tsv" }\n')
    return logdir


def wait_until_served(url):
    """Waits until TensorBoard at `url` lists every run's tags and the projector as active."""
    server_testing.tags_of_every_run(url + "data/plugin/greeter/", dict.fromkeys(RUNS, TAGS))
    server_testing.wait_for(lambda: server_testing.get_json(url + "data/plugins_listing")["projector"]["enabled"])


def _accepts_connections(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FirefoxEngine:
    """Firefox ESR, headless, through firefox_bridge.mjs (Puppeteer over WebDriver BiDi)."""

    def __init__(self):
        # Node finds an ES module's packages only in a node_modules beside it or above: the bridge runs
        # from a directory of its own that links the npm repository's.
        bridge_dir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
        os.symlink(NODE_MODULES, os.path.join(bridge_dir, "node_modules"))
        bridge = os.path.join(bridge_dir, "firefox_bridge.mjs")
        shutil.copyfile(FIREFOX_BRIDGE, bridge)  # A link would resolve to the file beside no node_modules.
        self._process = subprocess.Popen(
            ["node", bridge, FIREFOX], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self._answer()  # "ready": Firefox has started.

    def _answer(self):
        line = self._process.stdout.readline()
        if not line:
            raise AssertionError("the Firefox bridge exited with %s" % self._process.wait())
        answer = json.loads(line)
        if "error" in answer:
            raise AssertionError("Firefox: %s" % answer["error"])
        return answer["value"]

    def _call(self, op, *args):
        self._process.stdin.write(json.dumps({"op": op, "args": args}) + "\n")
        self._process.stdin.flush()
        return self._answer()

    def load(self, url):
        """Loads `url` as a new document, even where only its hash differs from the page's."""
        self._call("goto", "about:blank")
        self._call("goto", url)

    def evaluate(self, frame, expression):
        return self._call("evaluate", frame, expression)

    def type(self, text):
        self._call("type", text)

    def press(self, key):
        """Presses a key named as in the DOM's KeyboardEvent.key ("Tab", "Enter")."""
        self._call("press", key)

    def back(self):
        self._call("back")

    def forward(self):
        self._call("forward")

    def url(self):
        return self._call("url")

    def close(self):
        self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


class ChromiumEngine:
    """Debian's Chromium, headless, through Playwright, as the other browser tests drive it."""

    def __init__(self):
        self._playwright = sync_playwright().start()
        self._browser = browser_harness.launch_chromium(self._playwright)
        self._page = None

    def load(self, url):
        """Loads `url` as a new document, in a new page: Playwright would not list the frames of a page
        that went to about:blank in between."""
        if self._page:
            self._page.close()
        self._page = self._browser.new_page(viewport={"width": 1400, "height": 1000})
        self._page.goto(url)

    def evaluate(self, frame, expression):
        if not frame:
            return self._page.evaluate(expression)
        # Frame locators, not `page.frames`: that list is brought up to date only while Playwright
        # is called, which a test's polling would not do when it finds no frame.
        located = self._page
        for url_part in frame:
            located = located.frame_locator("iframe[src*=%s]" % json.dumps(url_part))
        return located.locator(":root").evaluate(expression, timeout=5000)

    def type(self, text):
        self._page.keyboard.type(text)

    def press(self, key):
        """Presses a key named as in the DOM's KeyboardEvent.key ("Tab", "Enter")."""
        self._page.keyboard.press(key)

    def back(self):
        self._page.go_back()

    def forward(self):
        self._page.go_forward()

    def url(self):
        return self._page.url

    def close(self):
        self._browser.close()
        self._playwright.stop()


class WebKitEngine:
    """WebKitGTK's MiniBrowser under a virtual X display, through WebKitWebDriver and Selenium."""

    def __init__(self):
        port = _free_port()
        # Its own session: closing kills xvfb-run, the driver, MiniBrowser and Xvfb together.
        self._driver_process = subprocess.Popen(
            ["xvfb-run", "--auto-servernum", WEBKIT_DRIVER, "--port=%d" % port],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        options = webkitgtk_options.Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")

        server_testing.wait_for(lambda: _accepts_connections(port))
        # MiniBrowser starts with the session: an error here is its own, not the driver's start-up.
        self._driver = webdriver.Remote(command_executor="http://127.0.0.1:%d" % port, options=options)
        self._driver.set_window_size(1400, 1000)

    def load(self, url):
        """Loads `url` as a new document, even where only its hash differs from the page's."""
        self._driver.get("about:blank")
        self._driver.get(url)

    def evaluate(self, frame, expression):
        driver = self._driver
        driver.switch_to.default_content()
        for url_part in frame:
            iframes = driver.execute_script(
                "const deep = %s; return deep('iframe').filter((f) => f.src.includes(arguments[0]));" % _DEEP, url_part
            )
            if not iframes:
                raise AssertionError("no frame whose URL has %s" % url_part)
            driver.switch_to.frame(iframes[0])
        return driver.execute_script("return " + expression)

    def type(self, text):
        self._keys(text)

    def press(self, key):
        """Presses a key named as in the DOM's KeyboardEvent.key ("Tab", "Enter")."""
        self._keys(getattr(Keys, key.upper()))

    def _keys(self, keys):
        ActionChains(self._driver).send_keys(keys).perform()

    def back(self):
        self._driver.back()

    def forward(self):
        self._driver.forward()

    def url(self):
        return self._driver.current_url

    def close(self):
        try:
            self._driver.quit()
        finally:
            os.killpg(self._driver_process.pid, signal.SIGTERM)
            self._driver_process.wait()


def fragment(url):
    """A URL's hash, without "#", as {key: value} after its first part (TensorBoard's tab)."""
    parts = urllib.parse.urlsplit(url).fragment.split("&")
    return parts[0], dict(urllib.parse.unquote(part).split("=", 1) for part in parts[1:])


_PAGE_INDICATOR = "(deep) => deep('[data-testid=page-indicator]')[0].textContent.trim()"


class DashboardTests:
    """The Greeter's features, and the projector's tab, in one engine: a mixin for absltest.TestCase.

    A subclass names its `engine_class`; TensorBoard-X serves `write_logdir()` with `server_flags`.
    """

    engine_class = None
    server_flags = ()
    # The projector reads its data only once its WebGL scatter plot has started.
    has_webgl = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.url = cls.enterClassContext(server_testing.serve(write_logdir(), *cls.server_flags))
        wait_until_served(cls.url)
        cls.engine = cls.engine_class()
        cls.addClassCleanup(cls.engine.close)

    def frame_value(self, script, *args, frame=GREETER_FRAME):
        return in_frame(self.engine, frame, script, *args)

    def wait_for_value(self, expected, script, *args, frame=GREETER_FRAME):
        """Waits until `script` (as `in_frame` takes it) returns `expected` in `frame`."""
        seen = []

        def shows_expected():
            try:
                seen.append(self.frame_value(script, *args, frame=frame))
            except Exception as e:  # pylint: disable=broad-except  # The frame is still loading.
                seen.append(e)
            return seen[-1] == expected

        try:
            server_testing.wait_for(shows_expected, timeout_seconds=30)
        except AssertionError:
            self.fail("waited for %r in %s; last saw %r" % (expected, frame, seen[-1]))

    def open(self, fragment="greeter"):
        """Opens the page at `url#fragment` afresh and waits for the Greeter's first card."""
        self.engine.load(self.url + "#" + fragment)
        self.wait_for_value(True, "(deep) => deep('greeter-card.card').length > 0")

    def focus(self, test_id):
        self.frame_value("(deep, id) => deep(`[data-testid=\"${id}\"]`)[0].focus()", test_id)

    def test_the_greeter_tab_shows_every_runs_greetings(self):
        self.open()
        self.wait_for_value(
            sorted(RUNS), "(deep) => [...new Set(deep('tr.greeting').map((row) => row.dataset.run))].sort()"
        )

    def test_the_projector_tab_loads_its_embedding(self):
        self.engine.load(self.url + "#projector")
        # Its module ran: the projector's own frame shows its panels.
        self.wait_for_value(True, "(deep) => deep('vz-projector-data-panel').length > 0", frame=PROJECTOR_FRAME)
        if self.has_webgl:
            # The data panel offers the embedding of projector_config.pbtxt once it has read it.
            self.wait_for_value(
                [["1 tensor found", "guests"]],
                "(deep) => deep('paper-dropdown-menu').filter((m) => /tensor/.test(m.label)).map((m) => [m.label, m.value])",
                frame=PROJECTOR_FRAME,
            )

    def test_pages_are_history_entries_in_the_url(self):
        self.open()
        self.wait_for_value("Page 1 of 3", _PAGE_INDICATOR)
        # A key, not a scripted click: WebKit's Back skips history entries made without user activation.
        self.focus("page-next")
        self.engine.press("Enter")
        self.wait_for_value("Page 2 of 3", _PAGE_INDICATOR)
        self.assertEqual(fragment(self.engine.url()), ("greeter", {"p.greeter.page": "2"}))
        self.engine.back()
        self.wait_for_value("Page 1 of 3", _PAGE_INDICATOR)
        self.engine.forward()
        self.wait_for_value("Page 2 of 3", _PAGE_INDICATOR)

    def test_a_copied_url_opens_the_same_view(self):
        self.open("greeter&p.greeter.tagFilter=table_0&p.greeter.search=grace%20al")
        self.wait_for_value("table_0", "(deep) => deep('[data-testid=tag-filter]')[0].value")
        self.wait_for_value(10, "(deep) => deep('greeter-card.card').length")
        # Search looks through every tag, whatever the tag filter shows.
        self.wait_for_value(len(TAGS), "(deep) => deep('tr.search-match').length")

    def test_typed_search_finds_greetings_beyond_the_first_page(self):
        self.open()
        self.focus("search")
        self.engine.type("Grace al")
        self.wait_for_value(len(TAGS), "(deep) => deep('tr.search-match').length")
        self.assertEqual(fragment(self.engine.url())[1].get("p.greeter.search"), "Grace al")

    def test_tab_moves_the_focus_with_a_visible_outline(self):
        self.open()
        self.focus("tag-filter")
        self.assertEqual(self.frame_value(browser_harness.FOCUSED)["testId"], "tag-filter")
        self.engine.press("Tab")
        focused = self.frame_value(browser_harness.FOCUSED)
        self.assertNotEqual(focused["testId"], "tag-filter")
        self.assertTrue(focused["outline"], focused)

    def test_download_links_answer_the_cards_greetings(self):
        self.open()
        download = self.frame_value(
            """async (deep) => {
              const link = deep('[data-testid=download-csv]')[0];
              const response = await fetch(link.href);
              return {
                attribute: link.hasAttribute('download'),
                status: response.status,
                disposition: response.headers.get('Content-Disposition'),
                lines: (await response.text()).trim().split(/\\r?\\n/).length,
              };
            }"""
        )
        self.assertEqual(download["status"], 200)
        self.assertTrue(download["attribute"])
        self.assertIn("attachment", download["disposition"])
        self.assertEqual(download["lines"], 1 + 2)  # The header, then Ada's and Grace's greetings.

    def test_both_themes_follow_tensorboard(self):
        self.open()
        colour = "(deep) => getComputedStyle(deep('greeter-dashboard')[0]).color"
        light = self.frame_value(colour)
        self.frame_value("() => document.body.classList.add('dark-mode')", frame=PAGE)
        self.wait_for_value(True, "(deep) => deep('greeter-dashboard')[0].hasAttribute('dark')")
        dark = self.frame_value(colour)
        self.assertNotEqual(dark, light)
        self.frame_value("() => document.body.classList.remove('dark-mode')", frame=PAGE)
        self.wait_for_value(light, colour)
