/** `<{plugin}-regex-input>`: a filter text field that shows when its regular expression is invalid. */

import {LitElement, css, html} from 'lit';
import {controlStyles} from './styles';

/** Dispatched with the new text on every keystroke. */
export class FilterChangeEvent extends Event {
  constructor(readonly text: string) {
    super('filter-change');
  }
}

/** A filter text field: dispatches `FilterChangeEvent` as the user types, shows an invalid pattern's error. */
export class KitRegexInput extends LitElement {
  static override properties = {
    label: {},
    value: {},
    error: {},
    testId: {attribute: false},
  };

  static override styles = [
    controlStyles,
    css`
      label {
        display: block;
        font-size: 12px;
        color: var(--kit-secondary-text);
        margin-bottom: 4px;
      }
      input[aria-invalid='true'] {
        border-color: var(--kit-invalid);
      }
      .error {
        color: var(--kit-invalid);
        font-size: 12px;
        margin-top: 4px;
      }
    `,
  ];

  label = '';
  value = '';
  /** Why `value` is not a valid regular expression, or null when it is. */
  error: string | null = null;
  /** The `data-testid` of the text field (not of this element, so the two never both match). */
  testId = '';

  override render() {
    return html`
      <label for="input">${this.label}</label>
      <input
        id="input"
        type="text"
        spellcheck="false"
        autocomplete="off"
        placeholder="Regular expression"
        data-testid=${this.testId}
        aria-invalid=${this.error ? 'true' : 'false'}
        .value=${this.value}
        @input=${(e: Event) => this.dispatchEvent(new FilterChangeEvent((e.target as HTMLInputElement).value))}
      />
      ${this.error
        ? html`<div class="error" role="alert" title=${this.error} data-testid="${this.testId}-error">
            Invalid regular expression
          </div>`
        : null}
    `;
  }
}
