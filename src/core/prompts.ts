import type { CodeQuote, SurroundingCode, Turn } from './domain';
import type { ChatMessage } from './streamEvents';
import { CHARS_PER_TOKEN } from './tokens';

export const CHAT_SYSTEM_PROMPT = [
  'You are IO Intelligence, a coding assistant inside VS Code.',
  'Answer in Markdown. Put code in fenced code blocks with a language tag.',
  'Be precise and brief; say when you are unsure.',
].join(' ');

export const EXPLAIN_QUESTION = 'Explain this code.';

export type { SurroundingCode } from './domain';

export function fence(code: string, language: string): string {
  const longest = Math.max(2, ...Array.from(code.matchAll(/`{3,}/g), (m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language}\n${code}\n${ticks}`;
}

export function quoteHeading(quote: CodeQuote): string {
  const lines = quote.startLine === quote.endLine ? `line ${quote.startLine}` : `lines ${quote.startLine}–${quote.endLine}`;
  return `${quote.file} (${quote.language}, ${lines})`;
}

/** The user message sent for a turn: the question, the quoted code, and its surroundings when given. */
export function userMessageContent(text: string, quote?: CodeQuote, surrounding?: SurroundingCode): string {
  if (!quote) return text;
  const parts = [text, '', `Code from ${quoteHeading(quote)}:`, fence(quote.code, quote.language)];
  if (surrounding?.before || surrounding?.after) {
    parts.push('', 'For context, the code around it in the same file (do not explain this part unless it matters):');
    if (surrounding.before) parts.push('Before:', fence(surrounding.before, quote.language));
    if (surrounding.after) parts.push('After:', fence(surrounding.after, quote.language));
  }
  return parts.join('\n');
}

/**
 * The whole conversation as chat messages; reasoning is never sent back, unfinished answers keep what arrived.
 * The last question carries what was gathered for it: the code around its quote, and its attachments' section.
 */
export function conversationMessages(turns: readonly Turn[], surrounding?: SurroundingCode, attached = ''): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: CHAT_SYSTEM_PROMPT }];
  turns.forEach((turn, index) => {
    if (turn.role === 'user') {
      const isLast = index === turns.length - 1;
      const content = userMessageContent(turn.text, turn.quote, isLast ? surrounding : undefined);
      messages.push({ role: 'user', content: isLast && attached ? `${content}\n\n${attached}` : content });
    } else if (turn.text) {
      messages.push({ role: 'assistant', content: turn.text });
    }
  });
  return messages;
}

/**
 * Picks up to `maxTokens` worth of whole lines before and after the selection, nearest first,
 * so that the prompt stays well inside small context windows.
 */
export function surroundingLines(lines: readonly string[], startLine: number, endLine: number, maxTokens: number): SurroundingCode {
  let budget = maxTokens * CHARS_PER_TOKEN;
  const before: string[] = [];
  const after: string[] = [];
  let up = startLine - 2; // startLine is 1-based: the line above it is index startLine - 2
  let down = endLine; // the line below endLine is index endLine
  while (budget > 0 && (up >= 0 || down < lines.length)) {
    if (up >= 0) {
      budget -= lines[up].length + 1;
      if (budget < 0) break;
      before.unshift(lines[up--]);
    }
    if (down < lines.length) {
      budget -= lines[down].length + 1;
      if (budget < 0) break;
      after.push(lines[down++]);
    }
  }
  return { before: before.join('\n'), after: after.join('\n') };
}
