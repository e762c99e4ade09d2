/**
 * `<{plugin}-card>`: one tag's rows, every shown run's by step.
 *
 * The card fetches what it shows, and no more: a page of its runs (RUNS_PER_CARD_PAGE), each run's
 * latest rows, and a page of every step of the one run the user asks for (step_window.ts), while
 * that run is on the card's page.
 */

import {LitElement, TemplateResult, css} from 'lit';
import {styleMap} from 'lit/directives/style-map.js';
import {unsafeHTML} from 'lit/directives/unsafe-html.js';
import {html} from 'lit/static-html.js';
import {RunWindow, TagInfo, WindowsByRun, fetchCard} from './api';
import {renderCells, rowClass} from './columns';
import {downloadLinkStyles, downloadLinks} from './download_links';
import {clampPage, formatCount, formatDuration, pageCount, runColor} from './filters';
import {withLinksInNewTabs} from './links';
import {kitOptions, tagOf} from './options';
import {OLDEST, StepAnchor, stepControls, stepWindow} from './step_window';
import {controlStyles, tableStyles} from './styles';

/**
 * Rows a card shows until the user asks for every step: each run gets an equal share of its latest
 * rows, so a page of cards over hundreds of runs renders at once.
 */
export const ROWS_PER_CARD = 120;

/** Runs a card shows at once; its run pager moves through the others. */
export const RUNS_PER_CARD_PAGE = 20;

/** A card of one tag: its title, description, run pager and each shown run's latest rows. */
export class KitCard extends LitElement {
  static override properties = {
    tag: {attribute: false},
    info: {attribute: false},
    runs: {attribute: false},
    latestOnly: {attribute: false},
    reloads: {attribute: false},
    runPage: {state: true},
    windows: {state: true},
    everyStepRun: {state: true},
    everyStepAnchor: {state: true},
    everyStep: {state: true},
    windowsError: {state: true},
    everyStepError: {state: true},
  };

  static override styles = [
    controlStyles,
    tableStyles,
    downloadLinkStyles,
    css`
      :host {
        display: block;
        /* Cards below the fold skip layout and paint until scrolled to: a page switch lays out only
           what is in view. */
        content-visibility: auto;
        contain-intrinsic-size: auto 560px;
        background: var(--kit-surface);
        border: 1px solid var(--kit-border);
        border-radius: 4px;
        padding: 12px 16px;
        min-width: 0;
      }
      h3 {
        margin: 0;
        font-size: 15px;
        font-weight: 500;
        word-break: break-all;
      }
      .tag {
        font-family: 'Roboto Mono', monospace;
        font-size: 11px;
        color: var(--kit-secondary-text);
        word-break: break-all;
      }
      .description {
        font-size: 13px;
        color: var(--kit-secondary-text);
        margin-top: 4px;
      }
      .description a {
        color: var(--kit-link);
      }
      .description p {
        margin: 4px 0;
      }
      .scroller {
        max-height: 480px;
        overflow-y: auto;
        margin-top: 8px;
      }
      tr.row:hover td {
        background: var(--kit-row-hover);
      }
      tr.run-header td {
        padding-top: 8px;
        font-weight: 500;
      }
      .run {
        display: flex;
        align-items: center;
        gap: 6px;
        overflow-wrap: anywhere;
      }
      .swatch {
        flex: none;
        width: 10px;
        height: 10px;
        border-radius: 50%;
        background: var(--run-color);
      }
      .number,
      .time {
        white-space: nowrap;
        font-variant-numeric: tabular-nums;
      }
      .cell {
        min-width: 10em;
        white-space: pre-wrap;
        word-break: break-word;
      }
      .status {
        color: var(--kit-secondary-text);
        font-size: 13px;
        margin-top: 8px;
      }
      .hidden-count {
        font-weight: 400;
        color: var(--kit-secondary-text);
      }
      .show-every-step {
        margin-left: 8px;
        font-weight: 400;
      }
      .run-pager {
        display: flex;
        align-items: center;
        gap: 12px;
        margin-top: 8px;
        font-size: 13px;
        color: var(--kit-secondary-text);
      }
      .error {
        color: var(--kit-invalid);
      }
      .step-controls {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
        font-weight: 400;
        font-size: 13px;
        color: var(--kit-secondary-text);
        margin-top: 4px;
      }
      .go-to-step input {
        width: 8em;
      }
      .other-metadata {
        font-size: 13px;
        margin-top: 4px;
        padding-left: 8px;
        border-left: 2px solid var(--kit-border);
      }
      .other-metadata .runs {
        color: var(--kit-secondary-text);
        overflow-wrap: anywhere;
      }
    `,
  ];

