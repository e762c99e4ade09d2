/**
 * `<greeter-search-results>`: the greetings whose text contains the search box's text, in every run
 * and tag. The server searches (the `search` route), so it finds greetings on other pages and beyond
 * the rows a card shows.
 */

import {LitElement, css, html} from 'lit';
import {SearchResult, fetchSearch} from './api';
import {controlStyles, tableStyles} from './styles';

/** How long typing must pause before the dashboard asks the server: one request per word, not per key. */
export const SEARCH_DELAY_MS = 250;

export class GreeterSearchResults extends LitElement {
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
        background: var(--greeter-surface);
        border: 1px solid var(--greeter-border);
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
        color: var(--greeter-secondary-text);
      }
      .scroller {
        max-height: 320px;
        overflow-y: auto;
        margin-top: 8px;
      }
      td {
        overflow-wrap: anywhere;
      }
      .text {
        white-space: pre-wrap;
      }
      .error {
        color: var(--greeter-invalid);
        font-size: 13px;
      }
    `,
  ];

  /** The text to search for; empty shows nothing. */
  query = '';
  /** TensorBoard's reloads so far: each one searches again, for greetings written since. */
  reloads = 0;
  private result: SearchResult | null = null;
  private error: string | null = null;
  private timer: number | undefined;
  /** Counts searches; an answer to an older one is dropped. */
  private searches = 0;

  override updated(changed: Map<string, unknown>) {
    if (!changed.has('query') && !changed.has('reloads')) return;
    window.clearTimeout(this.timer);
    const search = ++this.searches;
    if (!this.query) return;
    this.timer = window.setTimeout(() => {
      fetchSearch(this.query)
        .then((result) => {
          if (search !== this.searches) return;
          this.result = result;
          this.error = null;
        })
        .catch((e: Error) => {
          if (search === this.searches) this.error = e.message;
        });
    }, SEARCH_DELAY_MS);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.clearTimeout(this.timer);
  }

  private renderMatches(result: SearchResult) {
    if (result.total === 0) return html`<div class="status" data-testid="search-none">No greeting contains it.</div>`;
    return html`
      <div class="count" data-testid="search-count">
        ${result.matches.length < result.total
          ? `The first ${result.matches.length} of ${result.total} greetings that contain it`
          : `${result.total} ${result.total === 1 ? 'greeting contains' : 'greetings contain'} it`}
      </div>
      <div class="scroller" tabindex="0" role="region" aria-label="Search results">
        <table>
          <thead>
            <tr><th scope="col">Run</th><th scope="col">Tag</th><th scope="col">Step</th><th scope="col">Greeting</th></tr>
          </thead>
          <tbody>
            ${result.matches.map(
              (match) => html`<tr class="search-match" data-run=${match.run} data-tag=${match.tag}>
                <td class="run">${match.run}</td>
                <td class="tag">${match.tag}</td>
                <td class="step">${match.step}</td>
                <td class="text">${match.text}</td>
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
      <h2>Greetings containing “${this.query}”</h2>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : null}
      ${result ? this.renderMatches(result) : html`<div class="status">Searching…</div>`}
    `;
  }
}

customElements.define('greeter-search-results', GreeterSearchResults);

declare global {
  interface HTMLElementTagNameMap {
    'greeter-search-results': GreeterSearchResults;
  }
}
