/** Styles shared by the dashboard's components; everything ships inside the bundle. */

import {css} from 'lit';

/**
 * TensorBoard's palette as custom properties, light by default and dark under `:host([dark])`.
 * Custom properties inherit through shadow roots, so only the dashboard applies this.
 */
export const themeStyles = css`
  :host {
    --kit-background: #f5f6f7;
    --kit-surface: #ffffff;
    --kit-text: #212121;
    --kit-secondary-text: #616161;
    --kit-border: #e0e0e0;
    --kit-accent: #f57c00;
    /* Links and other text in the accent's hue, dark enough to read on the surface. */
    --kit-link: #b24d00;
    --kit-focus: #1a73e8;
    --kit-invalid: #c62828;
    --kit-code-background: #f1f3f4;
    --kit-row-hover: #fff3e0;
    color-scheme: light;
  }
  :host([dark]) {
    --kit-background: #303030;
    --kit-surface: #424242;
    --kit-text: #ffffff;
    --kit-secondary-text: rgba(255, 255, 255, 0.7);
    --kit-border: rgba(255, 255, 255, 0.12);
    --kit-accent: #ef6c00;
    --kit-link: #ffb74d;
    --kit-focus: #8ab4f8;
    --kit-invalid: #ff9e9e;
    --kit-code-background: #303030;
    --kit-row-hover: rgba(255, 255, 255, 0.06);
    color-scheme: dark;
  }
`;

/** Buttons, text inputs and checkboxes in TensorBoard's flat style. */
export const controlStyles = css`
  /* Where the keyboard is, in every control and focusable region, in both themes. */
  :focus-visible {
    outline: 2px solid var(--kit-focus);
    outline-offset: 1px;
  }
  a {
    color: var(--kit-link);
  }
  button {
    font: inherit;
    font-size: 13px;
    color: var(--kit-link);
    background: none;
    border: 1px solid var(--kit-border);
    border-radius: 4px;
    padding: 4px 10px;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: var(--kit-row-hover);
  }
  button:disabled {
    color: var(--kit-secondary-text);
    cursor: default;
    opacity: 0.6;
  }
  input[type='text'] {
    box-sizing: border-box;
    width: 100%;
    font: inherit;
    font-size: 13px;
    color: var(--kit-text);
    background: var(--kit-surface);
    border: 1px solid var(--kit-border);
    border-radius: 4px;
    padding: 6px 8px;
  }
  input[type='text']:focus {
    border-color: var(--kit-accent);
  }
  input[type='checkbox'] {
    accent-color: var(--kit-accent);
  }
`;

/** Tables of rows (a card's, the search's): header row that stays in view, rows with rules. */
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
    color: var(--kit-secondary-text);
    border-bottom: 1px solid var(--kit-border);
    padding: 4px 6px;
    position: sticky;
    top: 0;
    background: var(--kit-surface);
  }
  td {
    padding: 4px 6px;
    border-bottom: 1px solid var(--kit-border);
    vertical-align: top;
  }
`;
