/**
 * `<{plugin}-dashboard>`: a plugin's tab. A sidebar of filters and runs, and a page of tag cards.
 *
 * It owns the page's state. The user's choices (runs turned on, filters, "latest only", page) live
 * here and survive TensorBoard's reloads, which refetch only the data (run_selection.ts says which
 * runs that appear later are on). Each card fetches the rows it shows, and keeps its own page
 * of runs.
 *
 * What it shows is derived from its state by memoised steps, each redone only when what it reads
 * changed identity: a keystroke in the tag filter does not filter the runs again, and no keystroke
 * sorts anything. With 12 cards of 10,000 runs a keystroke re-sorting each card's runs took seconds.
 */

import {LitElement, css} from 'lit';
import {repeat} from 'lit/directives/repeat.js';
import {html} from 'lit/static-html.js';
import memoizeOne from 'memoize-one';
import {
  TagInfo,
  TagInfoByTag,
  TagsByRun,
  UnreadableTags,
  fetchListing,
  fetchServerReading,
  fetchUnreadableTags,
} from './api';
import {Filter, clampPage, compileFilter, filterNames, pageCount, sortNames} from './filters';
import {watchDarkMode, watchReloads} from './host';
import {kitOptions, tagOf} from './options';
import {PageChangeEvent} from './pager';
import {FilterChangeEvent} from './regex_input';
import {EVERY_RUN, RunSelection, isSelected} from './run_selection';
import {SelectionChangeEvent} from './run_selector';
import {controlStyles, themeStyles} from './styles';
import {HistoryMode, UrlState, encodeSelection, readUrlState, watchUrlState, writeUrlState} from './url_state';

/** Cards per page: enough to scan, few enough that thousands of tags never render at once. */
export const CARDS_PER_PAGE = 12;
/**
 * How soon the dashboard asks again while a logdir is still being read (a sweep in a bucket lists its
 * runs as they arrive), rather than at TensorBoard's next reload, 30 s later by default.
 */
export const GROWING_RELOAD_MS = 2000;

/** How long a change written in place waits for the next before the URL follows (typing). */
const URL_REPLACE_DELAY_MS = 100;

/** The run list before the first load: one array, so that what is derived from it is derived once. */
const NO_RUNS: string[] = [];

/** Whether `runs` names exactly the runs of `tags`: then the sorted list is kept, not sorted again. */
function sameNames(runs: string[] | null, tags: TagsByRun): boolean {
  if (runs === null) return false;
  const names = Object.keys(tags);
  if (names.length !== runs.length) return false;
  const known = new Set(runs);
  return names.every((name) => known.has(name));
}

/** What the current data and choices put on screen; derived before each render. */
interface View {
  runFilter: Filter;
  tagFilter: Filter;
  /** Runs that match the run filter, sorted. */
  listedRuns: string[];
  /** Selected runs that match the run filter, sorted. */
  shownRuns: string[];
  /** Tags that match the tag filter and hold a shown run, sorted. */
  cardTags: string[];
  pages: number;
  pageTags: string[];
}

/** A plugin's whole dashboard; it owns the page's state (the user's choices and what was loaded). */
export class KitDashboard extends LitElement {
  static override properties = {
    dark: {type: Boolean, reflect: true},
    runs: {state: true},
    tagInfo: {state: true},
    unreadable: {state: true},
    selection: {state: true},
    runFilterText: {state: true},
    tagFilterText: {state: true},
    latestOnly: {state: true},
    page: {state: true},
    searchText: {state: true},
    error: {state: true},
  };

  static override styles = [
    themeStyles,
    controlStyles,
    css`
      :host {
        display: flex;
        height: 100vh;
        font-family: Roboto, 'Helvetica Neue', Arial, sans-serif;
        color: var(--kit-text);
        background: var(--kit-background);
      }
      .sidebar {
        flex: none;
        width: 280px;
        display: flex;
        flex-direction: column;
        gap: 16px;
        padding: 16px;
        box-sizing: border-box;
        background: var(--kit-surface);
        border-right: 1px solid var(--kit-border);
        overflow: hidden;
      }
      .sidebar h4 {
        margin: 0 0 8px;
        font-size: 12px;
        font-weight: 500;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--kit-secondary-text);
      }
      .search label {
        display: block;
        font-size: 12px;
        color: var(--kit-secondary-text);
        margin-bottom: 4px;
      }
      .toggle {
        display: flex;
        align-items: center;
        gap: 6px;
        font-size: 13px;
        cursor: pointer;
      }
      .runs {
        display: flex;
        flex-direction: column;
        min-height: 0;
        flex: 1;
      }
      main {
        flex: 1;
        min-width: 0;
        overflow-y: auto;
        padding: 16px;
        box-sizing: border-box;
      }
      .summary,
      .status {
        font-size: 13px;
        color: var(--kit-secondary-text);
        margin-bottom: 12px;
      }
      .error {
        color: var(--kit-invalid);
        border: 1px solid var(--kit-invalid);
        border-radius: 4px;
        padding: 8px 12px;
        margin-bottom: 12px;
        font-size: 13px;
      }
      .cards {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(420px, 1fr));
        gap: 16px;
        margin-bottom: 16px;
      }
    `,
  ];

