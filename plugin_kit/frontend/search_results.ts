/**
 * `<{plugin}-search-results>`: the rows whose text contains the search box's text, in every run
 * and tag. The server searches (the `search` route), so it finds rows on other pages and beyond
 * the rows a card shows.
 */

import {LitElement, css, html} from 'lit';
import {SearchResult, fetchSearch} from './api';
import {renderCells} from './columns';
import {formatCount} from './filters';
import {capitalized, kitOptions} from './options';
import {controlStyles, tableStyles} from './styles';

/** How long typing must pause before the dashboard asks the server: one request per word, not per key. */
export const SEARCH_DELAY_MS = 250;

/** The server's answer to the search box: how many rows match, and the first of them. */
export class KitSearchResults extends LitElement {
  static override properties = {
    query: {attribute: false},
    reloads: {attribute: false},
    result: {state: true},
    error: {state: true},
  };

  static override styles = [
    controlStyles,
    tableStyles,
    css`
      :host {
        display: block;
        margin-bottom: 16px;
        background: var(--kit-surface);
        border: 1px solid var(--kit-border);
        border-radius: 4px;
        padding: 12px 16px;
      }
      h2 {
        margin: 0 0 8px;
        font-size: 15px;
        font-weight: 500;
      }
      .count,
      .status {
        font-size: 13px;
        color: var(--kit-secondary-text);
      }
      .scroller {
        max-height: 320px;
        overflow-y: auto;
        margin-top: 8px;
      }
      td {
        overflow-wrap: anywhere;
      }
      .cell {
        white-space: pre-wrap;
      }
      .error {
        color: var(--kit-invalid);
        font-size: 13px;
      }
    `,
  ];

  /** The text to search for; empty shows nothing. */
  query = '';
  /** TensorBoard's reloads so far: each one asks whether the rows searched have changed. */
  reloads = 0;
  private result: SearchResult | null = null;
  private error: string | null = null;
  private timer: number | undefined;
  /** Aborts the request in flight, if any: a newer search supersedes it. */
  private inFlight: AbortController | null = null;
  /** The ETag of `result`'s answer: a reload asks with it, and the server searches only if the data changed. */
  private etag: string | null = null;

  override updated(changed: Map<string, unknown>) {
    if (changed.has('query')) {
      // One request per pause in typing; the one in flight is for text the user has since changed.
      window.clearTimeout(this.timer);
      this.inFlight?.abort();
      if (this.query) this.timer = window.setTimeout(() => this.search(), SEARCH_DELAY_MS);
    } else if (changed.has('reloads') && this.query && this.result?.query === this.query && !this.inFlight) {
      this.search();
    }
  }

  private search() {
    this.inFlight?.abort();
    const controller = (this.inFlight = new AbortController());
    const query = this.query;
    const etag = this.result?.query === query ? this.etag : null;
    fetchSearch(query, {etag, signal: controller.signal})
      .then((answer) => {
        // An answer to a search since aborted is not the newer one's to replace.
        if (controller.signal.aborted) return;
        if (answer) {
          this.result = answer.result;
          this.etag = answer.etag;
        }
        this.error = null;
      })
      .catch((e: Error) => {
        if (!controller.signal.aborted) this.error = e.message;
      })
      .finally(() => {
        if (this.inFlight === controller) this.inFlight = null;
      });
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.clearTimeout(this.timer);
    this.inFlight?.abort();
    this.inFlight = null;
  }

  private renderMatches(result: SearchResult) {
    const {columns, rowNoun} = kitOptions();
    const {one, many} = rowNoun;
    if (result.total === 0) return html`<div class="status" data-testid="search-none">No ${one} contains it.</div>`;
    return html`
      <div class="count" data-testid="search-count">
        ${result.total_is_lower_bound
          ? `The first ${result.matches.length} of ${formatCount(result.total)}+ ${many} that contain it`
          : result.matches.length < result.total
          ? `The first ${result.matches.length} of ${formatCount(result.total)} ${many} that contain it`
          : `${result.total} ${result.total === 1 ? `${one} contains` : `${many} contain`} it`}
      </div>
      <div class="scroller" tabindex="0" role="region" aria-label="Search results">
        <table>
          <thead>
            <tr>
              <th scope="col">Run</th><th scope="col">Tag</th><th scope="col">Step</th>
              ${columns.map((column) => html`<th scope="col">${column.label}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${result.matches.map(
              (match) => html`<tr class="search-match" data-run=${match.run} data-tag=${match.tag}>
                <td class="run">${match.run}</td>
                <td class="tag">${match.tag}</td>
                <td class="step">${match.step}</td>
                ${renderCells(columns, match)}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    `;
  }

  override render() {
    const result = this.result?.query === this.query ? this.result : null;
    return html`
      <h2>${capitalized(kitOptions().rowNoun.many)} containing “${this.query}”</h2>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : null}
      ${result ? this.renderMatches(result) : html`<div class="status">Searching…</div>`}
    `;
  }
}
