/**
 * What attachments (chips) carry into a request: their content read at send time, fitted into the share of the
 * context window the plan gives them, cut at whole lines with a note when they do not fit, and cited under the answer.
 */
import type { Reference } from '../domain';
import { fence } from '../prompts';
import { CHARS_PER_TOKEN, estimateTokens } from '../tokens';

/** The content of one attachment as it goes into the prompt. */
export interface ContextPiece {
  /** How the prompt and the notes name it: a workspace-relative path, or "Problems in the workspace". */
  readonly title: string;
  /** The fence's language tag ('' for plain text such as a list of problems). */
  readonly language: string;
  readonly text: string;
  /** The file and first line the text came from: the answer cites it. None for text not from one file range. */
  readonly source?: { readonly uri: string; readonly startLine: number };
}

/** What the attachments turned into for one request. */
export interface AttachedContext {
  readonly pieces: readonly ContextPiece[];
  /** Said to the user: what was cut or left out, and why. */
  readonly notes: readonly string[];
}

/** Below this many tokens a cut piece says too little to be worth sending. */
const MIN_USEFUL_PIECE_TOKENS = 60;

/** Fits the pieces, in order, into `maxTokens`; a piece that does not fit whole is cut at a line or left out. */
export function fitContext(pieces: readonly ContextPiece[], maxTokens: number, model: string): AttachedContext {
  const sent: ContextPiece[] = [];
  const notes: string[] = [];
  let left = maxTokens;
  for (const piece of pieces) {
    const cost = pieceTokens(piece);
    if (cost <= left) {
      sent.push(piece);
      left -= cost;
      continue;
    }
    const cut = left >= MIN_USEFUL_PIECE_TOKENS ? cutToFit(piece, left) : undefined;
    if (cut) {
      sent.push(cut);
      left -= pieceTokens(cut);
      notes.push(`${piece.title}: ${linesNote(cut)} of ${lineCount(piece.text)} sent; the rest did not fit in ${model}'s context window.`);
    } else {
      notes.push(`${piece.title} was left out: it did not fit in ${model}'s context window.`);
    }
  }
  return { pieces: sent, notes };
}

/** The pieces as the part of a question that follows its text. */
export function contextSection(pieces: readonly ContextPiece[]): string {
  if (!pieces.length) return '';
  const blocks = pieces.map((piece) => `${heading(piece)}:\n${fence(piece.text, piece.language)}`);
  return ['Attached for context (use what helps answer the question):', ...blocks].join('\n\n');
}

/** The file ranges the sent pieces came from, as the answer's references. */
export function referencesOf(pieces: readonly ContextPiece[], pathOf: (piece: ContextPiece) => string = (p) => p.title): Reference[] {
  return pieces.flatMap((piece) => {
    if (!piece.source) return [];
    const { uri, startLine } = piece.source;
    return [{ uri, path: pathOf(piece), startLine, endLine: startLine + lineCount(piece.text) - 1 }];
  });
}

function heading(piece: ContextPiece): string {
  return piece.source ? `${piece.title} (${linesNote(piece)})` : piece.title;
}

function pieceTokens(piece: ContextPiece): number {
  return estimateTokens(`${heading(piece)}:\n${piece.text}\n`) + 4;
}

/** The piece's first lines that fit `maxTokens`, or undefined when not one does. */
function cutToFit(piece: ContextPiece, maxTokens: number): ContextPiece | undefined {
  const lines = piece.text.split('\n');
  let chars = (maxTokens - estimateTokens(heading(piece)) - 8) * CHARS_PER_TOKEN;
  let kept = 0;
  while (kept < lines.length && chars - (lines[kept].length + 1) >= 0) chars -= lines[kept++].length + 1;
  return kept ? { ...piece, text: lines.slice(0, kept).join('\n') } : undefined;
}

function linesNote(piece: ContextPiece): string {
  const first = piece.source?.startLine ?? 1;
  const last = first + lineCount(piece.text) - 1;
  return first === last ? `line ${first}` : `lines ${first}–${last}`;
}

function lineCount(text: string): number {
  return text.split('\n').length;
}
