/** `<{plugin}-pager>`: previous/next buttons around "Page N of M". */

import {LitElement, css, html} from 'lit';
import {controlStyles} from './styles';

/** Dispatched with the page the user moved to (0-based). */
export class PageChangeEvent extends Event {
  constructor(readonly page: number) {
    super('page-change');
  }
}

/** Moves through pages of cards: previous, "Page N of M", next; dispatches `PageChangeEvent`. */
export class KitPager extends LitElement {
  static override properties = {
    page: {attribute: false},
    pages: {attribute: false},
  };

  static override styles = [
    controlStyles,
    css`
      :host {
        display: flex;
        align-items: center;
        justify-content: center;
        gap: 12px;
        font-size: 13px;
        color: var(--kit-secondary-text);
      }
    `,
  ];

  /** The current page, 0-based. */
  page = 0;
  pages = 1;

  private go(page: number) {
    this.dispatchEvent(new PageChangeEvent(page));
  }

  override render() {
    return html`
      <button data-testid="page-prev" ?disabled=${this.page <= 0} @click=${() => this.go(this.page - 1)}>
        Previous
      </button>
      <span data-testid="page-indicator">Page ${this.page + 1} of ${this.pages}</span>
      <button
        data-testid="page-next"
        ?disabled=${this.page >= this.pages - 1}
        @click=${() => this.go(this.page + 1)}
      >
        Next
      </button>
    `;
  }
}
