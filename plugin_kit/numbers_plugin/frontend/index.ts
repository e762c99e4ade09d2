/**
 * The numbers plugin's frontend: TensorBoard's plugin entry page imports this module inside the
 * plugin's iframe and calls `render()`. The kit draws the dashboard; a row's own column is its value.
 */

import {renderDashboard} from '../../../plugin_kit/frontend/render_dashboard';

/** What the dashboard shows a user whose logdir holds no value of this plugin yet. */
const SAMPLE = `from tensorboard.summary.writer.event_file_writer import EventFileWriter
from plugin_kit.numbers_plugin import summary

writer = EventFileWriter("/tmp/numbers_demo/run")
summary.add_number(writer, "loss", 0.25, global_step=0)
writer.close()`;

/** Six significant digits; NaN and infinities arrive as the strings "NaN" and "Infinity". */
const format = new Intl.NumberFormat('en', {maximumSignificantDigits: 6});

/** Renders the dashboard into the iframe's page. */
export function render(): Promise<void> {
  return renderDashboard({
    rowNoun: {one: 'value', many: 'values'},
    columns: [{key: 'value', label: 'Value', render: (row) => format.format(Number(row.value))}],
    sample: SAMPLE,
  });
}
