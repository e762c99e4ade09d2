/**
 * "Show every step" a page at a time: which page of a run's steps a card shows, the request for it,
 * and the controls that move it (oldest, older, newer, latest, and a step box to reach any step).
 *
 * A run may keep 100,000 rows (`--samples_per_plugin=<plugin>=0`); putting them all in the page
 * took 31 s. A page costs the same whatever the run holds: the card route answers one window of
 * steps, and where it starts among the run's rows (`offset`).
 */

import {html} from 'lit';
import {RunWindow, StepWindow} from './api';
import {formatCount} from './filters';

/** Rows of a run's every-step page. */
export const STEPS_PER_PAGE = 100;

/** Where a page of steps is anchored: an end of the run, or a step it starts from or ends at. */
export type StepAnchor =
  | {kind: 'oldest'}
  | {kind: 'latest'}
  | {kind: 'from'; step: number}
  | {kind: 'to'; step: number};

/** The page of a run's first steps. */
export const OLDEST: StepAnchor = {kind: 'oldest'};
/** The page of a run's last steps. */
export const LATEST: StepAnchor = {kind: 'latest'};

/** The card route's window for the page at `anchor`. */
export function stepWindow(anchor: StepAnchor): StepWindow {
  switch (anchor.kind) {
    case 'oldest':
      return {earliest: STEPS_PER_PAGE};
    case 'latest':
      return {latest: STEPS_PER_PAGE};
    case 'from':
      return {earliest: STEPS_PER_PAGE, stepMin: anchor.step};
    case 'to':
      return {latest: STEPS_PER_PAGE, stepMax: anchor.step};
  }
}

/** The page before `page`, or null when it starts at the run's first row. */
export function olderPage(page: RunWindow): StepAnchor | null {
  if (page.offset === 0) return null;
  const first = page.rows[0];
  // A page past the run's last step is empty: the page before it is the latest.
  return first ? {kind: 'to', step: first.step - 1} : LATEST;
}

/** The page after `page`, or null when it ends at the run's last row. */
export function newerPage(page: RunWindow): StepAnchor | null {
  const last = page.rows[page.rows.length - 1];
  if (!last || page.offset + page.rows.length >= page.total) return null;
  return {kind: 'from', step: last.step + 1};
}

/** "Rows 101–200 of 100,000", or where an empty page is. */
export function pageRange(page: RunWindow): string {
  if (page.rows.length === 0) return `No steps here; ${formatCount(page.total)} in all`;
  const first = page.offset + 1;
  const last = page.offset + page.rows.length;
  return `Rows ${formatCount(first)}–${formatCount(last)} of ${formatCount(page.total)}`;
}

/**
 * The controls of a run's every-step page: `go(anchor)` moves it; `close()` returns the run to its
 * latest rows. `page` is undefined while the first page loads.
 */
export function stepControls(
  run: string,
  page: RunWindow | undefined,
  go: (anchor: StepAnchor) => void,
  close: () => void,
) {
  const older = page ? olderPage(page) : null;
  const newer = page ? newerPage(page) : null;
  const goToStep = (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('step') as HTMLInputElement;
    const step = Number.parseInt(input.value, 10);
    if (Number.isFinite(step)) go({kind: 'from', step});
  };
  return html`
    <div class="step-controls" data-testid="step-controls">
      <button data-testid="steps-oldest" ?disabled=${!older} @click=${() => go(OLDEST)}>Oldest</button>
      <button data-testid="steps-older" ?disabled=${!older} @click=${() => older && go(older)}>Older</button>
      <span data-testid="step-range">${page ? pageRange(page) : 'Loading…'}</span>
      <button data-testid="steps-newer" ?disabled=${!newer} @click=${() => newer && go(newer)}>Newer</button>
      <button data-testid="steps-latest" ?disabled=${!newer} @click=${() => go(LATEST)}>Latest</button>
      <form class="go-to-step" @submit=${goToStep}>
        <label>Go to step <input name="step" type="number" data-testid="step-input" aria-label="Go to step of ${run}" /></label>
        <button type="submit" data-testid="step-go">Go</button>
      </form>
      <button data-testid="show-latest-steps" @click=${close}>Latest rows only</button>
    </div>
  `;
}