  tag = '';
  info: TagInfo | null = null;
  /** The runs to show: those the user selected, that match the run filter and hold this tag. */
  runs: string[] = [];
  /** Whether to show each run's latest row only, instead of every step. */
  latestOnly = false;
  /** Changes on each of TensorBoard's reloads: the card fetches again what it shows. */
  reloads = 0;
  /** The page of `runs` shown, 0-based. */
  private runPage = 0;
  /** The latest rows of the runs of the page (or of the page before, while fetching). */
  private windows: WindowsByRun | undefined = undefined;
  /**
   * The run whose every step the user asked for, the page of its steps shown, and that page once
   * fetched (the previous page's until then). Let go when the run leaves the card's runs.
   */
  private everyStepRun: string | null = null;
  private everyStepAnchor: StepAnchor = OLDEST;
  private everyStep: RunWindow | undefined = undefined;
  /** Why the page's windows, or the every-step page, could not be fetched: one failing spares the other. */
  private windowsError: string | null = null;
  private everyStepError: string | null = null;
  /** What was last asked of the server, to ask each thing once: [tag, runs, latest, reloads] as JSON. */
  private windowsAsked = '';
  private everyStepAsked = '';

  private pageRuns() {
    return this.runs.slice(this.runPage * RUNS_PER_CARD_PAGE, (this.runPage + 1) * RUNS_PER_CARD_PAGE);
  }

  /** How many of its latest rows each run of the page may put in the table. */
  private rowsPerRun(runsOnPage: number) {
    if (this.latestOnly) return 1;
    return Math.max(1, Math.floor(ROWS_PER_CARD / Math.max(1, runsOnPage)));
  }

  override willUpdate() {
    // Filters and reloads change the number of runs; the page follows instead of pointing past the end.
    this.runPage = clampPage(this.runPage, pageCount(this.runs.length, RUNS_PER_CARD_PAGE));
    // A run turned off, filtered out or gone: its steps are no longer asked for on each reload.
    if (this.everyStepRun !== null && !this.runs.includes(this.everyStepRun)) this.closeEveryStep();
  }

  /** Fetches the page's windows and the run shown in full, each when what it depends on changed. */
  private fetchWhatIsShown() {
    const runs = this.pageRuns();
    const latest = this.rowsPerRun(runs.length);
    const windowsKey = JSON.stringify([this.tag, runs, latest, this.reloads]);
    if (runs.length > 0 && windowsKey !== this.windowsAsked) {
      this.windowsAsked = windowsKey;
      const asked = () => this.windowsAsked;
      this.ask(fetchCard(this.tag, runs, {latest}), windowsKey, asked, (answer, error) => {
        if (answer) this.windows = answer;
        this.windowsError = error;
      });
    }
    const run = this.everyStepRun;
    if (run === null || this.latestOnly || !runs.includes(run)) return;
    const everyStepKey = JSON.stringify([this.tag, run, this.everyStepAnchor, this.reloads]);
    if (everyStepKey !== this.everyStepAsked) {
      this.everyStepAsked = everyStepKey;
      const asked = () => this.everyStepAsked;
      this.ask(fetchCard(this.tag, [run], stepWindow(this.everyStepAnchor)), everyStepKey, asked, (answer, error) => {
        if (answer) this.everyStep = answer[run];
        this.everyStepError = error;
      });
    }
  }

