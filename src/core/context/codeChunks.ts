import { declarationAt, isCommentOrDecorator, type Declaration } from './declarations';

export interface CodeChunk {
  /** Workspace-relative, '/'-separated. */
  readonly path: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  /** 1-based, inclusive. */
  readonly endLine: number;
  /** Exactly those lines of the file, joined with '\n' (a line longer than MAX_CHUNK_CHARS comes cut in pieces). */
  readonly text: string;
  /** The function/class/method the chunk starts with (after its comments and decorators), when found. */
  readonly symbol?: string;
  /** Every function/class/method declared in the chunk, in order: a search on a name finds where it is defined. */
  readonly declared: readonly string[];
}

/**
 * Sized so a chunk stays inside a 512-token embedding context (mxbai-embed-large-v1): its WordPiece tokens run at
 * about three characters of code each, and indentation costs none.
 */
export const MAX_CHUNK_CHARS = 1_500;
/** A piece smaller than this takes its neighbours in (up to MAX_CHUNK_CHARS): a one-line function alone is too
 *  little context for an answer, and every chunk costs index space. */
const SMALL_CHUNK_CHARS = 600;
/** Lines a window repeats from the one before, so that code cut at a window's edge is whole in one of them. */
const OVERLAP_LINES = 2;

/** Lines [start, end) of the file, 0-based; `cut` is a character range when one long line is cut in pieces. */
interface Piece {
  readonly start: number;
  readonly end: number;
  readonly cut?: { readonly from: number; readonly to: number };
}

/**
 * Chunks of a file that follow its structure where it is cheap to see (functions, classes and methods found by
 * keywords and indentation, Markdown headings), else line windows with overlap. No chunk is over MAX_CHUNK_CHARS
 * (long lines are cut); an empty or whitespace-only file gives none.
 */
export function chunkCode(path: string, text: string): CodeChunk[] {
  if (text.trim() === '') return [];
  const file = new FileLines(path, text);
  return file.pieces(0, file.lines.length).flatMap((piece) => file.chunkOf(piece) ?? []);
}

class FileLines {
  readonly lines: readonly string[];
  private readonly declarations: readonly (Declaration | undefined)[];
  /** offsets[i]: characters before line i, each line counted with its '\n'. */
  private readonly offsets: readonly number[];

  constructor(
    private readonly path: string,
    text: string,
  ) {
    this.lines = text.split('\n');
    const markdown = /\.(?:md|markdown|mdx)$/i.test(path);
    this.declarations = this.lines.map((line) => declarationAt(line, markdown));
    const offsets = [0];
    for (const line of this.lines) offsets.push(offsets[offsets.length - 1] + line.length + 1);
    this.offsets = offsets;
  }

  /** Characters of lines [start, end) joined with '\n'. */
  size(start: number, end: number): number {
    return this.offsets[end] - this.offsets[start] - 1;
  }

  /** Whole units of structure where they fit, split further at the next level of declarations where they do not. */
  pieces(start: number, end: number): Piece[] {
    if (this.size(start, end) <= MAX_CHUNK_CHARS) return [{ start, end }];
    const boundaries = this.boundaries(start, end);
    if (boundaries.length === 0) return this.windows(start, end);
    const edges = [start, ...boundaries, end];
    const parts = edges.slice(1).flatMap((to, i) => this.pieces(edges[i], to));
    return this.mergeSmall(parts);
  }

  /** Where the least indented declarations inside (start, end) begin, their comments and decorators included. */
  private boundaries(start: number, end: number): number[] {
    let indent = Infinity;
    for (let i = start + 1; i < end; i++) indent = Math.min(indent, this.declarations[i]?.indent ?? Infinity);
    const found: number[] = [];
    for (let i = start + 1; i < end; i++) {
      if (this.declarations[i]?.indent !== indent) continue;
      let first = i;
      while (first - 1 > start && this.isNote(first - 1)) first--;
      if (first > (found[found.length - 1] ?? start)) found.push(first);
    }
    return found;
  }

  /** Neighbouring pieces joined while the one growing is small and the join fits. */
  private mergeSmall(parts: readonly Piece[]): Piece[] {
    const merged: Piece[] = [];
    for (const part of parts) {
      const last = merged[merged.length - 1];
      const joins =
        last !== undefined &&
        !last.cut &&
        !part.cut &&
        last.end === part.start &&
        this.size(last.start, last.end) < SMALL_CHUNK_CHARS &&
        this.size(last.start, part.end) <= MAX_CHUNK_CHARS;
      if (joins) merged[merged.length - 1] = { start: last.start, end: part.end };
      else merged.push(part);
    }
    return merged;
  }

  /** As many whole lines as fit, each window starting OVERLAP_LINES before the last one ended. */
  private windows(start: number, end: number): Piece[] {
    const windows: Piece[] = [];
    let first = start;
    while (first < end) {
      if (this.lines[first].length > MAX_CHUNK_CHARS) {
        windows.push(...this.cuts(first));
        first++;
        continue;
      }
      let after = first + 1;
      while (after < end && this.size(first, after + 1) <= MAX_CHUNK_CHARS) after++;
      windows.push({ start: first, end: after });
      if (after === end) break;
      first = this.lines[after].length > MAX_CHUNK_CHARS ? after : Math.max(first + 1, after - OVERLAP_LINES);
    }
    return windows;
  }

  private cuts(line: number): Piece[] {
    const pieces: Piece[] = [];
    for (let from = 0; from < this.lines[line].length; from += MAX_CHUNK_CHARS) {
      pieces.push({ start: line, end: line + 1, cut: { from, to: from + MAX_CHUNK_CHARS } });
    }
    return pieces;
  }

  /** The chunk of a piece without its blank lines at either end; none when nothing but blanks is left. */
  chunkOf(piece: Piece): CodeChunk | undefined {
    let { start, end } = piece;
    while (start < end && this.lines[start].trim() === '') start++;
    while (end > start && this.lines[end - 1].trim() === '') end--;
    if (start === end) return undefined;
    const text = piece.cut ? this.lines[start].slice(piece.cut.from, piece.cut.to) : this.lines.slice(start, end).join('\n');
    if (text.trim() === '') return undefined;
    const found = piece.cut ? undefined : this.symbolAt(start, end);
    // A fresh copy: a name matched out of a line can be a slice of the whole file's text, which it would keep alive
    // for as long as the index keeps the name.
    const symbol = found === undefined ? undefined : detached(found);
    const declared = this.declarations.slice(start, end).flatMap((d) => d?.name ?? []);
    return { path: this.path, startLine: start + 1, endLine: end, text, ...(symbol ? { symbol } : {}), declared };
  }

  /** A comment or decorator that belongs to the declaration below it (a Markdown heading is a declaration). */
  private isNote(line: number): boolean {
    return this.declarations[line] === undefined && isCommentOrDecorator(this.lines[line]);
  }

  /** The declaration on the first line of code, past comments and decorators. */
  private symbolAt(start: number, end: number): string | undefined {
    let line = start;
    while (line < end && (this.lines[line].trim() === '' || this.isNote(line))) line++;
    return line < end ? this.declarations[line]?.name : undefined;
  }
}

/** The same characters in a string of their own, not a view into a larger one. */
function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
