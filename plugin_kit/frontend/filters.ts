/** Pure helpers of the dashboard's filters, colours and pagination. */

import {RE2JS} from 're2js';

/** A user's filter text compiled to a regular expression, or why it could not be. */
export interface Filter {
  matches(name: string): boolean;
  /** Why the text is not a valid regular expression (the engine's message), else null. */
  error: string | null;
  /** Whether every name matches (an empty or invalid text): a list filtered by it is the list itself. */
  matchesEverything: boolean;
  /** Lowercase ASCII texts that every name it matches holds (`requiredTexts`). */
  required: readonly string[];
  /** Whether an ASCII name that holds `required` matches: a plain text's filter. */
  requiredIsEnough: boolean;
}

/** Characters that make a filter more than plain text to search for. */
const REGEX_SYNTAX = /[\\^$.|?*+()[\]{}]/;

/**
 * Compiles a filter the way TensorBoard's run and tag filters work: a case-insensitive regular
 * expression searched anywhere in the name. An invalid expression matches everything, so a
 * half-typed filter does not blank the page, and reports its error for the input to show.
 *
 * RE2's engine (re2js) matches in time linear in the name, where JavaScript's backtracking RegExp
 * takes seconds on `^([a-z0-9/]+)+$` and a long name: a filter, typed or from a link, cannot freeze
 * the page. RE2 has no backreferences or lookaround; such a filter is reported invalid.
 */
export function compileFilter(text: string): Filter {
  if (text === '') return matchingEverything(null);
  // Most filters typed are plain text ("seed1"): a substring search, several times faster than RE2's.
  if (!REGEX_SYNTAX.test(text)) {
    const lowered = text.toLowerCase();
    const ascii = ASCII.test(lowered);
    return {
      matches: (name) => name.toLowerCase().includes(lowered),
      error: null,
      matchesEverything: false,
      required: ascii ? [lowered] : [],
      requiredIsEnough: ascii,
    };
  }
  try {
    const regex = RE2JS.compile(RE2JS.translateRegExp(text), RE2JS.CASE_INSENSITIVE);
    return {
      matches: (name) => regex.test(name),
      error: null,
      matchesEverything: false,
      required: requiredTexts(text),
      requiredIsEnough: false,
    };
  } catch (e) {
    return matchingEverything((e as Error).message);
  }
}

/** The filter of an empty text (`error` null) or of an invalid one. */
function matchingEverything(error: string | null): Filter {
  return {matches: () => true, error, matchesEverything: true, required: [], requiredIsEnough: false};
}

// Text whose case lowercasing folds as RE2's case-insensitive match does ("ſ" matches "s" in RE2).
const ASCII = /^[\x00-\x7f]*$/;

// Characters that stand for themselves in a regular expression, in ASCII, where lowercasing a name
// folds case as RE2's case-insensitive match does.
const PLAIN_CHARACTER = /[a-z0-9_\-\/ :,;=@#%&'"!~<>]/i;
// What a pattern is not read for its texts with: escapes longer than one character (\x41, \u0041,
// \p{L}, \cJ), backreferences, and a class that opens with "]", which engines read differently.
const UNREAD_SYNTAX = /\\[xupPck0-9]|\[\^?\]/;

/**
 * Texts, lowercased, that every name a regular expression matches holds: the runs of plain characters
 * outside groups and classes that no quantifier makes optional. Conservative: a pattern it cannot
 * read this way (an alternation, a long escape) yields none, which only skips the shortcut.
 *
 * Written here because re2js keeps its parse tree to itself. It is what makes a keystroke cheap on a
 * sweep: the names without the texts are set aside by a substring search, and RE2 runs only on the
 * others.
 */
function requiredTexts(pattern: string): string[] {
  if (pattern.includes('|') || UNREAD_SYNTAX.test(pattern)) return [];
  const texts: string[] = [];
  let current = '';
  const endText = () => {
    if (current) texts.push(current);
    current = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const character = pattern[i];
    if (PLAIN_CHARACTER.test(character)) {
      const next = pattern[i + 1];
      if (next === '?' || next === '*' || next === '{') {
        endText(); // The character may be absent.
      } else {
        current += character.toLowerCase();
        if (next === '+') endText(); // Repeated: what follows is not next to it.
      }
      continue;
    }
    endText();
    if (character === '\\') i++;
    else if (character === '[') i = closingIndex(pattern, i, ']');
    else if (character === '{') i = closingIndex(pattern, i, '}');
    else if (character === '(') i = closingGroupIndex(pattern, i);
  }
  endText();
  return texts;
}

/** The index of the first unescaped `closing` after `start` (the pattern's end if none). */
function closingIndex(pattern: string, start: number, closing: string): number {
  for (let i = start + 1; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === closing) return i;
  }
  return pattern.length;
}