  /** Whether TensorBoard shows its dark theme; styles switch on the reflected attribute. */
  dark = false;
  /** Runs that hold the plugin's data, sorted; null until the first load. */
  private runs: string[] | null = null;
  private tagInfo: TagInfoByTag = {};
  /** The plugin's tags that cannot be read, asked for only when no run holds a readable one. */
  private unreadable: UnreadableTags = {};
  private selection: RunSelection = EVERY_RUN;
  private runFilterText = '';
  private tagFilterText = '';
  private latestOnly = false;
  private page = 0;
  /** Text searched for in every row, by the server; empty: no search. */
  private searchText = '';
  private error: string | null = null;

  private view: View | null = null;
  /** Counts reloads; a response that arrives after a newer reload began is dropped. */
  private generation = 0;
  private stopWatching: Array<() => void> = [];
  /** Whether the last ask found runs that the one before did not: the logdir is still being read. */
  private growing = false;
  /** Whether the server has said it has read its logdir once: from then on, only growth is followed. */
  private serverRead = false;
  private nextGrowingReload: ReturnType<typeof setTimeout> | undefined;
  /** How the next change of state enters the URL: a page change is a step Back can undo. */
  private nextHistoryMode: HistoryMode = 'replace';
  private urlWriteTimer: number | undefined = undefined;

  override connectedCallback() {
    super.connectedCallback();
    this.applyUrlState(readUrlState());
    this.stopWatching = [
      watchReloads(() => void this.reload()),
      watchDarkMode((dark) => (this.dark = dark)),
      watchUrlState((state) => this.applyUrlState(state)),
    ];
    void this.reload();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.clearTimeout(this.urlWriteTimer);
    for (const stop of this.stopWatching) stop();
    this.stopWatching = [];
    clearTimeout(this.nextGrowingReload);
  }

  private applyUrlState(state: UrlState) {
    this.tagFilterText = state.tagFilter;
    this.runFilterText = state.runFilter;
    this.selection = state.selection;
    this.latestOnly = state.latestOnly;
    this.page = state.page;
    this.searchText = state.search;
  }

  private urlState(): UrlState {
    return {
      tagFilter: this.tagFilterText,
      runFilter: this.runFilterText,
      selection: this.selection,
      latestOnly: this.latestOnly,
      page: this.page,
      search: this.searchText,
    };
  }

  /** Refetches runs and tags; the cards on the page then refetch what they show (`reloads`). */
  async reload() {
    const generation = ++this.generation;
    try {
      const [tags, tagInfo] = await fetchListing();
      const runs = sameNames(this.runs, tags) ? this.runs! : sortNames(Object.keys(tags));
      const unreadable = runs.length === 0 ? await fetchUnreadableTags() : {};
      if (generation !== this.generation) return;
      void this.followGrowth(this.runs, runs, generation);
      // The same list when no run came or went: nothing derived from it is derived again.
      this.runs = runs;
      this.tagInfo = tagInfo;
      this.unreadable = unreadable;
      this.error = null;
    } catch (e) {
      if (generation === this.generation) this.error = (e as Error).message;
    }
  }

  /**
   * Asks again soon while the logdir is still being read: as long as each ask finds more runs, or,
   * until the server says it has read its logdir once, while it says it is reading it. A logdir that
   * is read already waits for TensorBoard's next reload.
   */
  private async followGrowth(before: string[] | null, now: string[], generation: number) {
    this.growing = before !== null && now.length > before.length;
    clearTimeout(this.nextGrowingReload);
    let again = this.growing;
    if (!again && !this.serverRead) {
      again = await fetchServerReading();
      this.serverRead = !again;
    }
    if (again && this.isConnected && generation === this.generation) {
      this.nextGrowingReload = setTimeout(() => void this.reload(), GROWING_RELOAD_MS);
    }
  }

