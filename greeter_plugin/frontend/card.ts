/** `<greeter-card>`: one tag's greetings, every shown run's by step. */

import {LitElement, css, html} from 'lit';
import {styleMap} from 'lit/directives/style-map.js';
import {unsafeHTML} from 'lit/directives/unsafe-html.js';
import {Greeting, GreetingsByRun, TagInfo} from './api';
import {downloadLinkStyles, downloadLinks} from './download_links';
import {formatDuration, runColor} from './filters';
import {withLinksInNewTabs} from './links';
import {controlStyles, tableStyles} from './styles';

/**
 * Rows a card shows until the user asks for every step: each run gets an equal share of its latest
 * greetings, so a page of cards over hundreds of runs renders at once.
 */
export const ROWS_PER_CARD = 120;

export class GreeterCard extends LitElement {
  static override properties = {
    tag: {attribute: false},
    info: {attribute: false},
    runs: {attribute: false},
    greetings: {attribute: false},
    latestOnly: {attribute: false},
    showEveryStep: {state: true},
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
        background: var(--greeter-surface);
        border: 1px solid var(--greeter-border);
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
        color: var(--greeter-secondary-text);
        word-break: break-all;
      }
      .description {
        font-size: 13px;
        color: var(--greeter-secondary-text);
        margin-top: 4px;
      }
      .description a {
        color: var(--greeter-link);
      }
      .description p {
        margin: 4px 0;
      }
      .scroller {
        max-height: 480px;
        overflow-y: auto;
        margin-top: 8px;
      }
      tr.greeting:hover td {
        background: var(--greeter-row-hover);
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
      .text {
        min-width: 10em;
        white-space: pre-wrap;
        word-break: break-word;
      }
      .status {
        color: var(--greeter-secondary-text);
        font-size: 13px;
        margin-top: 8px;
      }
      .hidden-count {
        font-weight: 400;
        color: var(--greeter-secondary-text);
      }
      .show-every-step {
        margin-top: 8px;
      }
      .other-metadata {
        font-size: 13px;
        margin-top: 4px;
        padding-left: 8px;
        border-left: 2px solid var(--greeter-border);
      }
      .other-metadata .runs {
        color: var(--greeter-secondary-text);
        overflow-wrap: anywhere;
      }
    `,
  ];

  tag = '';
  info: TagInfo | null = null;
  /** The runs to show: those the user selected, that match the run filter and hold this tag. */
  runs: string[] = [];
  /** The tag's greetings by run; undefined until fetched. */
  greetings: GreetingsByRun | undefined = undefined;
  /** Whether to show each run's latest greeting only, instead of every step. */
  latestOnly = false;
  /** Whether the user asked to see every step, past ROWS_PER_CARD. */
  private showEveryStep = false;

  /** How many of its latest greetings each shown run may put in the table. */
  private rowsPerRun(greetings: GreetingsByRun) {
    if (this.latestOnly) return 1;
    if (this.showEveryStep) return Infinity;
    const runsWithGreetings = this.runs.filter((run) => greetings[run]?.length).length;
    return Math.max(1, Math.floor(ROWS_PER_CARD / Math.max(1, runsWithGreetings)));
  }

  private renderRun(run: string, greetings: Greeting[], rowsPerRun: number) {
    if (greetings.length === 0) return null;
    const start = greetings.reduce((earliest, g) => Math.min(earliest, g.wall_time), Infinity);
    const shown = greetings.slice(-rowsPerRun);
    const hidden = greetings.length - shown.length;
    return html`
      <tr class="run-header" data-run=${run}>
        <td colspan="4">
          ${downloadLinks(run, this.tag)}<span class="run"
            ><span class="swatch" style=${styleMap({'--run-color': runColor(run)})}></span>${run}
            ${hidden && !this.latestOnly
              ? html`<span class="hidden-count">(latest ${shown.length} of ${greetings.length})</span>`
              : null}</span
          >
        </td>
      </tr>
      ${shown.map(
        (greeting) => html`
          <tr class="greeting" data-run=${run} data-step=${greeting.step}>
            <td class="number step">${greeting.step}</td>
            <td class="time relative">${formatDuration(greeting.wall_time - start)}</td>
            <td class="time absolute">${new Date(greeting.wall_time * 1000).toLocaleString()}</td>
            <td class="text">${greeting.text}</td>
          </tr>
        `,
      )}
    `;
  }

  /** What runs that disagree with the first run wrote as this tag's name and description. */
  private renderOtherMetadata() {
    const others = this.info?.other_metadata ?? [];
    if (others.length === 0) return null;
    return html`
      <div class="other-metadata" data-testid="other-metadata">
        <div class="status">Other runs name or describe this tag otherwise:</div>
        ${others.map(
          (other) => html`
            <div class="other" data-testid="other-version">
              <strong class="other-name">${other.display_name}</strong>
              <span class="runs">(${other.runs.join(', ')})</span>
              ${other.description
                ? // Rendered from Markdown and sanitised by the server, as the description above.
                  html`<div class="description">${unsafeHTML(other.description)}</div>`
                : null}
            </div>
          `,
        )}
      </div>
    `;
  }

  private renderTable() {
    const greetings = this.greetings;
    if (!greetings) return html`<div class="status">Loading…</div>`;
    if (!this.runs.some((run) => greetings[run]?.length)) {
      return html`<div class="status" data-testid="no-greetings">
        No greetings of this tag in the shown runs: it may have gone since the dashboard loaded.
      </div>`;
    }
    const rowsPerRun = this.rowsPerRun(greetings);
    const hidden = this.runs.some((run) => (greetings[run]?.length ?? 0) > rowsPerRun);
    return html`
      <div class="scroller">
        <table>
          <thead>
            <tr><th scope="col">Step</th><th scope="col">Relative</th><th scope="col">Time</th><th scope="col">Greeting</th></tr>
          </thead>
          <tbody>
            ${this.runs.map((run) => this.renderRun(run, greetings[run] ?? [], rowsPerRun))}
          </tbody>
        </table>
      </div>
      ${hidden && !this.latestOnly
        ? html`<button class="show-every-step" data-testid="show-every-step" @click=${() => (this.showEveryStep = true)}>
            Show every step
          </button>`
        : null}
    `;
  }

  override updated() {
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
      ${this.renderTable()}
    `;
  }
}

customElements.define('greeter-card', GreeterCard);

declare global {
  interface HTMLElementTagNameMap {
    'greeter-card': GreeterCard;
  }
}
