import type { ChatMessage } from './streamEvents';
import { estimateMessagesTokens } from './tokens';

/** Room kept free in the context window for the estimate's error and the server's own template tokens. */
export const SAFETY_MARGIN_TOKENS = 256;
/** Below this, an answer cannot be useful: say the request does not fit instead of sending it. */
export const MIN_USEFUL_OUTPUT_TOKENS = 256;

export interface Budget {
  readonly promptTokens: number;
  readonly maxOutputTokens: number;
}

/** max_completion_tokens = min(setting, context − prompt − margin); undefined when no useful answer fits. */
export function outputBudget(contextTokens: number, messages: readonly ChatMessage[], maxOutputSetting: number): Budget | undefined {
  const promptTokens = estimateMessagesTokens(messages);
  const room = contextTokens - promptTokens - SAFETY_MARGIN_TOKENS;
  const maxOutputTokens = Math.min(maxOutputSetting, room);
  return maxOutputTokens >= Math.min(MIN_USEFUL_OUTPUT_TOKENS, maxOutputSetting) ? { promptTokens, maxOutputTokens } : undefined;
}

/**
 * Drops the oldest history (after the system message) until the prompt leaves room for a useful answer.
 * The newest user message always stays; `dropped` counts the messages left out.
 */
export function fitHistory(
  messages: readonly ChatMessage[],
  contextTokens: number,
  maxOutputSetting: number,
): { messages: ChatMessage[]; dropped: number; budget: Budget | undefined } {
  const system = messages[0]?.role === 'system' ? [messages[0]] : [];
  const rest = messages.slice(system.length);
  for (let start = 0; start < rest.length; start++) {
    // Never start the history on an assistant message or a tool result: the model would see an answer without its
    // question, or a result without the call it answers (servers reject that).
    if (start > 0 && (rest[start].role === 'assistant' || rest[start].role === 'tool')) continue;
    const candidate = [...system, ...rest.slice(start)];
    const budget = outputBudget(contextTokens, candidate, maxOutputSetting);
    if (budget) return { messages: candidate, dropped: start, budget };
  }
  const last = [...system, ...rest.slice(-1)];
  return { messages: last, dropped: rest.length - 1, budget: outputBudget(contextTokens, last, maxOutputSetting) };
}
