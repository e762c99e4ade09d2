"""Makes the docs' screenshots: TensorBoard-X serving the Greeter's demo, in headless Chromium.

    tools/bazel run //tools/screenshots [-- --out=docs/images]

Writes docs/images/*.png in the workspace; run it again when the dashboard changes, and commit them.
"""

import os
import sys
import tempfile

from absl import app
from absl import flags
from playwright.sync_api import expect
from playwright.sync_api import sync_playwright

from greeter_plugin import greeter_demo
from greeter_tensorboard import server_testing

_OUT = flags.DEFINE_string("out", "docs/images", "Directory for the PNGs, relative to the workspace.")

# Debian's Chromium, as the browser tests run it (greeter_plugin/frontend/browser_testing.py, which
# only tests may use).
_CHROMIUM = "/usr/bin/chromium"
_CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]
_VIEWPORT = {"width": 1280, "height": 800}

# Each screenshot: its file, the URL fragment it opens, and what it does in the plugin's frame first.
# The demo's first tag and run hold hostile text for the tests; the README's picture filters them out.
_FRIENDLY = "greeter&p.greeter.tagFilter=%5E%5Ba-z%5D&p.greeter.runFilter=%5E%5Ba-z%5D"
SHOTS = [
    ("greeter.png", _FRIENDLY, None),
    ("greeter_search.png", _FRIENDLY, lambda frame: frame.get_by_label("Search greetings").fill("ada")),
]


def take(url, out_dir):
    """Saves each of SHOTS of the TensorBoard-X at `url` into `out_dir`; returns their paths."""
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_CHROMIUM, args=_CHROMIUM_ARGS)
        try:
            for name, fragment, action in SHOTS:
                page = browser.new_page(viewport=_VIEWPORT)
                page.goto(url + "#" + fragment)
                frame = page.frame_locator('iframe[src*="plugin_entry.html?name=greeter"]')
                expect(frame.locator("greeter-card.card").first).to_be_visible(timeout=60000)
                if action:
                    action(frame)
                page.wait_for_timeout(1500)  # the search's pause in typing, the cards' last rows
                path = os.path.join(out_dir, name)
                page.screenshot(path=path)
                written.append(path)
                page.close()
        finally:
            browser.close()
    return written


def main(argv):
    del argv
    out_dir = os.path.join(os.environ.get("BUILD_WORKSPACE_DIRECTORY", os.getcwd()), _OUT.value)
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as logdir:
        greeter_demo.write_demo(logdir)
        with server_testing.serve(logdir) as url:
            for path in take(url, out_dir):
                print("wrote", path)
    return 0


if __name__ == "__main__":
    sys.exit(app.run(main))