  // The memoised steps of deriveView(): each runs again only when one of its arguments changed.
  private readonly compileRunFilter = memoizeOne(compileFilter);
  private readonly compileTagFilter = memoizeOne(compileFilter);
  private readonly sortTags = memoizeOne((tagInfo: TagInfoByTag) => sortNames(Object.keys(tagInfo)));
  // The list shown before is given only to be reused when equal: it is not what the result depends on.
  private readonly listRuns = memoizeOne(
    filterNames,
    (next: Parameters<typeof filterNames>, last: Parameters<typeof filterNames>) => next[0] === last[0] && next[1] === last[1],
  );
  private readonly selectRuns = memoizeOne((listed: string[], selection: RunSelection) =>
    selection === EVERY_RUN ? listed : listed.filter((run) => isSelected(selection, run)),
  );
  private readonly selectCardTags = memoizeOne(
    (tags: string[], tagInfo: TagInfoByTag, filter: Filter, shownRuns: string[]) =>
      filterNames(tags, filter).filter((tag) => this.holdsAShownRun(tagInfo[tag], shownRuns)),
  );
  /** Each tag's runs as a set, made once per TagInfo (new on each reload). */
  private readonly tagRunSets = new WeakMap<TagInfo, ReadonlySet<string>>();
  /** Each tag's shown runs, sorted: memoised per tag (by its TagInfo, new on each reload). */
  private readonly cardRunsByInfo = new WeakMap<TagInfo, (allRuns: string[], shownRuns: string[]) => string[]>();

  private tagRuns(info: TagInfo): ReadonlySet<string> {
    let runs = this.tagRunSets.get(info);
    if (!runs) {
      runs = new Set(info.runs);
      this.tagRunSets.set(info, runs);
    }
    return runs;
  }

  /** Whether the tag holds one of the shown runs, looking through the shorter of the two lists. */
  private holdsAShownRun(info: TagInfo, shownRuns: string[]): boolean {
    const tagRuns = this.tagRuns(info);
    if (shownRuns.length <= info.runs.length) return shownRuns.some((run) => tagRuns.has(run));
    const shown = this.setOf(shownRuns);
    return info.runs.some((run) => shown.has(run));
  }

  private readonly setOf = memoizeOne((runs: string[]) => new Set(runs));

  private cardRuns(info: TagInfo, allRuns: string[], shownRuns: string[]): string[] {
    let cardRuns = this.cardRunsByInfo.get(info);
    if (!cardRuns) {
      const tagRuns = this.tagRuns(info);
      // A tag that every run holds, as in most logdirs, shows every shown run: no filtering at all.
      // Else the shown runs, already sorted, are filtered, never sorted again.
      const holdsEveryRun = memoizeOne((all: string[]) => tagRuns.size === all.length && all.every((run) => tagRuns.has(run)));
      cardRuns = memoizeOne((all: string[], shown: string[]) =>
        holdsEveryRun(all) ? shown : shown.filter((run) => tagRuns.has(run)),
      );
      this.cardRunsByInfo.set(info, cardRuns);
    }
    return cardRuns(allRuns, shownRuns);
  }

  private deriveView(): View {
    const runFilter = this.compileRunFilter(this.runFilterText);
    const tagFilter = this.compileTagFilter(this.tagFilterText);
    const listedRuns = this.listRuns(this.runs ?? NO_RUNS, runFilter, this.view?.listedRuns);
    const shownRuns = this.selectRuns(listedRuns, this.selection);
    const cardTags = this.selectCardTags(this.sortTags(this.tagInfo), this.tagInfo, tagFilter, shownRuns);
    const pages = pageCount(cardTags.length, CARDS_PER_PAGE);
    // Filters and reloads change the number of pages; the page index follows instead of pointing past the end.
    // Not before the first load, though: a linked page must survive until there are pages.
    if (this.runs !== null) this.page = clampPage(this.page, pages);
    const pageTags = cardTags.slice(this.page * CARDS_PER_PAGE, (this.page + 1) * CARDS_PER_PAGE);
    return {runFilter, tagFilter, listedRuns, shownRuns, cardTags, pages, pageTags};
  }

  override willUpdate() {
    this.view = this.deriveView();
  }

  override updated() {
    if (this.runs === null) return;
    const mode = this.nextHistoryMode;
    this.nextHistoryMode = 'replace';
    window.clearTimeout(this.urlWriteTimer);
    if (mode === 'push') {
      writeUrlState(this.urlState(), mode);
      return;
    }
    // Rewriting TensorBoard's URL took a third of a keystroke's script at 10,000 runs: in place, the
    // URL follows once typing pauses.
    this.urlWriteTimer = window.setTimeout(() => writeUrlState(this.urlState(), mode), URL_REPLACE_DELAY_MS);
  }

