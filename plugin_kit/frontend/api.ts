/**
 * The routes of a plugin's backend on the kit (plugin_kit/series_plugin.py).
 *
 * URLs are relative: the plugin's iframe page has `<base href="plugin/<plugin>/">`, so "tags" is
 * `/data/plugin/<plugin>/tags`, under the plugin's own name.
 */

import {Row, kitOptions} from './options';

/** A tag's display name and description, as some of its runs wrote them. */
export interface TagMetadata {
  display_name: string;
  /** HTML that the server rendered from Markdown and sanitised; may be empty. */
  description: string;
  runs: string[];
}

/** What the dashboard knows of a tag: the first run's metadata, and every run that holds it. */
export interface TagInfo extends TagMetadata {
  /** How many other names and descriptions runs wrote for the tag (`fetchOtherMetadata` lists them). */
  other_metadata_count: number;
  /** How many runs wrote them. */
  runs_differing: number;
}

/** A page of the names and descriptions that runs wrote for a tag other than its first run's. */
export interface OtherMetadataPage {
  /** How many there are in all. */
  total: number;
  other_metadata: TagMetadata[];
}

/** Run name to its tags, for the runs that hold the plugin's data. */
export type TagsByRun = Record<string, string[]>;
/** Tag name to its metadata. */
export type TagInfoByTag = Record<string, TagInfo>;
/** Run name to its tags of the plugin that cannot be read, each with why. */
export type UnreadableTags = Record<string, Record<string, string>>;
/** A window of one run's rows of a tag, and how many rows of the tag the run keeps. */
export interface RunWindow {
  total: number;
  /** Whether the run keeps as many as the sample bound: it may have written more, not kept. */
  sampled: boolean;
  /** The earliest wall time of all the run's rows of the tag; null if it has none. */
  start: number | null;
  /** How many of the run's rows come before `rows`. */
  offset: number;
  /** Sorted by step; the answer's `rowsKey` (options.ts). */
  rows: Row[];
  /** Set when the run is gone since the dashboard listed it: why it has no rows. */
  gone?: string;
}
/** Run name to its window of one tag's rows. */
export type WindowsByRun = Record<string, RunWindow>;

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, {headers: {Accept: 'application/json'}});
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(`${url}: ${errorMessage(body, response)}`);
  return body as T;
}

/** What the backend says of the plugin (its `info` route): what the dashboard must agree on with it. */
export interface PluginInfo {
  plugin_name: string;
  tab_name: string;
  /** The `card` answer's key of each run's rows. */
  rows_key: string;
  /** Whether it answers the `search` route. */
  searchable: boolean;
}

/** Fetches what the backend says of the plugin. */
export function fetchInfo(): Promise<PluginInfo> {
  return getJson('info');
}

/** Fetches the runs that hold the plugin's data, with their tags. */
export function fetchTags(): Promise<TagsByRun> {
  return getJson('tags');
}

/** Fetches every tag's display name, description and runs. */
export function fetchTagInfo(): Promise<TagInfoByTag> {
  return getJson('tag_info');
}

/** The runs with their tags, and every tag's metadata: what the dashboard lists. */
export type Listing = [TagsByRun, TagInfoByTag];

/** The page's first listing, asked for before the `info` answer arrives; taken by the first `fetchListing`. */
let firstListing: Promise<Listing> | null = null;

/**
 * Asks for the listing now, while the page waits for `info`: the dashboard's first `fetchListing`
 * takes this answer instead of asking once `info` has answered, one round trip later.
 */
export function prefetchListing(): void {
  firstListing = askForListing();
  // A failure is the dashboard's to show, when it takes the answer; until then it is no unhandled rejection.
  firstListing.catch(() => undefined);
}

/** Fetches the runs with their tags and every tag's metadata, at once (or takes `prefetchListing`'s). */
export function fetchListing(): Promise<Listing> {
  const listing = firstListing ?? askForListing();
  firstListing = null;
  return listing;
}

function askForListing(): Promise<Listing> {
  return Promise.all([fetchTags(), fetchTagInfo()]);
}

/** Fetches `limit` of the other names and descriptions of `tag`, from the `offset`-th. */
export function fetchOtherMetadata(tag: string, offset: number, limit: number): Promise<OtherMetadataPage> {
  return getJson(`other_metadata?${new URLSearchParams({tag, offset: String(offset), limit: String(limit)})}`);
}

/** Fetches the plugin's tags that this dashboard cannot read (newer or broken metadata), with why. */
export function fetchUnreadableTags(): Promise<UnreadableTags> {
  return getJson('unreadable_tags');
}

