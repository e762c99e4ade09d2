/**
 * `<{plugin}-empty-state>`: what a user sees when no row can be shown: how to write the plugin's data
 * (the plugin's `sample`), or, when data was written but none can be read, which and why.
 */

import {LitElement, css, html} from 'lit';
import {UnreadableTags} from './api';
import {capitalized, kitOptions} from './options';

/** Unreadable tags listed by name; a logdir of thousands says how many more there are. */
export const UNREADABLE_LISTED = 20;

/** What a logdir without the plugin's data shows: how to write some, or which tags cannot be read and why. */
export class KitEmptyState extends LitElement {
  static override properties = {
    unreadable: {attribute: false},
  };

  static override styles = css`
    :host {
      display: block;
      max-width: 640px;
      margin: 48px auto;
      padding: 0 24px;
      font-size: 14px;
      line-height: 1.5;
    }
    h2 {
      font-size: 18px;
      font-weight: 500;
    }
    pre {
      background: var(--kit-code-background);
      border: 1px solid var(--kit-border);
      border-radius: 4px;
      padding: 12px;
      overflow-x: auto;
      font-family: 'Roboto Mono', monospace;
      font-size: 13px;
    }
    code {
      font-family: 'Roboto Mono', monospace;
    }
    li {
      overflow-wrap: anywhere;
    }
  `;

  /** Run to its tags of the plugin that cannot be read, with why; empty when there are none. */
  unreadable: UnreadableTags = {};

  private renderUnreadable(tags: Array<[string, string, string]>) {
    const hidden = tags.length - UNREADABLE_LISTED;
    const {pluginName, rowNoun} = kitOptions();
    return html`
      <h2>${capitalized(rowNoun.many)} were found, but none can be read.</h2>
      <p>
        The log directory holds ${pluginName} tags that this ${pluginName} dashboard cannot read: upgrade it to
        show tags that a newer ${pluginName} plugin wrote; the others hold metadata that no ${pluginName} plugin
        wrote.
      </p>
      <ul data-testid="unreadable-tags">
        ${tags.slice(0, UNREADABLE_LISTED).map(
          ([run, tag, why]) => html`<li><code>${tag}</code> in run <code>${run}</code>: ${why}</li>`,
        )}
      </ul>
      ${hidden > 0 ? html`<p>and ${hidden} more.</p>` : null}
    `;
  }

  override render() {
    const unreadable = Object.entries(this.unreadable).flatMap(([run, tagToWhy]) =>
      Object.entries(tagToWhy).map(([tag, why]): [string, string, string] => [run, tag, why]),
    );
    if (unreadable.length > 0) return this.renderUnreadable(unreadable);
    const {pluginName, rowNoun, sample} = kitOptions();
    return html`
      <h2>No ${rowNoun.many} were found.</h2>
      <p>
        The ${pluginName} dashboard shows the ${rowNoun.many} that a program writes with the ${pluginName}
        plugin's summary API. Write some to a log directory${sample ? ':' : '.'}
      </p>
      ${sample ? html`<pre data-testid="empty-state-sample"><code>${sample}</code></pre>` : null}
      <p>
        Then start TensorBoard with <code>--logdir</code> pointing at that directory. New ${rowNoun.many}
        appear when TensorBoard reloads.
      </p>
    `;
  }
}
