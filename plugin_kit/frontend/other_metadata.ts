/**
 * `<{plugin}-other-metadata>`: how many runs name or describe a card's tag otherwise than its first
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

/** The most that one request of the `other_metadata` route may ask for (the backend's bound). */
export const MAX_OTHER_METADATA_PAGE = 200;

/** The other names and descriptions of a card's tag, shown on demand a page at a time. */
export class KitOtherMetadata extends LitElement {
  static override properties = {
    tag: {attribute: false},
    info: {attribute: false},
    shown: {state: true},
    error: {state: true},
    pending: {state: true},
  };

  tag = '';
  info: TagInfo | null = null;
  /** What the pages asked for so far hold; null until the user asks. */
  private shown: TagMetadata[] | null = null;
  private error: string | null = null;
  /** Requests asked for and not yet answered: "Show more" waits for them. */
  private pending = 0;
  /**
   * The requests, one after the other: a reload's refetch waits for a "Show more" in flight (and
   * the other way round) instead of being dropped or racing it.
   */
  private queue: Promise<void> = Promise.resolve();

  protected override createRenderRoot() {
    return this;
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('tag') && changed.get('tag') !== undefined) this.shown = null;
    // A reload's tag info: as many as were shown are asked for again.
    else if (changed.has('info') && changed.get('info') && this.shown !== null) this.enqueue(() => this.refetchShown());
  }

  /** Runs `job` after every request asked before it, and shows why it failed, if it did. */
  private enqueue(job: () => Promise<void>) {
    this.pending++;
    this.queue = this.queue.then(async () => {
      try {
        await job();
        this.error = null;
      } catch (e) {
        this.error = (e as Error).message;
      } finally {
        this.pending--;
      }
    });
  }

  /** Shows the next page after those shown (the first page when none is). */
  private showMore() {
    this.enqueue(async () => {
      const tag = this.tag;
      const offset = this.shown?.length ?? 0;
      const page = await fetchOtherMetadata(tag, offset, OTHER_METADATA_PER_PAGE);
      if (tag === this.tag) this.shown = [...(this.shown ?? []), ...page.other_metadata];
    });
  }

  /** Asks again for as many as are shown, in requests the backend takes (MAX_OTHER_METADATA_PAGE). */
  private async refetchShown() {
    const tag = this.tag;
    const wanted = this.shown?.length ?? 0;
    const fetched: TagMetadata[] = [];
    while (fetched.length < Math.max(1, wanted)) {
      const limit = Math.min(MAX_OTHER_METADATA_PAGE, Math.max(1, wanted - fetched.length));
      const page = await fetchOtherMetadata(tag, fetched.length, limit);
      fetched.push(...page.other_metadata);
      if (page.other_metadata.length < limit) break;
    }
    if (tag === this.tag && this.shown !== null) this.shown = fetched;
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
            ? html`<button data-testid="show-other-metadata" ?disabled=${this.pending > 0} @click=${() => this.showMore()}>
                Show
              </button>`
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
          ? html`<button data-testid="more-other-metadata" ?disabled=${this.pending > 0} @click=${() => this.showMore()}>
              Show more (${formatCount(shown.length)} of ${formatCount(count)})
            </button>`
          : null}
        ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : null}
      </div>
    `;
  }
}
