/**
 * Token estimates without a tokenizer (the models differ and a tokenizer would cost the bundle megabytes).
 * Chars/3 over-counts English prose (≈4 chars per token) and is close for code and non-Latin text, so a budget made
 * with it errs on the side of fitting; a per-message overhead covers the chat template's role markers.
 */
import type { TokenUsage } from './streamEvents';

export const CHARS_PER_TOKEN = 3;
export const MESSAGE_OVERHEAD_TOKENS = 8;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

interface EstimatedMessage {
  readonly content: string;
  /** The calls an assistant message made cost prompt tokens too, when the history is sent back. */
  readonly toolCalls?: readonly { readonly name: string; readonly arguments: string }[];
}

export function estimateMessagesTokens(messages: readonly EstimatedMessage[]): number {
  return messages.reduce((sum, m) => sum + estimateTokens(m.content + callsText(m)) + MESSAGE_OVERHEAD_TOKENS, 0);
}

/** Usage when the server sent none: the prompt as planned, the output estimated from what arrived. */
export function estimatedUsage(promptTokens: number, output: string): TokenUsage {
  const completionTokens = estimateTokens(output);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: true };
}

function callsText(message: EstimatedMessage): string {
  return message.toolCalls?.map((call) => call.name + call.arguments).join('') ?? '';
}
