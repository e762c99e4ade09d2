/** `<greeter-run-selector>`: the sidebar's run list, with a filter, all/none and a colour per run. */

import {LitElement, css, html} from 'lit';
import {styleMap} from 'lit/directives/style-map.js';
import {Filter, runColor} from './filters';
import './regex_input';
import {FilterChangeEvent} from './regex_input';
import {controlStyles} from './styles';

/** Dispatched with the runs the user has turned off, after every change. */
export class DeselectionChangeEvent extends Event {
  constructor(readonly deselected: ReadonlySet<string>) {
    super('deselection-change');
  }
}

export class GreeterRunSelector extends LitElement {
  static override properties = {
    runs: {attribute: false},
    deselected: {attribute: false},
    filterText: {attribute: false},
    filter: {attribute: false},
  };

  static override styles = [
    controlStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 0;
      }
      .actions {
        display: flex;
        gap: 8px;
        margin: 8px 0;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        overflow-y: auto;
      }
      li label {
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
      .none {
        color: var(--greeter-secondary-text);
        font-size: 13px;
      }
    `,
  ];

  /** Every run that holds greetings, sorted. */
  runs: string[] = [];
  /** Runs the user turned off; new runs are on. */
  deselected: ReadonlySet<string> = new Set();
  filterText = '';
  /** `filterText` compiled; only matching runs are listed, and all/none act on them. */
  filter: Filter | null = null;

  private listedRuns(): string[] {
    return this.filter ? this.runs.filter((run) => this.filter!.matches(run)) : this.runs;
  }

  private setRuns(runs: string[], selected: boolean) {
    const deselected = new Set(this.deselected);
    for (const run of runs) {
      if (selected) deselected.delete(run);
      else deselected.add(run);
    }
    this.dispatchEvent(new DeselectionChangeEvent(deselected));
  }

  override render() {
    const listed = this.listedRuns();
    return html`
      <greeter-regex-input
        label="Filter runs"
        .value=${this.filterText}
        .error=${this.filter?.error ?? null}
        .testId=${'run-filter'}
        @filter-change=${(e: FilterChangeEvent) => this.dispatchEvent(new FilterChangeEvent(e.text))}
      ></greeter-regex-input>
      <div class="actions">
        <button data-testid="select-all-runs" @click=${() => this.setRuns(listed, true)}>All</button>
        <button data-testid="select-no-runs" @click=${() => this.setRuns(listed, false)}>None</button>
      </div>
      ${listed.length === 0
        ? html`<div class="none">${this.runs.length === 0 ? 'No runs yet.' : 'No runs match.'}</div>`
        : null}
      <ul data-testid="run-list">
        ${listed.map(
          (run) => html`
            <li>
              <label title=${run}>
                <input
                  type="checkbox"
                  data-run=${run}
                  .checked=${!this.deselected.has(run)}
                  @change=${(e: Event) => this.setRuns([run], (e.target as HTMLInputElement).checked)}
                />
                <span class="swatch" style=${styleMap({'--run-color': runColor(run)})}></span>
                <span class="run-name">${run}</span>
              </label>
            </li>
          `,
        )}
      </ul>
    `;
  }
}

customElements.define('greeter-run-selector', GreeterRunSelector);

declare global {
  interface HTMLElementTagNameMap {
    'greeter-run-selector': GreeterRunSelector;
  }
}
