/**
 * Deep links: a plugin dashboard's state in TensorBoard's URL, as hash keys prefixed `p.<plugin>.`.
 *
 * TensorBoard 2.21 keeps a plugin's deep-link state in its own URL hash (`#numbers&p.numbers.page=2`),
 * in the format of its `tf_storage` (`tab&key=value&...`, each part URI-encoded). Its plugin host
 * (plugin_lib) only hands that state to a frame: `experimental.GetURLPluginData` answers the `p.<plugin>.`
 * keys of a dictionary that the host refreshes on `hashchange` only. No message writes them. So the
 * dashboard reads and writes TensorBoard's URL itself, which it can because the plugin's iframe is
 * same-origin: `history.replaceState` while the user types or toggles, `history.pushState` when the
 * page changes, so that Back returns to the previous page of cards rather than undoing keystrokes.
 * Reading the URL directly, rather than through GetURLPluginData, is what keeps it right after those
 * writes, which fire no `hashchange`. Served outside TensorBoard (no reachable parent), the dashboard
 * keeps the same keys in its own page's URL.
 *
 * The run selection is kept as its shorter list (run_selection.ts): `selectedRuns` or
 * `deselectedRuns`, a JSON list of names. A list longer than MAX_SELECTION_CHARS stays out of the
 * URL, which TensorBoard rewrites on every change: the dashboard says so, and such a link opens
 * with every run on.
 */

import memoizeOne from 'memoize-one';
import {sortNames} from './filters';
import {kitOptions} from './options';
import {EVERY_RUN, RunSelection} from './run_selection';

/** The part of the dashboard's state that a link carries. */
export interface UrlState {
  tagFilter: string;
  runFilter: string;
  selection: RunSelection;
  latestOnly: boolean;
  /** 0-based; the URL shows it 1-based, as the pager does. */
  page: number;
  search: string;
}

/** TensorBoard's convention for a plugin's keys in its URL: `p.<plugin>.`. */
export function keyPrefix(): string {
  return `p.${kitOptions().pluginName}.`;
}

/** The state with no choices made; its values stay out of the URL. */
export const DEFAULT_URL_STATE: Readonly<UrlState> = {
  tagFilter: '',
  runFilter: '',
  selection: EVERY_RUN,
  latestOnly: false,
  page: 0,
  search: '',
};

/** The most characters of a run selection's list, encoded, that the URL carries. */
export const MAX_SELECTION_CHARS = 1500;

/** How the URL changes: a new history entry (Back returns to the last one) or in place. */
export type HistoryMode = 'push' | 'replace';

/** The window whose URL holds the state: TensorBoard's when the iframe can reach it, else this one. */
function stateWindow(): Window {
  if (window.parent !== window) {
    try {
      void window.parent.location.href;
      return window.parent;
    } catch {
      // Another origin: the parent's URL is not ours to read.
    }
  }
  return window;
}

/** The hash's `&`-separated parts, each as [key, value], or [part, null] for TensorBoard's tab name. */
function hashParts(hash: string): Array<[string, string | null]> {
  return hash
    .replace(/^#/, '')
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const [key, value, ...rest] = part.split('=');
      if (value === undefined || rest.length > 0) return [part, null];
      try {
        return [decodeURIComponent(key), decodeURIComponent(value)];
      } catch {
        return [part, null];
      }
    });
}

/** The plugin's keys (prefix removed) of the URL's hash. */
function pluginValues(hash: string): Map<string, string> {
  const prefix = keyPrefix();
  const values = new Map<string, string>();
  for (const [key, value] of hashParts(hash)) {
    if (value !== null && key.startsWith(prefix)) values.set(key.slice(prefix.length), value);
  }
  return values;
}

function parseRuns(json: string): string[] {
  try {
    const runs: unknown = JSON.parse(json);
    return Array.isArray(runs) ? runs.filter((run): run is string => typeof run === 'string') : [];
  } catch {
    return [];
  }
}

