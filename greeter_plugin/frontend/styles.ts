/** Styles shared by the dashboard's components; everything ships inside the bundle. */

import {css} from 'lit';

/**
 * TensorBoard's palette as custom properties, light by default and dark under `:host([dark])`.
 * Custom properties inherit through shadow roots, so only the dashboard applies this.
 */
export const themeStyles = css`
  :host {
    --greeter-background: #f5f6f7;
    --greeter-surface: #ffffff;
    --greeter-text: #212121;
    --greeter-secondary-text: #616161;
    --greeter-border: #e0e0e0;
    --greeter-accent: #f57c00;
    /* Links and other text in the accent's hue, dark enough to read on the surface. */
    --greeter-link: #b24d00;
    --greeter-focus: #1a73e8;
    --greeter-invalid: #c62828;
    --greeter-code-background: #f1f3f4;
    --greeter-row-hover: #fff3e0;
    color-scheme: light;
  }
  :host([dark]) {
    --greeter-background: #303030;
    --greeter-surface: #424242;
    --greeter-text: #ffffff;
    --greeter-secondary-text: rgba(255, 255, 255, 0.7);
    --greeter-border: rgba(255, 255, 255, 0.12);
    --greeter-accent: #ef6c00;
    --greeter-link: #ffb74d;
    --greeter-focus: #8ab4f8;
    --greeter-invalid: #ff9e9e;
    --greeter-code-background: #303030;
    --greeter-row-hover: rgba(255, 255, 255, 0.06);
    color-scheme: dark;
  }
`;

/** Buttons, text inputs and checkboxes in TensorBoard's flat style. */
export const controlStyles = css`
  /* Where the keyboard is, in every control and focusable region, in both themes. */
  :focus-visible {
    outline: 2px solid var(--greeter-focus);
    outline-offset: 1px;
  }
  a {
    color: var(--greeter-link);
  }
  button {
    font: inherit;
    font-size: 13px;
    color: var(--greeter-link);
    background: none;
    border: 1px solid var(--greeter-border);
    border-radius: 4px;
    padding: 4px 10px;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: var(--greeter-row-hover);
  }
  button:disabled {
    color: var(--greeter-secondary-text);
    cursor: default;
    opacity: 0.6;
  }
  input[type='text'] {
    box-sizing: border-box;
    width: 100%;
    font: inherit;
    font-size: 13px;
    color: var(--greeter-text);
    background: var(--greeter-surface);
    border: 1px solid var(--greeter-border);
    border-radius: 4px;
    padding: 6px 8px;
  }
  input[type='text']:focus {
    border-color: var(--greeter-accent);
  }
  input[type='checkbox'] {
    accent-color: var(--greeter-accent);
  }
`;

/** Tables of greetings (a card's, the search's): header row that stays in view, rows with rules. */
export const tableStyles = css`
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 13px;
  }
  th {
    text-align: left;
    font-weight: 500;
    font-size: 12px;
    color: var(--greeter-secondary-text);
    border-bottom: 1px solid var(--greeter-border);
    padding: 4px 6px;
    position: sticky;
    top: 0;
    background: var(--greeter-surface);
  }
  td {
    padding: 4px 6px;
    border-bottom: 1px solid var(--greeter-border);
    vertical-align: top;
  }
`;
