/**
 * The Greeter plugin's frontend: TensorBoard's plugin entry page imports this module inside the
 * plugin's iframe and calls `render()`.
 */

import {css} from 'lit';
import './dashboard';

/** The iframe page's own styles: the dashboard fills it edge to edge. */
const pageStyles = css`
  html,
  body {
    margin: 0;
    height: 100%;
  }
`;

/** Renders the dashboard into the iframe's page. */
export function render(): void {
  // The frame's page (TensorBoard's plugin_entry.html) has neither; screen readers announce both.
  document.title = 'Greeter';
  document.documentElement.lang = 'en';
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageStyles.styleSheet!];
  document.body.appendChild(document.createElement('greeter-dashboard'));
}
