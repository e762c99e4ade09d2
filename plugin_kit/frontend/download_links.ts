/**
 * A run's "CSV" and "JSON" download links in a card, as TensorBoard's scalars dashboard offers its
 * data. The server names the file (`Content-Disposition`) and keeps formulas out of the CSV.
 */

import {css, html} from 'lit';
import {DownloadFormat, downloadUrl} from './api';
import {kitOptions} from './options';

const FORMATS: Array<[DownloadFormat, string]> = [
  ['csv', 'CSV'],
  ['json', 'JSON'],
];

/** The links' styles, for the shadow root of the element that renders them. */
export const downloadLinkStyles = css`
  .downloads {
    float: right;
    display: inline-flex;
    gap: 8px;
    margin-left: 8px;
    font-weight: 400;
    font-size: 12px;
  }
`;

/** Links that download `run`'s rows of `tag`, one per format. */
export function downloadLinks(run: string, tag: string) {
  const rows = kitOptions().rowNoun.many;
  return html`<span class="downloads">
    ${FORMATS.map(
      ([format, label]) =>
        html`<a
          href=${downloadUrl(run, tag, format)}
          download
          data-testid="download-${format}"
          aria-label="Download ${run}'s ${rows} of ${tag} as ${label}"
          >${label}</a
        >`,
    )}
  </span>`;
}
