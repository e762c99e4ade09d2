/**
 * Links in shown HTML open in a new tab. The dashboard lives in TensorBoard's plugin iframe: a link
 * followed there would replace the dashboard (and lose its state) with a page that TensorBoard's
 * Content-Security-Policy (`frame-src`) mostly blocks.
 */

/**
 * `safeHtml` (already sanitised by the server) with every link set to open in a new tab, without
 * giving the new page a handle on this one (`noopener`) or this page's address (`noreferrer`).
 */
export function withLinksInNewTabs(safeHtml: string): string {
  // A template's content is inert: parsing it loads nothing and runs nothing.
  const template = document.createElement('template');
  template.innerHTML = safeHtml;
  for (const link of template.content.querySelectorAll('a')) {
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
  }
  return template.innerHTML;
}
