/**
 * The kit's entry: a plugin's frontend (its `index.ts`) calls `renderDashboard` with what is its own,
 * from the `render()` that TensorBoard's plugin entry page calls inside the plugin's iframe.
 */

import {css} from 'lit';
import {KitCard} from './card';
import {KitDashboard} from './dashboard';
import {KitEmptyState} from './empty_state';
import {DashboardOptions, ElementRole, elementName, setKitOptions} from './options';
import {KitOtherMetadata} from './other_metadata';
import {KitPager} from './pager';
import {KitRegexInput} from './regex_input';
import {KitRunSelector} from './run_selector';
import {KitSearchResults} from './search_results';

export type {Column, DashboardOptions, Row, RowNoun} from './options';

/** The iframe page's own styles: the dashboard fills it edge to edge. */
const pageStyles = css`
  html,
  body {
    margin: 0;
    height: 100%;
  }
`;

const ELEMENTS: Array<[ElementRole, CustomElementConstructor]> = [
  ['dashboard', KitDashboard],
  ['card', KitCard],
  ['other-metadata', KitOtherMetadata],
  ['search-results', KitSearchResults],
  ['empty-state', KitEmptyState],
  ['run-selector', KitRunSelector],
  ['regex-input', KitRegexInput],
  ['pager', KitPager],
];

/**
 * Draws the plugin's whole dashboard into the iframe's page: runs, filters, cards of `options.columns`,
 * search when `options.searchable`, downloads, deep links under `p.<pluginName>.` keys.
 *
 * Its elements are named `<pluginName>-dashboard`, `<pluginName>-card` and so on.
 * Call it once per page.
 */
export function renderDashboard(options: DashboardOptions): void {
  setKitOptions(options);
  for (const [role, element] of ELEMENTS) {
    if (!customElements.get(elementName(role))) customElements.define(elementName(role), element);
  }
  // The frame's page (TensorBoard's plugin_entry.html) has neither; screen readers announce both.
  document.title = options.title;
  document.documentElement.lang = 'en';
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageStyles.styleSheet!];
  document.body.appendChild(document.createElement(elementName('dashboard')));
}
