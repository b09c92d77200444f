/**
 * What a pending edit removed and added, line by line, so the editor can show the removed lines beside the proposal
 * (VS Code gives extensions no view zones: removed text can only be attached to lines that exist in the document).
 */

/** One place where the proposal differs from the original. */
export interface LineHunk {
  /** The proposal's line (0-based) where the hunk starts; for a pure removal, the line the removed lines stood before. */
  readonly at: number;
  /** How many proposal lines, from `at`, are new. */
  readonly added: number;
  /** The original lines this hunk takes out (empty when lines were only added). */
  readonly removed: readonly string[];
}

/** Removed text to show on one line of the proposal. */
export interface RemovedNote {
  /** The proposal's line (0-based) that carries the note. */
  readonly line: number;
  /** The removed lines it stands for, in order. */
  readonly lines: readonly string[];
}

/** Above this many cells (changed original lines × changed proposal lines) the middle is one hunk: bounded cost per frame. */
const MAX_CELLS = 250_000;

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/**
 * The hunks that turn `original` into `proposal` (a longest-common-subsequence line diff after trimming the common
 * head and tail). While the proposal is still streaming, original lines past its last matching line are not yet
 * replaced, only not reached: they are not reported as removed.
 */
export function lineDiff(original: string, proposal: string, streaming = false): LineHunk[] {
  const a = splitLines(original);
  const b = splitLines(proposal);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  // Mid-stream the proposal's end is wherever the stream is: a tail that matches now means nothing yet.
  if (!streaming) while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const hunks = middleHunks(a.slice(head, a.length - tail), b.slice(head, b.length - tail), head);
  const last = hunks.at(-1);
  if (streaming && last && last.at + last.added === b.length && last.removed.length) {
    hunks[hunks.length - 1] = { ...last, removed: [] };
  }
  return hunks.filter((h) => h.added || h.removed.length);
}

function middleHunks(a: readonly string[], b: readonly string[], offset: number): LineHunk[] {
  if (!a.length && !b.length) return [];
  if (!a.length || !b.length || a.length * b.length > MAX_CELLS) return [{ at: offset, added: b.length, removed: a }];
  const lcs = lcsTable(a, b);
  const hunks: LineHunk[] = [];
  let open: { at: number; added: number; removed: string[] } | undefined;
  const close = (): void => {
    if (open) hunks.push(open);
    open = undefined;
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      close();
      i++;
      j++;
      continue;
    }
    open ??= { at: offset + j, added: 0, removed: [] };
    // Remove first when that keeps as long a common subsequence: removed lines then come before added ones.
    if (i < a.length && (j >= b.length || lcs(i + 1, j) >= lcs(i, j + 1))) open.removed.push(a[i++]);
    else {
      open.added++;
      j++;
    }
  }
  close();
  return hunks;
}

/** lcs(i, j): length of the longest common subsequence of a[i..] and b[j..]. */
function lcsTable(a: readonly string[], b: readonly string[]): (i: number, j: number) => number {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] = a[i] === b[j] ? table[(i + 1) * width + j + 1] + 1 : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
    }
  }
  return (i, j) => table[i * width + j];
}

/**
 * Where each hunk's removed lines are shown: the k-th removed line beside the k-th added line (what it became), the
 * rest beside the hunk's last added line; a pure removal on the line above it (the line below when it is the first).
 * `lastLine` is the proposal's last line that exists in the document.
 */
export function removedNotes(hunks: readonly LineHunk[], lastLine: number): RemovedNote[] {
  const notes: RemovedNote[] = [];
  for (const hunk of hunks) {
    if (!hunk.removed.length) continue;
    if (!hunk.added) {
      notes.push({ line: Math.min(hunk.at > 0 ? hunk.at - 1 : 0, lastLine), lines: hunk.removed });
      continue;
    }
    const paired = Math.min(hunk.added, hunk.removed.length);
    for (let k = 0; k < paired - 1; k++) notes.push({ line: hunk.at + k, lines: [hunk.removed[k]] });
    notes.push({ line: hunk.at + paired - 1, lines: hunk.removed.slice(paired - 1) });
  }
  return mergeByLine(notes.map((n) => (n.line > lastLine ? { ...n, line: lastLine } : n)));
}

/** A pure removal above a changed line may land on the same line as that line's own note: one note per line. */
function mergeByLine(notes: readonly RemovedNote[]): RemovedNote[] {
  const merged: RemovedNote[] = [];
  for (const note of notes) {
    const previous = merged.at(-1);
    if (previous?.line === note.line) merged[merged.length - 1] = { line: note.line, lines: [...previous.lines, ...note.lines] };
    else merged.push(note);
  }
  return merged;
}

/** The proposal's lines that are new (0-based), for the inserted-line highlight. */
export function addedLines(hunks: readonly LineHunk[]): number[] {
  return hunks.flatMap((h) => Array.from({ length: h.added }, (_, k) => h.at + k));
}
