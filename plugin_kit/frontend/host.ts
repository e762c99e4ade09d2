/**
 * How the dashboard follows its host, TensorBoard 2.21: data reloads and the light or dark theme.
 *
 * Reloads. TensorBoard's app (webfiles.zip index.js) does not reload iframe plugins itself: its
 * plugins component calls `reload()` only on plugin elements that have one, and an iframe has none.
 * Instead its experimental plugin host (tensorboard/components/experimental/plugin_lib) answers a
 * `postMessage("experimental.bootstrap")` carrying a MessagePort from a plugin iframe, and from then
 * on broadcasts `experimental.DataReloaded` over that port each time its core data finishes loading:
 * after the reload button and after every auto-reload tick, so the user's auto-reload setting is
 * honoured. Messages are JSON strings `{type, id, payload, error, isReply}`; a request is answered
 * with the same type and id and `isReply: true`. The dashboard bootstraps the bridge and probes it
 * with `experimental.GetRuns`; when nothing answers (the bundle served outside TensorBoard, or a
 * host whose protocol changed) it falls back to polling.
 *
 * Theme. TensorBoard toggles class `dark-mode` on its own body. The iframe is same-origin, so the
 * dashboard watches the host's body directly; without a reachable host it follows the
 * `prefers-color-scheme` media query.
 */

const BOOTSTRAP = 'experimental.bootstrap';
const DATA_RELOADED = 'experimental.DataReloaded';
const GET_RUNS = 'experimental.GetRuns';

/** How long the host has to answer the probe before the dashboard polls instead. */
const BRIDGE_PROBE_TIMEOUT_MS = 5000;
/** The fallback's refresh period: TensorBoard's default auto-reload interval. */
export const POLL_INTERVAL_MS = 30000;

interface BridgeMessage {
  type: string;
  id: number;
  payload: unknown;
  error: string | null;
  isReply: boolean;
}

/** The host's document when the iframe can reach it (same origin), else null. */
function hostDocument(): Document | null {
  if (window.parent === window) return null;
  try {
    return window.parent.document;
  } catch {
    return null;
  }
}

/** A connection to TensorBoard's plugin host, over a MessagePort of the dashboard's own. */
interface HostConnection {
  /** Resolves to whether the host answered, i.e. whether its reloads will arrive. */
  connected: Promise<boolean>;
  /** Closes the port: the host's messages stop arriving, and the host may let its end go. */
  close: () => void;
}

/** Connects to TensorBoard's plugin host and calls `onDataReloaded` on each of its reloads. */
function connectToHost(onDataReloaded: () => void): HostConnection {
  if (window.parent === window) return {connected: Promise.resolve(false), close: () => {}};
  const channel = new MessageChannel();
  const port = channel.port1;
  const probeId = 0;
  const connected = new Promise<boolean>((resolve) => {
    const timer = window.setTimeout(() => resolve(false), BRIDGE_PROBE_TIMEOUT_MS);
    port.onmessage = (event: MessageEvent) => {
      let message: BridgeMessage;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.isReply) {
        if (message.id === probeId) {
          window.clearTimeout(timer);
          resolve(true);
        }
        return;
      }
      if (message.type === DATA_RELOADED) onDataReloaded();
      const reply: BridgeMessage = {...message, payload: null, error: null, isReply: true};
      port.postMessage(JSON.stringify(reply));
    };
    window.parent.postMessage(BOOTSTRAP, window.location.origin, [channel.port2]);
    const probe: BridgeMessage = {type: GET_RUNS, id: probeId, payload: null, error: null, isReply: false};
    port.postMessage(JSON.stringify(probe));
  });
  return {connected, close: () => port.close()};
}

/**
 * Calls `refresh` whenever TensorBoard reloads its data, or, outside a TensorBoard that speaks the
 * plugin host protocol, every POLL_INTERVAL_MS while the page is visible.
 * Returns a function that stops both: it closes the port to the host and ends the polling.
 */
export function watchReloads(refresh: () => void): () => void {
  let pollTimer: number | undefined;
  let stopped = false;
  const host = connectToHost(refresh);
  host.connected.then((connected) => {
    if (connected || stopped) return;
    pollTimer = window.setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, POLL_INTERVAL_MS);
  });
  return () => {
    stopped = true;
    host.close();
    window.clearInterval(pollTimer);
  };
}

/**
 * Calls `onChange(dark)` now and whenever the theme changes: TensorBoard's `dark-mode` body class
 * when the host is reachable, else the `prefers-color-scheme` media query.
 * Returns a function that stops watching.
 */
export function watchDarkMode(onChange: (dark: boolean) => void): () => void {
  const host = hostDocument();
  if (host) {
    const report = () => onChange(host.body.classList.contains('dark-mode'));
    const observer = new MutationObserver(report);
    observer.observe(host.body, {attributes: true, attributeFilter: ['class']});
    report();
    return () => observer.disconnect();
  }
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  const report = () => onChange(query.matches);
  query.addEventListener('change', report);
  report();
  return () => query.removeEventListener('change', report);
}
