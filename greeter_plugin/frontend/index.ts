/**
 * The Greeter plugin's frontend: TensorBoard's plugin entry page imports this module inside the
 * plugin's iframe and calls `render()`. The kit draws the dashboard; a greeting is one column of text.
 */

import {renderDashboard} from '../../plugin_kit/frontend/render_dashboard';

/** What the empty state shows a user who has written no greeting yet. */
const SAMPLE = `import tensorflow as tf
from greeter_plugin import summary

logdir = "/tmp/greetings"
with tf.summary.create_file_writer(logdir).as_default():
    summary.greeting("guests", "Ada", step=0)`;

/** Renders the Greeter dashboard into the iframe's page. */
export function render(): Promise<void> {
  return renderDashboard({
    rowNoun: {one: 'greeting', many: 'greetings'},
    columns: [{key: 'text', label: 'Greeting'}],
    sample: SAMPLE,
  });
}