function parseSelection(values: Map<string, string>): RunSelection {
  const selected = values.get('selectedRuns');
  if (selected !== undefined) return {kind: 'only', runs: new Set(parseRuns(selected))};
  const deselected = values.get('deselectedRuns');
  if (deselected !== undefined) return {kind: 'except', runs: new Set(parseRuns(deselected))};
  return EVERY_RUN;
}

/**
 * The URL's `key=value` part for `selection`: '' for every run on, or 'tooLong' when the list would
 * take more than MAX_SELECTION_CHARS. Memoised: the URL is written after every render.
 */
export const encodeSelection = memoizeOne((selection: RunSelection): string => {
  if (selection.kind === 'except' && selection.runs.size === 0) return '';
  // Each name takes at least 7 characters encoded ("%22" twice, a comma): a long list stops here
  // without being sorted and encoded.
  if (selection.runs.size * 7 > MAX_SELECTION_CHARS) return 'tooLong';
  const value = encodeURIComponent(JSON.stringify(sortNames(selection.runs)));
  if (value.length > MAX_SELECTION_CHARS) return 'tooLong';
  const key = selection.kind === 'only' ? 'selectedRuns' : 'deselectedRuns';
  return `${encodeURIComponent(keyPrefix() + key)}=${value}`;
});

/** The state a URL hash describes; what it lacks or gets wrong takes the default. */
export function parseUrlState(hash: string): UrlState {
  const values = pluginValues(hash);
  const page = Number.parseInt(values.get('page') ?? '', 10);
  return {
    tagFilter: values.get('tagFilter') ?? DEFAULT_URL_STATE.tagFilter,
    runFilter: values.get('runFilter') ?? DEFAULT_URL_STATE.runFilter,
    selection: parseSelection(values),
    latestOnly: values.get('latestOnly') === 'true',
    page: Number.isFinite(page) && page >= 1 ? page - 1 : DEFAULT_URL_STATE.page,
    search: values.get('search') ?? DEFAULT_URL_STATE.search,
  };
}

/** `hash` with the plugin's keys set to `state` (defaults left out), every other part kept as it was. */
export function formatUrlState(hash: string, state: UrlState): string {
  const prefix = keyPrefix();
  const others = hash
    .replace(/^#/, '')
    .split('&')
    .filter((part) => part !== '' && !decodeURIComponentOrSelf(part.split('=')[0]).startsWith(prefix));
  const values: Array<[string, string]> = [];
  if (state.tagFilter) values.push(['tagFilter', state.tagFilter]);
  if (state.runFilter) values.push(['runFilter', state.runFilter]);
  if (state.latestOnly) values.push(['latestOnly', 'true']);
  if (state.page > 0) values.push(['page', String(state.page + 1)]);
  if (state.search) values.push(['search', state.search]);
  const ours = values.map(([key, value]) => `${encodeURIComponent(prefix + key)}=${encodeURIComponent(value)}`);
  const selection = encodeSelection(state.selection);
  if (selection !== '' && selection !== 'tooLong') ours.push(selection);
  return [...others, ...ours].join('&');
}

function decodeURIComponentOrSelf(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The state in the URL now. */
export function readUrlState(): UrlState {
  return parseUrlState(stateWindow().location.hash);
}

/** Puts `state` in the URL, as a new history entry or in place; does nothing when it is there already. */
export function writeUrlState(state: UrlState, mode: HistoryMode): void {
  const target = stateWindow();
  const hash = formatUrlState(target.location.hash, state);
  if (hash === target.location.hash.replace(/^#/, '')) return;
  const url = new URL(target.location.href);
  url.hash = hash;
  if (mode === 'push') target.history.pushState(target.history.state, '', url.href);
  else target.history.replaceState(target.history.state, '', url.href);
}

/**
 * Calls `onChange(state)` when the URL's state changes under the dashboard: Back and Forward, or a
 * link pasted into the address bar. Returns a function that stops watching.
 */
export function watchUrlState(onChange: (state: UrlState) => void): () => void {
  const target = stateWindow();
  const report = () => onChange(readUrlState());
  target.addEventListener('popstate', report);
  target.addEventListener('hashchange', report);
  return () => {
    target.removeEventListener('popstate', report);
    target.removeEventListener('hashchange', report);
  };
}
