/** A row's own cells, as a plugin's columns show them (a card's table, the search results). */

import {html} from 'lit';
import {Column, Row} from './options';

/** The cells of `row`'s own columns; each cell's classes are `cell` and its column's key. */
export function renderCells(columns: Column[], row: Row) {
  return columns.map(
    (column) =>
      html`<td class="cell ${column.key}">${column.render ? column.render(row) : String(row[column.key] ?? '')}</td>`,
  );
}

/** A row's class beside `row`: the plugin's noun for it (`tr.greeting`), made a CSS identifier. */
export function rowClass(noun: string): string {
  return noun.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
}
