/**
 * Token estimates without a tokenizer (the models differ and a tokenizer would cost the bundle megabytes).
 * Chars/3 over-counts English prose (≈4 chars per token) and is close for code and non-Latin text, so a budget made
 * with it errs on the side of fitting; a per-message overhead covers the chat template's role markers.
 */
export const CHARS_PER_TOKEN = 3;
export const MESSAGE_OVERHEAD_TOKENS = 8;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimateMessagesTokens(messages: readonly { content: string }[]): number {
  return messages.reduce((sum, m) => sum + estimateTokens(m.content) + MESSAGE_OVERHEAD_TOKENS, 0);
}
