/**
 * Which runs the user has turned on, kept as the shorter of two lists.
 *
 * "Every run but these" keeps runs that appear later on; "only these" keeps them off. After each
 * change the selection takes whichever form names fewer runs, so that "None" on 10,000 runs is an
 * empty list, not 10,000 names: the URL that carries it stays short (url_state.ts).
 */

/** The runs turned on: those listed (`only`) or all but those listed (`except`). */
export interface RunSelection {
  /** 'except': every run but `runs` is on; 'only': `runs` are on, and no other. */
  readonly kind: 'except' | 'only';
  readonly runs: ReadonlySet<string>;
}

/** Every run on: the selection with no choices made. */
export const EVERY_RUN: RunSelection = {kind: 'except', runs: new Set()};

/** Whether `run` is on. */
export function isSelected(selection: RunSelection, run: string): boolean {
  return selection.runs.has(run) === (selection.kind === 'only');
}

/** How many of `allRuns` are on. */
export function countSelected(selection: RunSelection, allRuns: readonly string[]): number {
  const named = countNamed(selection.runs, allRuns);
  return selection.kind === 'only' ? named : allRuns.length - named;
}

function countNamed(named: ReadonlySet<string>, allRuns: readonly string[]): number {
  let count = 0;
  for (const run of allRuns) if (named.has(run)) count++;
  return count;
}

/**
 * `selection` with each of `runs` turned on or off, in whichever form names fewer of `allRuns` (every
 * run the dashboard lists). Names outside `allRuns` (runs gone since) are kept until the form changes.
 */
export function withRunsSet(
  selection: RunSelection,
  runs: readonly string[],
  selected: boolean,
  allRuns: readonly string[],
): RunSelection {
  const named = new Set(selection.runs);
  // An 'only' list names the runs that are on; an 'except' list those that are off.
  const name = selected === (selection.kind === 'only');
  for (const run of runs) {
    if (name) named.add(run);
    else named.delete(run);
  }
  if (countNamed(named, allRuns) * 2 <= allRuns.length) return {kind: selection.kind, runs: named};
  const otherKind = selection.kind === 'only' ? 'except' : 'only';
  return {kind: otherKind, runs: new Set(allRuns.filter((run) => !named.has(run)))};
}
