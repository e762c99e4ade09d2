// Drives Firefox for Python tests (cross_browser_testing.py): Puppeteer over WebDriver BiDi.
//
//   node firefox_bridge.mjs FIREFOX
//
// Reads one JSON command a line on stdin, {op, args}, and writes one JSON answer a line on stdout,
// {value} or {error}. Ops: goto(url), evaluate(frame, expression), type(text), press(key), back(),
// forward(), url(). `frame` lists parts of the URLs of a frame and its parents ([]: the page). Puppeteer has no Python port that
// speaks BiDi, and Selenium needs geckodriver, which Debian does not package: hence this bridge.
import * as readline from 'node:readline';
import puppeteer from 'puppeteer-core';

const browser = await puppeteer.launch({
  browser: 'firefox',
  executablePath: process.argv[2],
  headless: true,
});
const page = await browser.newPage();
await page.setViewport({width: 1400, height: 1000});

/** The frame named by the parts of its URL and its parents', outermost first ([]: the page). */
function frameOf(urlParts) {
  if (!urlParts.length) return page.mainFrame();
  const part = urlParts[urlParts.length - 1];
  const frame = page.frames().find((candidate) => candidate.url().includes(part));
  if (!frame) throw new Error(`no frame whose URL has ${part}`);
  return frame;
}

const ops = {
  goto: (url) => page.goto(url).then(() => null),
  evaluate: (frame, expression) => frameOf(frame).evaluate(expression),
  type: (text) => page.keyboard.type(text),
  press: (key) => page.keyboard.press(key),
  // WebDriver BiDi's traversal of the session history, as the browser's Back and Forward buttons.
  back: () => page.goBack().then(() => null),
  forward: () => page.goForward().then(() => null),
  url: () => page.url(),
};

process.stdout.write(JSON.stringify({value: 'ready'}) + '\n');
for await (const line of readline.createInterface({input: process.stdin})) {
  const {op, args} = JSON.parse(line);
  let answer;
  try {
    answer = {value: (await ops[op](...args)) ?? null};
  } catch (error) {
    answer = {error: String(error)};
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
await browser.close();
