/**
 * What a plugin tells the kit about itself (`renderDashboard`'s options), and what the kit's
 * components read of it: one plugin's bundle holds one dashboard, so the options are set once, at
 * start-up, before any element is created.
 */

import {StaticValue, unsafeStatic} from 'lit/static-html.js';
import type {PluginInfo} from './api';

/** One stored value of a series, as the `card` route answers it: the kit's columns and the plugin's own. */
export interface Row {
  step: number;
  wall_time: number;
  [column: string]: unknown;
}

/** One of a plugin's own columns of a row, as a card's table and the search results show it. */
export interface Column {
  /** The row's key that the column shows (the numbers plugin: "value"); also the class of its cells. */
  key: string;
  /** The column's header. */
  label: string;
  /** What a cell shows (text or a Lit template); by default the value as text. */
  render?: (row: Row) => unknown;
}

/** How one row, and more than one, are called in the dashboard's sentences ("greeting", "greetings"). */
export interface RowNoun {
  one: string;
  many: string;
}

/**
 * What a plugin says of its own dashboard; the kit draws the rest. What the backend says already
 * (its name, tab name, key of rows, whether it searches) the dashboard reads from it (`PluginInfo`).
 */
export interface DashboardOptions {
  /** The plugin's own columns, after the kit's step and times. */
  columns: Column[];
  /** How a row is called; by default "row" and "rows". */
  rowNoun?: RowNoun;
  /** Python that writes the plugin's data, shown when a logdir holds none. */
  sample?: string;
}

/** The options with every default filled in, and what the backend's `info` route said. */
export interface KitOptions extends Required<DashboardOptions> {
  /** The backend's `plugin_name`: URL keys and element names follow it. */
  pluginName: string;
  /** The backend's `tab_name`: the frame's document title. */
  title: string;
  /** Whether the backend answers the `search` route: the dashboard shows its search box. */
  searchable: boolean;
  /** The `card` route's key of each run's rows (the backend's `rows_key`). */
  rowsKey: string;
}

let current: KitOptions | null = null;

/** Sets the options that every component reads, from the plugin's and its backend's; called once, by `renderDashboard`. */
export function setKitOptions(options: DashboardOptions, info: PluginInfo): KitOptions {
  current = {
    rowNoun: {one: 'row', many: 'rows'},
    sample: '',
    ...options,
    pluginName: info.plugin_name,
    title: info.tab_name,
    searchable: info.searchable,
    rowsKey: info.rows_key,
  };
  return current;
}

/** The options `renderDashboard` was given. */
export function kitOptions(): KitOptions {
  if (!current) throw new Error('renderDashboard() has not been called');
  return current;
}

/** The kit's elements, each named `<plugin>-<role>` in the page (`numbers-card`). */
export type ElementRole =
  | 'dashboard'
  | 'card'
  | 'other-metadata'
  | 'search-results'
  | 'empty-state'
  | 'run-selector'
  | 'regex-input'
  | 'pager';

/** The element name of `role` for the plugin: `<plugin>-<role>`. */
export function elementName(role: ElementRole): string {
  return `${kitOptions().pluginName.toLowerCase()}-${role}`;
}

const staticTags = new Map<ElementRole, StaticValue>();

/** `role`'s element name, for the tag position of a template of `lit/static-html.js`. */
export function tagOf(role: ElementRole): StaticValue {
  let tag = staticTags.get(role);
  if (!tag) {
    tag = unsafeStatic(elementName(role));
    staticTags.set(role, tag);
  }
  return tag;
}

/** `text` with its first letter in upper case: a noun that starts a sentence. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
