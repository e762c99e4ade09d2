"""Makes the docs' screenshots: TensorBoard-X serving the Greeter's demo, in headless Chromium.

    tools/bazel run //tools/screenshots [-- --out=docs/images]

Writes docs/images/*.png in the workspace; run it again when the dashboard changes, and commit them.
"""

import os
import shutil
import subprocess
import sys
import tempfile

from absl import app
from absl import flags
from playwright.sync_api import expect
from playwright.sync_api import sync_playwright

from greeter_plugin import greeter_demo
from greeter_tensorboard import server_testing
from plugin_kit.testing import browser_harness

_OUT = flags.DEFINE_string("out", "docs/images", "Directory for the PNGs, relative to the workspace.")

# The demo's guests are written in several scripts and in emoji; without these Debian fonts they
# show as boxes. Only the pictures need them, so tools/bazel does not install them.
_FONTS = {"fonts-noto-cjk": ":lang=zh", "fonts-noto-color-emoji": "Noto Color Emoji"}
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
        browser = browser_harness.launch_chromium(playwright)
        try:
            for name, fragment, action in SHOTS:
                page = browser.new_page(viewport=_VIEWPORT)
                page.goto(url + "#" + fragment)
                frame = page.frame_locator(browser_harness.frame_selector("greeter"))
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


def missing_fonts():
    """The Debian font packages of _FONTS that fontconfig finds no font of."""
    if not shutil.which("fc-list"):
        return sorted(_FONTS)
    return [package for package, pattern in sorted(_FONTS.items())
            if not subprocess.run(["fc-list", pattern], capture_output=True, text=True).stdout.strip()]


def main(argv):
    del argv
    missing = missing_fonts()
    if missing:
        print("screenshots: some guests will show as boxes; `apt-get install %s` first" % " ".join(missing),
              file=sys.stderr)
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
