import { isClosingOnly, lineAfter, lineBefore } from './completionShape';
import { FIM_STOP } from './fimPrompt';

export interface CompletionContext {
  /** The text of the document before the cursor, and after it. */
  readonly before: string;
  readonly after: string;
  /** A multi-line completion may continue past the cursor's line; a single-line one ends with it. */
  readonly multiline: boolean;
}

const CLOSERS = new Set([')', ']', '}']);
/** An opening fence, its content, and its closing fence at a line start (or the end of the answer). */
const FENCE = /^[ \t]*(`{3,}|~{3,})[^\n]*\n([\s\S]*?)(?:^[ \t]*\1[ \t]*$|(?![\s\S]))/m;

/**
 * What the model wrote, made safe to show as ghost text: only code (no stop tokens, fences or chatter), nothing that
 * repeats what already follows the cursor, ended with the block it is in, and never empty or blank. The user's own
 * text is never changed: a completion is only ever inserted at the cursor.
 */
export function cleanCompletion(raw: string, given: CompletionContext): string {
  // One line ending inside: VS Code writes the document's own when the item is inserted (a lone CR would be a line).
  const context = { ...given, before: lf(given.before), after: lf(given.after) };
  let text = lf(cutAtStop(raw));
  text = codeOnly(text);
  text = cutAtAutoClosed(text, context);
  text = context.multiline ? cutAtBlockEnd(text, context.before) : firstLine(text);
  text = withoutOverlap(text, context);
  text = withoutEchoedPrefix(text, context.before);
  if (!text.trim()) return '';
  // Trailing blanks are noise at a line end, but before a closer the editor put there they are the code's own spacing.
  return /^[^\n]/.test(context.after) ? text : text.replace(/\s+$/, '');
}

function lf(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function cutAtStop(text: string): string {
  let end = text.length;
  for (const stop of FIM_STOP) {
    const at = text.indexOf(stop);
    if (at >= 0) end = Math.min(end, at);
  }
  return text.slice(0, end);
}

/** A chat model may answer with a fenced block and words around it: the block's content is the code. */
function codeOnly(text: string): string {
  const fenced = FENCE.exec(text);
  return fenced ? fenced[2].replace(/\r?\n$/, '') : text;
}

/**
 * The editor put a closing bracket after the cursor (`call(|)`): an answer that closes that bracket itself and goes on
 * (`a, b): Result {`) would leave the editor's `)` stray after it, so the answer ends where its own closer is.
 */
function cutAtAutoClosed(text: string, context: CompletionContext): string {
  const rest = lineAfter(context.after);
  const closer = [...rest].find((c) => CLOSERS.has(c));
  if (!closer || !isClosingOnly(rest)) return text;
  let depth = 0;
  // The cursor may be inside a string (`data['cod|]`): its quote is then still open.
  let quote = openQuote(lineBefore(context.before));
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote || c === '\n') quote = undefined;
    } else if (QUOTES.has(c)) quote = c; // a bracket in a string (`')'`) is text, not code
    else if ('([{'.includes(c)) depth++;
    else if (CLOSERS.has(c) && depth-- === 0) return c === closer ? text.slice(0, i) : text;
  }
  return text;
}

const QUOTES = new Set(["'", '"', '`']);

/** The quote a line leaves open at its end, if any. */
function openQuote(line: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (QUOTES.has(c)) quote = c;
  }
  return quote;
}

function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

/**
 * Ends a multi-line completion with the block the cursor is in: at the first line indented less than the cursor's
 * line (the code after the block), after the line that closes a block the cursor's line opened, or before a closing
 * bracket that closes more than that (the outer block's closer is already in the file, or the user types it).
 */
function cutAtBlockEnd(text: string, before: string): string {
  const cursorLine = lineBefore(before);
  const base = indentOf(cursorLine);
  const opened = openAtEnd(cursorLine);
  const lines = text.split('\n');
  let depth = opened;
  let kept = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (i > 0 && line.trim() && indentOf(line) < base) break;
    const before = depth;
    depth += netOpened(line);
    const lowest = lowestDepth(line, before);
    if (lowest < 0 && i > 0) break;
    kept = i + 1;
    if (opened > 0 && lowest <= 0 && before > 0) break; // the block the cursor's line opened is closed
  }
  return lines.slice(0, kept).join('\n');
}

/** Brackets still open at the end of a line (`} else {` opens one: its `}` closes an earlier line's). */
function openAtEnd(line: string): number {
  let open = 0;
  for (const c of line) {
    if ('([{'.includes(c)) open++;
    else if (CLOSERS.has(c)) open = Math.max(0, open - 1);
  }
  return open;
}

/** Brackets a text opens minus those it closes. */
function netOpened(line: string): number {
  let net = 0;
  for (const c of line) {
    if ('([{'.includes(c)) net++;
    else if (CLOSERS.has(c)) net--;
  }
  return net;
}

/** The lowest bracket depth reached inside a line that starts at `depth`. */
function lowestDepth(line: string, depth: number): number {
  let lowest = depth;
  for (const c of line) {
    if ('([{'.includes(c)) depth++;
    else if (CLOSERS.has(c)) lowest = Math.min(lowest, --depth);
  }
  return lowest;
}

function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;
}

/**
 * Drops the end of the completion that the text after the cursor already has — the `)` the editor auto-closed, or
 * a line the model wrote again — but only when keeping it would be wrong: closing brackets go only when the line
 * would otherwise close more than it opens (a fill-in-the-middle answer "foo(x)" before ")" is right as it is), and
 * other text only when it runs to a line end (a few letters that happen to match are not the code that follows).
 */
function withoutOverlap(text: string, context: CompletionContext): string {
  const { after } = context;
  if (after.startsWith(text)) return ''; // all of it is already there
  for (let k = Math.min(text.length, after.length); k > 0; k--) {
    const piece = after.slice(0, k);
    if (!text.endsWith(piece)) continue;
    const toLineEnd = k === after.length || after[k] === '\n' || after[k] === '\r';
    // A closer that balances brackets is kept only when it is a bracket: `;` or a quote repeated to the line end is not.
    const repeats = isClosingOnly(piece) && /[)\]}]/.test(piece) ? closesTooMuch(text, context) : toLineEnd;
    if (repeats) return text.slice(0, text.length - k);
  }
  return withoutRepeatedLine(text, after);
}

/** The cursor's line with the completion in it closes more brackets than it opens. */
function closesTooMuch(text: string, context: CompletionContext): boolean {
  return netOpened(lineBefore(context.before) + text + lineAfter(context.after)) < 0;
}

/** A block completion whose last line is the next line of the file, written again. */
function withoutRepeatedLine(text: string, after: string): string {
  const nextLine = after.replace(/^[^\n]*\n/, '').split('\n').find((l) => l.trim());
  const lines = text.split('\n');
  // Indentation counts: an inner block's `    }` is not the outer `  }` that follows.
  if (nextLine && lines.length > 1 && lines[lines.length - 1].trimEnd() === nextLine.trimEnd()) return lines.slice(0, -1).join('\n');
  return text;
}

/** A chat model sometimes starts by repeating the line up to the cursor: what is already typed is not offered again. */
function withoutEchoedPrefix(text: string, before: string): string {
  const typed = lineBefore(before).trimStart();
  if (typed.length >= 4 && text.trimStart().startsWith(typed)) return text.trimStart().slice(typed.length);
  return text;
}
