/**
 * `<{plugin}-run-selector>`: the sidebar's run list, with a filter, all/none and a colour per run.
 *
 * A sweep holds thousands of runs: the list is virtualised by `@lit-labs/virtualizer`, which keeps in
 * the document only the rows in view, so filtering 10,000 runs re-renders a screenful, not the list.
 */

import '@lit-labs/virtualizer';
import {LitElement, css} from 'lit';
import {styleMap} from 'lit/directives/style-map.js';
import {html} from 'lit/static-html.js';
import memoizeOne from 'memoize-one';
import {formatCount, runColor} from './filters';
import {tagOf} from './options';
import {FilterChangeEvent} from './regex_input';
import {EVERY_RUN, RunSelection, countSelected, isSelected, withRunsSet} from './run_selection';
import {controlStyles} from './styles';

/** Dispatched with the runs the user has turned on, after every change. */
export class SelectionChangeEvent extends Event {
  constructor(readonly selection: RunSelection) {
    super('selection-change');
  }
}

/**
 * The sidebar's run list: a filter, all or none, a checkbox and colour per run; dispatches
 * `SelectionChangeEvent`.
 */
export class KitRunSelector extends LitElement {
  static override properties = {
    runs: {attribute: false},
    listedRuns: {attribute: false},
    selection: {attribute: false},
    filterText: {attribute: false},
    filterError: {attribute: false},
    selectionNotInUrl: {attribute: false},
  };

  static override styles = [
    controlStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        flex: 1;
        min-height: 0;
      }
      .actions {
        display: flex;
        gap: 8px;
        margin: 8px 0;
      }
      lit-virtualizer {
        flex: 1;
        min-height: 120px;
      }
      .count {
        color: var(--kit-secondary-text);
        font-size: 12px;
        margin-bottom: 4px;
      }
      .run {
        width: 100%;
      }
      .run label {
        display: flex;
        align-items: center;
        gap: 6px;
        padding: 3px 0;
        font-size: 13px;
        cursor: pointer;
        overflow-wrap: anywhere;
      }
      .swatch {
        flex: none;
        width: 10px;
        height: 10px;
        border-radius: 50%;
        background: var(--run-color);
      }
      .note {
        color: var(--kit-secondary-text);
        font-size: 12px;
        margin-bottom: 4px;
      }
      .none {
        color: var(--kit-secondary-text);
        font-size: 13px;
      }
    `,
  ];

  /** Every run that holds the plugin's data, sorted. */
  runs: string[] = [];
  /** The runs that match `filterText`, sorted: the list shows them, and all/none act on them. */
  listedRuns: string[] = [];
  selection: RunSelection = EVERY_RUN;
  filterText = '';
  /** Why `filterText` is not a valid regular expression, or null. */
  filterError: string | null = null;
  /** Whether the selection names too many runs for the URL to keep: links open with every run on. */
  selectionNotInUrl = false;

  /** Counted once per change of the runs or the selection, not on every keystroke of the filter. */
  private readonly countSelected = memoizeOne(countSelected);

  private setRuns(runs: string[], selected: boolean) {
    this.dispatchEvent(new SelectionChangeEvent(withRunsSet(this.selection, runs, selected, this.runs)));
  }

  override render() {
    const listed = this.listedRuns;
    return html`
      <${tagOf('regex-input')}
        label="Filter runs"
        .value=${this.filterText}
        .error=${this.filterError}
        .testId=${'run-filter'}
        @filter-change=${(e: FilterChangeEvent) => this.dispatchEvent(new FilterChangeEvent(e.text))}
      ></${tagOf('regex-input')}>
      <div class="actions">
        <button data-testid="select-all-runs" @click=${() => this.setRuns(listed, true)}>All</button>
        <button data-testid="select-no-runs" @click=${() => this.setRuns(listed, false)}>None</button>
      </div>
      ${listed.length === 0
        ? html`<div class="none">${this.runs.length === 0 ? 'No runs yet.' : 'No runs match.'}</div>`
        : html`<div class="count" data-testid="run-count">${this.countText(listed.length)}</div>`}
      ${this.selectionNotInUrl
        ? html`<div class="note" role="status" data-testid="selection-not-in-url">
            Too many runs turned on and off for a link to keep: links open with every run on.
          </div>`
        : null}
      <lit-virtualizer
        scroller
        role="list"
        aria-label="Runs"
        data-testid="run-list"
        .items=${listed}
        .keyFunction=${(run: string) => run}
        .renderItem=${(run: string) => this.renderRun(run)}
      ></lit-virtualizer>
    `;
  }

  private countText(listedCount: number): string {
    const selected = this.countSelected(this.selection, this.runs);
    const total = formatCount(this.runs.length);
    const listed = listedCount === this.runs.length ? `${total} runs` : `${formatCount(listedCount)} of ${total} runs match`;
    return `${listed}, ${formatCount(selected)} selected`;
  }

  private renderRun(run: string) {
    return html`
      <div class="run" role="listitem">
        <label title=${run}>
          <input
            type="checkbox"
            data-run=${run}
            .checked=${isSelected(this.selection, run)}
            @change=${(e: Event) => this.setRuns([run], (e.target as HTMLInputElement).checked)}
          />
          <span class="swatch" style=${styleMap({'--run-color': runColor(run)})}></span>
          <span class="run-name">${run}</span>
        </label>
      </div>
    `;
  }
}
