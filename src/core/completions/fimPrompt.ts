import { CHARS_PER_TOKEN, estimateTokens } from '../tokens';
import { lineBefore } from './completionShape';

/** Qwen2.5-Coder's fill-in-the-middle tokens (design.md, "Inline completions"). */
export const FIM = {
  prefix: '<|fim_prefix|>',
  suffix: '<|fim_suffix|>',
  middle: '<|fim_middle|>',
  repo: '<|repo_name|>',
  file: '<|file_sep|>',
} as const;

/** Where the model must stop: the end of text, and any token that starts another part of the prompt format. */
export const FIM_STOP = ['<|endoftext|>', '<|file_sep|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|im_start|>', '<|im_end|>'];

export interface NeighbourFile {
  readonly path: string;
  readonly content: string;
}

export interface FimInput {
  /** The file's text before the cursor, and after it. */
  readonly before: string;
  readonly after: string;
  readonly path: string;
  /** Other open files, most relevant first; only what fits the budget goes in. */
  readonly neighbours?: readonly NeighbourFile[];
  readonly repoName?: string;
  /** Tokens for everything sent (prefix + suffix + context). */
  readonly budgetTokens: number;
}

export interface FimPrompt {
  readonly prompt: string;
  readonly promptTokens: number;
  /** Characters of the file before / after the cursor that the prompt carries. */
  readonly beforeChars: number;
  readonly afterChars: number;
}

/** Share of the budget for the code before the cursor; the rest for after it, then neighbours with what is left. */
const PREFIX_SHARE = 0.7;

/**
 * A raw FIM prompt cut to a token budget: the lines nearest the cursor first (whole lines, so that no token is cut in
 * half), 70 % before the cursor and 30 % after it, and neighbour files only with what both leave unused.
 */
export function fimPrompt(input: FimInput): FimPrompt {
  const prefixBudget = Math.floor(input.budgetTokens * PREFIX_SHARE);
  const before = tailLines(input.before, prefixBudget);
  const after = headLines(input.after, input.budgetTokens - estimateTokens(before));
  const left = input.budgetTokens - estimateTokens(before) - estimateTokens(after);
  const context = neighbourContext(input, left);
  const prompt = `${context}${FIM.prefix}${before}${FIM.suffix}${after}${FIM.middle}`;
  return { prompt, promptTokens: estimateTokens(prompt), beforeChars: before.length, afterChars: after.length };
}

/**
 * The last lines of `text` that fit `budget` tokens; the cursor's own line goes in whole, unless it alone is over the
 * budget (minified code): then only its end that fits.
 */
function tailLines(text: string, budget: number): string {
  if (estimateTokens(lineBefore(text)) > budget) return text.slice(text.length - budget * CHARS_PER_TOKEN);
  let start = text.length;
  let used = 0;
  for (;;) {
    const lineStart = start <= 1 ? 0 : text.lastIndexOf('\n', start - 2) + 1;
    const cost = estimateTokens(text.slice(lineStart, start));
    if (start !== text.length && used + cost > budget) break;
    used += cost;
    start = lineStart;
    if (lineStart === 0) break;
  }
  return text.slice(start);
}

/** The first lines of `text` that fit `budget` tokens (of a line longer than that, its start that fits). */
function headLines(text: string, budget: number): string {
  const firstLine = /^[^\n]*/.exec(text)![0];
  if (estimateTokens(firstLine) > budget) return text.slice(0, Math.max(0, budget) * CHARS_PER_TOKEN);
  let end = 0;
  let used = 0;
  while (end < text.length) {
    const next = text.indexOf('\n', end);
    const lineEnd = next < 0 ? text.length : next + 1;
    const cost = estimateTokens(text.slice(end, lineEnd));
    if (used + cost > budget) break;
    used += cost;
    end = lineEnd;
  }
  return text.slice(0, end);
}

/** Whole neighbour files, in order, while they fit (a cut file would mislead more than it helps). */
function neighbourContext(input: FimInput, budget: number): string {
  const parts: string[] = [];
  let used = 0;
  for (const file of input.neighbours ?? []) {
    const part = `${FIM.file}${file.path}\n${file.content}\n`;
    const cost = estimateTokens(part);
    if (used + cost > budget) continue;
    used += cost;
    parts.push(part);
  }
  if (!parts.length) return '';
  return `${input.repoName ? `${FIM.repo}${input.repoName}\n` : ''}${parts.join('')}${FIM.file}${input.path}\n`;
}