/**
 * Whether the server is still reading its logdir for the first time: TensorBoard-X's readiness route
 * (greeter_tensorboard/health.py) answers 503 "loading" until then. A server without it (stock
 * TensorBoard), or one that does not answer, counts as done: the dashboard then follows its reloads.
 */
export async function fetchServerReading(): Promise<boolean> {
  try {
    // The route lies at the server's root, three levels above the frame's base `data/plugin/<plugin>/`.
    // It is TensorBoard-X's only: stock TensorBoard answers 404 (a failed request in the console).
    const response = await fetch('../../../health/ready', {headers: {Accept: 'application/json'}, cache: 'no-store'});
    // Read whatever the status: a body left unread keeps the request, and one of the browser's six
    // connections to the server, open for the page's life.
    const body: unknown = await response.json().catch(() => null);
    return response.status === 503 && (body as {state?: unknown} | null)?.state === 'loading';
  } catch {
    return false;
  }
}

/**
 * Which of a run's rows a card asks for: those from `stepMin` to `stepMax` (both included, each
 * optional), and of those the `latest` or the `earliest` N (all if neither).
 */
export interface StepWindow {
  latest?: number;
  earliest?: number;
  stepMin?: number;
  stepMax?: number;
}

/** Fetches what a card shows of `tag` in `runs`, in one request: each run's `window`, with how many it keeps. */
export async function fetchCard(tag: string, runs: string[], window: StepWindow): Promise<WindowsByRun> {
  const params = new URLSearchParams([['tag', tag], ...runs.map((run) => ['run', run])]);
  const {latest, earliest, stepMin, stepMax} = window;
  if (latest !== undefined) params.set('latest', String(latest));
  if (earliest !== undefined) params.set('earliest', String(earliest));
  if (stepMin !== undefined) params.set('step_min', String(stepMin));
  if (stepMax !== undefined) params.set('step_max', String(stepMax));
  const windows = await getJson<Record<string, Omit<RunWindow, 'rows'> & Record<string, unknown>>>(`card?${params}`);
  const {rowsKey} = kitOptions();
  return Object.fromEntries(
    Object.entries(windows).map(([run, window]) => [run, {...window, rows: (window[rowsKey] as Row[] | undefined) ?? []}]),
  );
}

/** The formats of the `download` route. */
export type DownloadFormat = 'csv' | 'json';

/** The URL that downloads one run's rows of `tag` as a file in `format`. */
export function downloadUrl(run: string, tag: string, format: DownloadFormat): string {
  return `download?${new URLSearchParams({run, tag, format})}`;
}

/** One row that a search found, with where it is. */
export interface SearchMatch extends Row {
  run: string;
  tag: string;
}

/** The server's answer to a search: the first matches, and how many there are in all. */
export interface SearchResult {
  query: string;
  /** How many rows match; at least this many if `total_is_lower_bound` (counting stopped there). */
  total: number;
  total_is_lower_bound: boolean;
  matches: SearchMatch[];
}

/** A search's answer with its ETag, which names the data it searched. */
export interface TaggedSearchResult {
  result: SearchResult;
  etag: string | null;
}

/**
 * Searches the text of every row, in every run and tag, for `query` (ignoring case).
 *
 * With the `etag` of an earlier answer to the same query, resolves to null when the server says
 * nothing it searched has changed since (HTTP 304), without searching. `signal` aborts the request.
 */
export async function fetchSearch(
  query: string,
  options: {etag?: string | null; signal?: AbortSignal} = {},
): Promise<TaggedSearchResult | null> {
  const url = `search?${new URLSearchParams({q: query})}`;
  const headers: Record<string, string> = {Accept: 'application/json'};
  if (options.etag) headers['If-None-Match'] = options.etag;
  // The answer's freshness is this function's to check (by the ETag), not the browser cache's.
  const response = await fetch(url, {headers, signal: options.signal, cache: 'no-store'});
  if (response.status === 304) return null;
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new Error(`${url}: ${errorMessage(body, response)}`);
  }
  // A body cut short (the search aborted while it arrived) rejects: it is never taken for an answer.
  return {result: (await response.json()) as SearchResult, etag: response.headers.get('ETag')};
}

/** The JSON error of a failed answer, or its status text, with its HTTP status. */
function errorMessage(body: unknown, response: Response): string {
  const error = body && typeof (body as {error?: unknown}).error === 'string' ? (body as {error: string}).error : null;
  return `${error ?? response.statusText} (HTTP ${response.status})`;
}
