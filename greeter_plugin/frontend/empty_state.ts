/** `<greeter-empty-state>`: what a new user sees before any greeting is written. */

import {LitElement, css, html} from 'lit';

const SAMPLE = `import tensorflow as tf
from greeter_plugin import summary

logdir = "/tmp/greetings"
with tf.summary.create_file_writer(logdir).as_default():
    summary.greeting("guests", "Ada", step=0)`;

export class GreeterEmptyState extends LitElement {
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
  `;

  override render() {
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
