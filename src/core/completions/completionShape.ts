/** What to ask for at the cursor: nothing, the rest of the line, or a block. */
export type CompletionShape = 'none' | 'line' | 'block';

/** The cursor's line up to the cursor. */
export function lineBefore(before: string): string {
  return before.slice(before.lastIndexOf('\n') + 1);
}

/** The cursor's line from the cursor on. */
export function lineAfter(after: string): string {
  return /^[^\r\n]*/.exec(after)![0];
}

/** Only what an editor auto-closes and what ends a statement: all that may follow the cursor on its line. */
export function isClosingOnly(text: string): boolean {
  return /^[\s)\]}'"`;,]*$/.test(text);
}
/** A line ending like this opens a block: the completion may take several lines. */
const OPENS_BLOCK = /(?:[{[]|=>|\bdo|\bthen|\belse)\s*$/;
/**
 * A colon opens a block only after a statement that takes one (Python, a `case` label): in TypeScript a colon at the
 * cursor is nearly always a type annotation, whose rest is a few words.
 */
const COLON_BLOCK = /^\s*(?:if|elif|else|for|while|def|class|try|except|finally|with|async|match|case|default)\b.*:$|^\s*default:$/;

/**
 * Decided by the syntax around the cursor, before any request: text after the cursor on its line (other than closing
 * brackets) means no request, since ghost text would have to go around it; an empty line or a line that opens a block
 * asks for a block; anything else for the rest of the line.
 */
export function completionShape(lineBefore: string, lineAfter: string): CompletionShape {
  if (!isClosingOnly(lineAfter)) return 'none';
  if (!lineBefore.trim() || OPENS_BLOCK.test(lineBefore) || COLON_BLOCK.test(lineBefore.trimEnd())) return 'block';
  return 'line';
}