  private renderSidebar(view: View) {
    return html`
      <aside class="sidebar">
        ${kitOptions().searchable ? this.renderSearchBox() : null}
        <${tagOf('regex-input')}
          label="Filter tags"
          .value=${this.tagFilterText}
          .error=${view.tagFilter.error}
          .testId=${'tag-filter'}
          @filter-change=${(e: FilterChangeEvent) => (this.tagFilterText = e.text)}
        ></${tagOf('regex-input')}>
        <label class="toggle">
          <input
            type="checkbox"
            data-testid="latest-only"
            .checked=${this.latestOnly}
            @change=${(e: Event) => (this.latestOnly = (e.target as HTMLInputElement).checked)}
          />
          Latest step only
        </label>
        <section class="runs">
          <h4>Runs</h4>
          ${this.growing
            ? html`<div class="status" role="status" data-testid="runs-arriving">
                Reading the logdir: more runs appear as they are read.
              </div>`
            : null}
          <${tagOf('run-selector')}
            .runs=${this.runs ?? NO_RUNS}
            .listedRuns=${view.listedRuns}
            .selection=${this.selection}
            .selectionNotInUrl=${encodeSelection(this.selection) === 'tooLong'}
            .filterText=${this.runFilterText}
            .filterError=${view.runFilter.error}
            @filter-change=${(e: FilterChangeEvent) => (this.runFilterText = e.text)}
            @selection-change=${(e: SelectionChangeEvent) => (this.selection = e.selection)}
          ></${tagOf('run-selector')}>
        </section>
      </aside>
    `;
  }

  private renderSearchBox() {
    return html`
      <div class="search">
        <label for="search">Search ${kitOptions().rowNoun.many}</label>
        <input
          id="search"
          type="text"
          spellcheck="false"
          autocomplete="off"
          placeholder="Text in any run and tag"
          data-testid="search"
          .value=${this.searchText}
          @input=${(e: Event) => (this.searchText = (e.target as HTMLInputElement).value)}
        />
      </div>
    `;
  }

  private renderCards(view: View) {
    if (this.runs === null) {
      return this.error ? null : html`<div class="status">Loading…</div>`;
    }
    if (this.runs.length === 0) {
      return html`<${tagOf('empty-state')} data-testid="empty-state" .unreadable=${this.unreadable}></${tagOf('empty-state')}>`;
    }
    if (view.cardTags.length === 0) {
      return html`<div class="status" data-testid="no-matches">
        No tags match the tag filter among the selected runs.
      </div>`;
    }
    const first = this.page * CARDS_PER_PAGE + 1;
    const last = first + view.pageTags.length - 1;
    return html`
      <div class="summary" data-testid="card-summary">
        Tags ${first}–${last} of ${view.cardTags.length}
      </div>
      <div class="cards">
        ${repeat(
          view.pageTags,
          // Keyed by tag: a card's own state ("Show every step") stays with its tag when filters or
          // pages move tags to other places, instead of passing to whichever tag takes its place.
          (tag) => tag,
          (tag) => {
            const info = this.tagInfo[tag];
            return html`<${tagOf('card')}
              class="card"
              data-tag=${tag}
              .tag=${tag}
              .info=${info}
              .runs=${this.cardRuns(info, this.runs!, view.shownRuns)}
              .latestOnly=${this.latestOnly}
              .reloads=${this.generation}
            ></${tagOf('card')}>`;
          },
        )}
      </div>
      ${view.pages > 1
        ? html`<${tagOf('pager')}
            .page=${this.page}
            .pages=${view.pages}
            @page-change=${(e: PageChangeEvent) => {
              this.nextHistoryMode = 'push';
              this.page = e.page;
            }}
          ></${tagOf('pager')}>`
        : null}
    `;
  }

  override render() {
    const view = this.view!;
    return html`
      ${this.renderSidebar(view)}
      <main>
        ${this.error ? html`<div class="error" role="alert" data-testid="error">${this.error}</div>` : null}
        ${this.searchText && kitOptions().searchable
          ? html`<${tagOf('search-results')}
              data-testid="search-results"
              .query=${this.searchText}
              .reloads=${this.generation}
            ></${tagOf('search-results')}>`
          : null}
        ${this.renderCards(view)}
      </main>
    `;
  }
}
