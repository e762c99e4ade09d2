/**
 * The kit's entry: a plugin's frontend (its `index.ts`) calls `renderDashboard` with what is its own,
 * from the `render()` that TensorBoard's plugin entry page calls inside the plugin's iframe.
 */

import {css} from 'lit';
import {PluginInfo, fetchInfo, prefetchListing} from './api';
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
 * search if the backend serves it, downloads, deep links under `p.<plugin_name>.` keys. It first reads
 * from the backend what it must agree on with it (`fetchInfo`), asking for the runs and tags meanwhile;
 * if it cannot, the page says why.
 *
 * Its elements are named `<plugin_name>-dashboard`, `<plugin_name>-card` and so on.
 * Call it once per page.
 */
export async function renderDashboard(options: DashboardOptions): Promise<void> {
  // The frame's page (TensorBoard's plugin_entry.html) has neither; screen readers announce both.
  document.documentElement.lang = 'en';
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageStyles.styleSheet!];
  // The listing does not depend on `info`: asked for at once, the first cards come a round trip sooner.
  prefetchListing();
  let info: PluginInfo;
  try {
    info = await fetchInfo();
  } catch (error) {
    const alert = document.createElement('p');
    alert.setAttribute('role', 'alert');
    alert.textContent = `The dashboard cannot start: ${error instanceof Error ? error.message : String(error)}`;
    document.body.appendChild(alert);
    return;
  }
  const {title} = setKitOptions(options, info);
  for (const [role, element] of ELEMENTS) {
    if (!customElements.get(elementName(role))) customElements.define(elementName(role), element);
  }
  document.title = title;
  document.body.appendChild(document.createElement(elementName('dashboard')));
}
