/**
 * Where a range of a document is after an edit, and whether an edit is exactly the one we applied.
 * Offsets are UTF-16 code units, as VS Code reports them. A change's `offset`/`length` are in the coordinates of the
 * document *before* the change (one event's changes never overlap and all refer to that same before-state).
 */
export interface TextChange {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

export interface RangeMove {
  readonly range: OffsetRange;
  /** True when a change overlapped the range: the range now also covers that change. */
  readonly touched: boolean;
}

/**
 * Moves a range through one event's changes. A change wholly before the range (an insertion at its start included)
 * shifts it; one wholly after it (an insertion at its end included) leaves it; any other change is inside: the range
 * grows to cover it.
 */
export function moveRange(range: OffsetRange, changes: readonly TextChange[]): RangeMove {
  let shiftBefore = 0;
  let growth = 0;
  let start = range.start;
  let end = range.end;
  let touched = false;
  for (const change of changes) {
    const changeEnd = change.offset + change.length;
    const delta = change.text.length - change.length;
    if (changeEnd <= range.start) {
      shiftBefore += delta;
    } else if (change.offset >= range.end) {
      continue;
    } else {
      touched = true;
      start = Math.min(start, change.offset);
      end = Math.max(end, changeEnd);
      growth += delta;
    }
  }
  return { range: { start: start + shiftBefore, end: end + shiftBefore + growth }, touched };
}

/** One edit we asked the editor to make: replace `length` characters at `offset` (whose text was `before`) by `text`. */
export interface OwnEdit {
  readonly offset: number;
  readonly length: number;
  readonly before: string;
  readonly text: string;
}

/**
 * True when an event's changes are exactly our edit: each lies inside the region we replaced and, applied to that
 * region's old text, they give our new text. (The editor may report our replacement as a smaller diff.)
 */
export function isOwnEdit(edit: OwnEdit, changes: readonly TextChange[]): boolean {
  if (!changes.length) return false;
  const regionEnd = edit.offset + edit.length;
  if (changes.some((c) => c.offset < edit.offset || c.offset + c.length > regionEnd)) return false;
  let text = edit.before;
  for (const change of [...changes].sort((a, b) => b.offset - a.offset)) {
    const at = change.offset - edit.offset;
    text = text.slice(0, at) + change.text + text.slice(at + change.length);
  }
  return text === edit.text;
}

/**
 * The smallest form of a change, given the text before it: VS Code reports some edits (switching line endings,
 * reverting a file, reloading it from disk) as one change over everything between the first and the last difference,
 * or over the whole document. Only what really changed may move or grow a range.
 */
export function shrinkChange(change: TextChange, before: string): TextChange {
  const old = before.slice(change.offset, change.offset + change.length);
  const max = Math.min(old.length, change.text.length);
  let head = 0;
  while (head < max && old.charCodeAt(head) === change.text.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < max - head && old.charCodeAt(old.length - 1 - tail) === change.text.charCodeAt(change.text.length - 1 - tail)) tail++;
  return { offset: change.offset + head, length: old.length - head - tail, text: change.text.slice(head, change.text.length - tail) };
}

/** The changes of one event in their smallest forms, without those that changed nothing. */
export function shrinkChanges(changes: readonly TextChange[], before: string): TextChange[] {
  return changes.map((c) => shrinkChange(c, before)).filter((c) => c.length > 0 || c.text.length > 0);
}
