/**
 * Makes the model's code fit where it goes: the document's line endings, the original's base indentation when the
 * model dropped it, and a final newline exactly when the replaced text had one.
 */
export interface Surroundings {
  readonly original: string;
  readonly eol: '\n' | '\r\n';
}

export function adaptToSurroundings(code: string, where: Surroundings, complete: boolean): string {
  let text = code.replace(/\r\n/g, '\n');
  text = reindent(text, where.original.replace(/\r\n/g, '\n'));
  if (complete) {
    const wantsFinalNewline = /\n$/.test(where.original);
    text = text.replace(/\n+$/, '');
    if (wantsFinalNewline) text += '\n';
  }
  return where.eol === '\r\n' ? text.replace(/\n/g, '\r\n') : text;
}

function baseIndent(text: string): string | undefined {
  const line = text.split('\n').find((l) => l.trim().length > 0);
  return line?.match(/^[ \t]*/)?.[0];
}

/** If the original's first line was indented and the model's is not (or less), indent every line by the difference. */
function reindent(code: string, original: string): string {
  const want = baseIndent(original);
  const have = baseIndent(code);
  if (want === undefined || have === undefined || have.length >= want.length || !want.startsWith(have)) return code;
  const extra = want.slice(have.length);
  return code
    .split('\n')
    .map((line) => (line.trim().length ? extra + line : line))
    .join('\n');
}