  /**
   * Calls `apply(answer, null)`, or `apply(null, why)` if it failed, unless something newer was asked
   * meanwhile (`asked()` moved on from `key`).
   */
  private ask(
    answer: Promise<WindowsByRun>,
    key: string,
    asked: () => string,
    apply: (answer: WindowsByRun | null, error: string | null) => void,
  ) {
    answer
      .then((value) => {
        if (asked() === key) apply(value, null);
      })
      .catch((e: Error) => {
        if (asked() === key) apply(null, e.message);
      });
  }

  private showEveryStepOf(run: string) {
    this.everyStepRun = run;
    this.everyStepAnchor = OLDEST;
    this.everyStep = undefined;
    this.everyStepError = null;
  }

  private closeEveryStep() {
    this.everyStepRun = null;
    this.everyStep = undefined;
    this.everyStepError = null;
    this.everyStepAsked = '';
  }

  /** Whether `run` shows a page of its every step rather than its latest rows. */
  private showsEveryStep(run: string): boolean {
    return run === this.everyStepRun && !this.latestOnly;
  }

  private renderRun(run: string) {
    const latest = this.windows?.[run];
    if (latest?.gone !== undefined) return this.renderGoneRun(run, latest.gone);
    if (this.showsEveryStep(run)) return this.renderEveryStep(run, latest);
    if (!latest || latest.rows.length === 0) return null;
    const shown = latest.rows;
    const hidden = latest.total - shown.length;
    // Loaders keep a sample of a long tag (--samples_per_plugin): say so where the counts are.
    const kept = latest.sampled ? ' kept, a sample of its steps' : '';
    const everyStep = latest.sampled ? 'every kept step' : 'every step';
    return html`
      ${this.renderRunHeader(
        run,
        hidden > 0 && !this.latestOnly
          ? html`<span class="hidden-count">(latest ${shown.length} of ${latest.total}${kept})</span
              ><button
                class="show-every-step"
                data-testid="show-every-step"
                aria-label="Show ${everyStep} of ${run}"
                @click=${() => this.showEveryStepOf(run)}
              >
                Show ${everyStep}
              </button>`
          : latest.sampled && hidden === 0
            ? html`<span class="hidden-count">(${latest.total}${kept})</span>`
            : null,
      )}
      ${this.renderRows(run, latest)}
    `;
  }

  /** The run's page of every step, its controls, and its latest rows until the page comes. */
  private renderEveryStep(run: string, latest: RunWindow | undefined) {
    const page = this.everyStep;
    const shown = page ?? latest;
    const sampled = shown?.sampled ? html`<span class="hidden-count">(${shown.total} kept, a sample of its steps)</span>` : null;
    return html`
      ${this.renderRunHeader(run, sampled)}
      <tr class="step-controls-row" data-run=${run}>
        <td colspan=${this.columnCount()}>
          ${stepControls(
            run,
            page,
            (anchor) => (this.everyStepAnchor = anchor),
            () => this.closeEveryStep(),
          )}
          ${this.everyStepError
            ? html`<div class="status error" role="alert" data-testid="every-step-error">${this.everyStepError}</div>`
            : null}
        </td>
      </tr>
      ${this.renderRows(run, page ?? latest)}
    `;
  }

  /**
   * A run the dashboard listed that the server no longer has (its files deleted or moved): said on its
   * rows' place, rather than the run silently showing none, until the next reload lists runs again.
   */
  private renderGoneRun(run: string, why: string) {
    return html`
      ${this.renderRunHeader(run, null, false)}
      <tr class="run-gone" data-run=${run}>
        <td colspan=${this.columnCount()}>
          <div class="status" role="status" data-testid="run-gone">
            Gone since the dashboard listed it (${why}); it leaves this card at the next reload.
          </div>
        </td>
      </tr>
    `;
  }

  /** The run's name and colour, its `counts`, and its download links unless it has nothing to download. */
  private renderRunHeader(run: string, counts: TemplateResult | null, downloadable = true) {
    return html`
      <tr class="run-header" data-run=${run}>
        <td colspan=${this.columnCount()}>
          ${downloadable ? downloadLinks(run, this.tag) : null}<span class="run"
            ><span class="swatch" style=${styleMap({'--run-color': runColor(run)})}></span>${run} ${counts}</span
          >
        </td>
      </tr>
    `;
  }

