import { Marked, type MarkedOptions } from 'marked';

/** The markdown dialect of answers: the renderer (markdown.ts) and the block splitter below read it alike. */
export const MARKDOWN_SYNTAX = { gfm: true, breaks: false } as const satisfies MarkedOptions;

const lexer = new Marked(MARKDOWN_SYNTAX);

/**
 * Splits streamed markdown into blocks that are finished (followed by another block) and the open tail, such that
 * `finished + tail` is the input. Only the tail can still change, so only the tail is re-rendered while an answer
 * streams. Needs no DOM: it only lexes.
 */
export function splitFinishedBlocks(markdown: string): { finished: string; tail: string } {
  const tokens = lexer.lexer(markdown);
  let last = tokens.length - 1;
  while (last > 0 && tokens[last].type === 'space') last--;
  if (last <= 0) return { finished: '', tail: markdown };
  const tailStart = tokens.slice(0, last).reduce((n, t) => n + t.raw.length, 0);
  return { finished: markdown.slice(0, tailStart), tail: markdown.slice(tailStart) };
}