/** The index of the `)` that closes the group opened at `start`, past escapes and classes. */
function closingGroupIndex(pattern: string, start: number): number {
  let depth = 0;
  for (let i = start; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === '[') i = closingIndex(pattern, i, ']');
    else if (pattern[i] === '(') depth++;
    else if (pattern[i] === ')' && --depth === 0) return i;
  }
  return pattern.length;
}

// Each run list's names lowercased, made once per list (a new list comes only when runs come or go);
// null for a name outside ASCII, whose case RE2 may fold otherwise.
const loweredNames = new WeakMap<readonly string[], readonly (string | null)[]>();

function lowered(names: readonly string[]): readonly (string | null)[] {
  let lowercase = loweredNames.get(names);
  if (!lowercase) {
    lowercase = names.map((name) => (ASCII.test(name) ? name.toLowerCase() : null));
    loweredNames.set(names, lowercase);
  }
  return lowercase;
}

/**
 * The names that `filter` matches: `names` itself when it matches every name, and `previous` when it
 * matches the same names, so that what is drawn from the list is not drawn again ("l" on a sweep of
 * "lr..." runs, "lr4" then "lr4.").
 */
export function filterNames(names: string[], filter: Filter, previous: readonly string[] = []): string[] {
  if (filter.matchesEverything) return names;
  const lowercase = lowered(names);
  const {required, requiredIsEnough} = filter;
  const kept: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const folded = lowercase[i];
    if (folded !== null) {
      if (!required.every((text) => folded.includes(text))) continue;
      if (requiredIsEnough) {
        kept.push(names[i]);
        continue;
      }
    }
    if (filter.matches(names[i])) kept.push(names[i]);
  }
  if (kept.length === names.length) return names;
  const same = kept.length === previous.length && kept.every((name, i) => name === previous[i]);
  return same ? (previous as string[]) : kept;
}

/** TensorBoard's "googleStandard" run palette. */
const RUN_PALETTE = [
  '#db4437', '#ff7043', '#f4b400', '#0f9d58', '#00796b', '#00acc1', '#4285f4', '#5c6bc0', '#ab47bc',
];

/**
 * A run's colour, from a hash of its name: it stays the same across reloads, filters and new runs,
 * which colouring by position in the run list would not.
 */
export function runColor(run: string): string {
  let hash = 0;
  for (let i = 0; i < run.length; i++) {
    hash = (Math.imul(hash, 31) + run.charCodeAt(i)) | 0;
  }
  return RUN_PALETTE[Math.abs(hash) % RUN_PALETTE.length];
}

// One collator for every sort: `localeCompare` with options makes a new one on each call, which took
// sorting 10,000 runs to about 0.45 s.
const NAME_ORDER = new Intl.Collator(undefined, {numeric: true});

/** Sorts names as people read them: "run2" before "run10". */
export function sortNames(names: Iterable<string>): string[] {
  return [...names].sort(NAME_ORDER.compare);
}

/** The number of pages `itemCount` items fill, at least one. */
export function pageCount(itemCount: number, pageSize: number): number {
  return Math.max(1, Math.ceil(itemCount / pageSize));
}

/** `page` moved into [0, pageCount), e.g. after a filter shortened the list. */
export function clampPage(page: number, pages: number): number {
  return Math.min(Math.max(page, 0), pages - 1);
}

/** A count as people read it: "1,000". */
export const formatCount = (count: number) => count.toLocaleString('en-US');

/** A duration in seconds as TensorBoard's "relative" column shows it: "42s", "3m 05s", "1h 02m". */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(secs)}s`;
  return `${secs}s`;
}
