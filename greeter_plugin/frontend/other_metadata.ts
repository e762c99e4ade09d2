/**
 * `<greeter-other-metadata>`: how many runs name or describe a card's tag otherwise than its first
 * run, and, on demand, what they wrote, a page at a time (the `other_metadata` route). A sweep whose
 * every run describes itself costs one line until the user asks.
 *
 * It renders into the card's shadow root (no shadow root of its own), so the card's description
 * styles apply to the descriptions it shows.
 */

import {LitElement, html} from 'lit';
import {unsafeHTML} from 'lit/directives/unsafe-html.js';
import {TagInfo, TagMetadata, fetchOtherMetadata} from './api';
import {formatCount} from './filters';
import {withLinksInNewTabs} from './links';

/** How many other names and descriptions one click shows. */
export const OTHER_METADATA_PER_PAGE = 20;

export class GreeterOtherMetadata extends LitElement {
  static override properties = {
    tag: {attribute: false},
    info: {attribute: false},
    shown: {state: true},
    error: {state: true},
  };

  tag = '';
  info: TagInfo | null = null;
  /** What the pages asked for so far hold; null until the user asks. */
  private shown: TagMetadata[] | null = null;
  private error: string | null = null;
  private loading = false;

  protected override createRenderRoot() {
    return this;
  }

  override willUpdate(changed: Map<string, unknown>) {
    // A reload's tag info: the pages shown are asked for again, as many as were shown.
    if (changed.has('info') && changed.get('info') && this.shown !== null) void this.fetchPage(0, this.shown.length);
    if (changed.has('tag') && changed.get('tag') !== undefined) this.shown = null;
  }

  private async fetchPage(offset: number, limit = OTHER_METADATA_PER_PAGE) {
    if (this.loading) return;
    this.loading = true;
    const tag = this.tag;
    try {
      const page = await fetchOtherMetadata(tag, offset, Math.max(1, limit));
      if (tag !== this.tag) return;
      this.shown = [...(offset === 0 ? [] : this.shown ?? []), ...page.other_metadata];
      this.error = null;
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.loading = false;
    }
  }

  override render() {
    const count = this.info?.other_metadata_count ?? 0;
    if (count === 0) return null;
    const runs = this.info?.runs_differing ?? 0;
    const shown = this.shown ?? [];
    return html`
      <div class="other-metadata" data-testid="other-metadata">
        <div class="status" data-testid="other-metadata-count">
          ${formatCount(runs)} ${runs === 1 ? 'run names or describes' : 'runs name or describe'} this tag otherwise
          ${this.shown === null
            ? html`<button data-testid="show-other-metadata" @click=${() => this.fetchPage(0)}>Show</button>`
            : null}
        </div>
        ${shown.map(
          (other) => html`
            <div class="other" data-testid="other-version">
              <strong class="other-name">${other.display_name}</strong>
              <span class="runs">(${other.runs.join(', ')})</span>
              ${other.description
                ? // Rendered from Markdown and sanitised by the server, as the card's own description.
                  html`<div class="description">${unsafeHTML(withLinksInNewTabs(other.description))}</div>`
                : null}
            </div>
          `,
        )}
        ${this.shown !== null && shown.length < count
          ? html`<button data-testid="more-other-metadata" @click=${() => this.fetchPage(shown.length)}>
              Show more (${formatCount(shown.length)} of ${formatCount(count)})
            </button>`
          : null}
        ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : null}
      </div>
    `;
  }
}

customElements.define('greeter-other-metadata', GreeterOtherMetadata);

declare global {
  interface HTMLElementTagNameMap {
    'greeter-other-metadata': GreeterOtherMetadata;
  }
}
