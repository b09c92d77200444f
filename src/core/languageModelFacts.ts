/**
 * What VS Code's chat is told about an IO Intelligence model (the language model provider): its family, its limits
 * and whether it takes OpenAI tools. Plain facts, so that the adapter only maps them onto VS Code's types.
 */
import { isReasoningModel, type ModelInfo } from './modelCatalog';

/**
 * Models known to answer OpenAI `tools` requests with tool calls (the documentation's table does not say; README
 * names them). A model not on this list is offered without tool calling; one that refuses a tools request anyway is
 * marked for the session by the provider.
 */
const TOOL_CALLING = [/llama-3\.3-70b/i, /qwen2\.5-coder-32b/i, /qwen3-235b/i, /mistral-large/i, /watt-tool-70b/i];

export function takesTools(id: string): boolean {
  return TOOL_CALLING.some((pattern) => pattern.test(id));
}

/** The name after the organisation: what people call the model. */
export function shortName(id: string): string {
  return id.split('/').pop() ?? id;
}

/** An opaque family name for selectors (`qwen2.5-coder`, `llama-3.3`, `deepseek-r1`): the name without size and suffixes. */
export function familyOf(id: string): string {
  const name = shortName(id).toLowerCase();
  const cut = name.search(/-(?:\d+(?:\.\d+)?[bm]\b|instruct|fp8|\d{4}\b|distill)/);
  return cut > 0 ? name.slice(0, cut) : name;
}

export interface ChatLimits {
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
}

/**
 * The window split the way our own requests split it: up to `maxOutputSetting` for the answer (never more than a
 * quarter of a small window), the rest for the prompt.
 */
export function chatLimits(info: ModelInfo, maxOutputSetting: number): ChatLimits {
  const maxOutputTokens = Math.max(256, Math.min(maxOutputSetting, Math.floor(info.contextTokens / 4)));
  return { maxInputTokens: Math.max(0, info.contextTokens - maxOutputTokens), maxOutputTokens };
}

/** A line for the model picker: what kind of model it is. */
export function detailOf(id: string): string {
  return isReasoningModel(id) ? 'IO Intelligence · reasoning' : 'IO Intelligence';
}