  private renderRows(run: string, window: RunWindow | undefined) {
    if (!window) return null;
    const start = window.start ?? 0;
    const {columns, rowNoun} = kitOptions();
    return window.rows.map(
      (row) => html`
        <tr class="row ${rowClass(rowNoun.one)}" data-run=${run} data-step=${row.step}>
          <td class="number step">${row.step}</td>
          <td class="time relative">${formatDuration(row.wall_time - start)}</td>
          <td class="time absolute">${new Date(row.wall_time * 1000).toLocaleString()}</td>
          ${renderCells(columns, row)}
        </tr>
      `,
    );
  }

  /** The table's columns: step, relative and absolute time, then the plugin's own. */
  private columnCount() {
    return 3 + kitOptions().columns.length;
  }

  /** What runs that disagree with the first run wrote as this tag's name and description. */
  private renderOtherMetadata() {
    if (!this.info?.other_metadata_count) return null;
    return html`<${tagOf('other-metadata')} .tag=${this.tag} .info=${this.info}></${tagOf('other-metadata')}>`;
  }

  /** "Runs 1–20 of 1,000" between previous and next, when the card's runs fill more than one page. */
  private renderRunPager() {
    const pages = pageCount(this.runs.length, RUNS_PER_CARD_PAGE);
    if (pages <= 1) return null;
    const first = this.runPage * RUNS_PER_CARD_PAGE + 1;
    const last = Math.min(this.runs.length, first + RUNS_PER_CARD_PAGE - 1);
    return html`
      <div class="run-pager">
        <button data-testid="run-page-prev" ?disabled=${this.runPage <= 0} @click=${() => this.runPage--}>
          Previous runs
        </button>
        <span data-testid="run-range">Runs ${formatCount(first)}–${formatCount(last)} of ${formatCount(this.runs.length)}</span>
        <button data-testid="run-page-next" ?disabled=${this.runPage >= pages - 1} @click=${() => this.runPage++}>
          Next runs
        </button>
      </div>
    `;
  }

  private renderTable() {
    if (this.windowsError) {
      return html`<div class="status error" role="alert" data-testid="card-error">${this.windowsError}</div>`;
    }
    const runs = this.pageRuns();
    const windows = this.windows;
    // Until the page's runs come, the last page's windows have none of them: still loading.
    if (!windows || !runs.some((run) => run in windows)) return html`<div class="status">Loading…</div>`;
    if (!runs.some((run) => windows[run]?.rows.length || windows[run]?.gone)) {
      return html`<div class="status" data-testid="no-rows">
        No ${kitOptions().rowNoun.many} of this tag in the shown runs: it may have gone since the dashboard loaded.
      </div>`;
    }
    return html`
      <div class="scroller">
        <table>
          <thead>
            <tr>
              <th scope="col">Step</th><th scope="col">Relative</th><th scope="col">Time</th>
              ${kitOptions().columns.map((column) => html`<th scope="col">${column.label}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${runs.map((run) => this.renderRun(run))}
          </tbody>
        </table>
      </div>
    `;
  }

  override updated() {
    this.fetchWhatIsShown();
    // Markdown's images carry alt text, but raw <img> tags that the sanitiser keeps may not: without
    // it a screen reader reads out the URL. The description says what they show, if anything.
    for (const image of this.renderRoot.querySelectorAll('.description img:not([alt])')) image.setAttribute('alt', '');
  }

  override render() {
    const displayName = this.info?.display_name || this.tag;
    return html`
      <h3 class="title">${displayName}</h3>
      ${displayName !== this.tag ? html`<div class="tag">${this.tag}</div>` : null}
      ${this.info?.description
        ? // The one HTML field: the server renders it from Markdown and sanitises it with bleach.
          html`<div class="description">${unsafeHTML(withLinksInNewTabs(this.info.description))}</div>`
        : null}
      ${this.renderOtherMetadata()}
      ${this.renderRunPager()}
      ${this.renderTable()}
    `;
  }
}
