import type { Surroundings } from './adaptText';
import type { Release } from './codeExtractor';

/**
 * `adaptToSurroundings` for a growing proposal, at a cost per event that does not grow with the proposal: the
 * reindent amount is decided once (from the first non-blank line), and only newly completed lines are converted.
 *
 * Contract, for code C given so far (by `append`, or `reset` then `append`):
 * - `text` equals `adaptToSurroundings(C', where, false)`, where C' is C up to and including its last `\n`: a last
 *   line without its newline is held back until the newline arrives (the extractor releases whole lines anyway, and
 *   a half-arrived `\r\n` could not be converted yet).
 * - `complete()` equals `adaptToSurroundings(C, where, true)`.
 */
export class IncrementalAdapter {
  private readonly want: string | undefined;
  private readonly wantsFinalNewline: boolean;
  /** Indentation added to every non-blank line; undefined until the first non-blank line decides it. */
  private extra: string | undefined;
  private out = '';
  /** The last line, until its newline arrives. */
  private tail = '';
  /** How many line breaks end `out` in a row: the final-newline rule removes them at completion. */
  private trailingBreaks = 0;

  constructor(private readonly where: Surroundings) {
    this.want = firstIndent(where.original.replace(/\r\n/g, '\n').split('\n'));
    this.wantsFinalNewline = /\n$/.test(where.original);
  }

  /** The adapted proposal so far (complete lines only). */
  get text(): string {
    return this.out;
  }

  /** Appends code; returns the adapted proposal so far. Cost: proportional to `added` (and its line's held part). */
  append(added: string): string {
    let newline = added.indexOf('\n');
    if (newline < 0) {
      this.tail += added;
      return this.out;
    }
    let start = 0;
    while (newline >= 0) {
      const line = start === 0 ? this.tail + added.slice(0, newline) : added.slice(start, newline);
      this.line(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = newline + 1;
      newline = added.indexOf('\n', start);
    }
    this.tail = added.slice(start);
    return this.out;
  }

  /** Starts over with `code` (the proposal was replaced): cost proportional to `code`, once. */
  reset(code: string): string {
    this.extra = undefined;
    this.out = '';
    this.tail = '';
    this.trailingBreaks = 0;
    return this.append(code);
  }

  /** Follows one extractor release: appends what it added, or starts over when it replaced the proposal. */
  follow(release: Pick<Release, 'code' | 'added' | 'replaced'>): string {
    return release.replaced ? this.reset(release.code) : this.append(release.added);
  }

  /**
   * The final text: the held last line included, trailing blank lines dropped, and a final newline exactly when the
   * original had one. Leaves the adapter as it was (a later append continues the proposal, not the final text).
   */
  complete(): string {
    let text = this.out;
    let breaks = this.trailingBreaks;
    if (this.tail) {
      text += this.indented(this.tail);
      breaks = 0;
    }
    text = text.slice(0, text.length - breaks * this.where.eol.length);
    return this.wantsFinalNewline ? text + this.where.eol : text;
  }

  /** One complete line, without its line ending (CRLF and LF alike become the document's). */
  private line(content: string): void {
    this.out += this.indented(content) + this.where.eol;
    this.trailingBreaks = content === '' ? this.trailingBreaks + 1 : 1;
  }

  private indented(content: string): string {
    if (!content.trim()) return content;
    this.extra ??= reindentBy(this.want, /^[ \t]*/.exec(content)?.[0] ?? '');
    return this.extra + content;
  }
}

function firstIndent(lines: readonly string[]): string | undefined {
  const line = lines.find((l) => l.trim().length > 0);
  return line?.match(/^[ \t]*/)?.[0];
}

/** The same decision as adaptText's reindent: add what the model dropped, only when it is a plain prefix. */
function reindentBy(want: string | undefined, have: string): string {
  if (want === undefined || have.length >= want.length || !want.startsWith(have)) return '';
  return want.slice(have.length);
}
