/**
 * `<greeter-empty-state>`: what a user sees when no greeting can be shown: how to write greetings, or,
 * when greetings were written but none can be read, which and why.
 */

import {LitElement, css, html} from 'lit';
import {UnreadableTags} from './api';

/** Unreadable tags listed by name; a logdir of thousands says how many more there are. */
export const UNREADABLE_LISTED = 20;

const SAMPLE = `import tensorflow as tf
from greeter_plugin import summary

logdir = "/tmp/greetings"
with tf.summary.create_file_writer(logdir).as_default():
    summary.greeting("guests", "Ada", step=0)`;

export class GreeterEmptyState extends LitElement {
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
      background: var(--greeter-code-background);
      border: 1px solid var(--greeter-border);
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

  /** Run to its greeter tags that cannot be read, with why; empty when there are none. */
  unreadable: UnreadableTags = {};

  private renderUnreadable(tags: Array<[string, string, string]>) {
    const hidden = tags.length - UNREADABLE_LISTED;
    return html`
      <h2>Greetings were found, but none can be read.</h2>
      <p>
        The log directory holds greeter tags that this greeter dashboard cannot read: upgrade it to show
        tags that a newer greeter plugin wrote; the others hold metadata that no greeter plugin wrote.
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
    return html`
      <h2>No greetings were found.</h2>
      <p>
        The greeter dashboard shows the greetings that a program writes with the greeter plugin's
        summary API. Write some to a log directory:
      </p>
      <pre data-testid="empty-state-sample"><code>${SAMPLE}</code></pre>
      <p>
        then start TensorBoard with <code>--logdir</code> pointing at that directory. New greetings
        appear when TensorBoard reloads.
      </p>
    `;
  }
}

customElements.define('greeter-empty-state', GreeterEmptyState);

declare global {
  interface HTMLElementTagNameMap {
    'greeter-empty-state': GreeterEmptyState;
  }
}
