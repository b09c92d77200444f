import type {
  ChatCompletionChunk,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import type { RequestError } from './errors';
import type { ChatMessage, ChatRequest, ToolCall } from './streamEvents';

/**
 * OpenAI tool calling on the wire: our messages and tools as the request body spells them, and the streamed
 * `delta.tool_calls` fragments put back together into whole calls.
 */

type ToolCallFragment = ChatCompletionChunk.Choice.Delta.ToolCall;

export function wireMessage(message: ChatMessage): ChatCompletionMessageParam {
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  if (message.role !== 'assistant' || !message.toolCalls?.length) return { role: message.role, content: message.content };
  return {
    role: 'assistant',
    // OpenAI's contract: content is required unless the message calls tools; an empty string is not "none" to every template.
    content: message.content || null,
    tool_calls: message.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
  };
}

/** `tools` and `tool_choice`, or nothing at all when the request offers no tools. */
export function wireTools(request: ChatRequest): { tools?: ChatCompletionFunctionTool[]; tool_choice?: ChatCompletionToolChoiceOption } {
  if (!request.tools?.length) return {};
  const tools = request.tools.map((tool): ChatCompletionFunctionTool => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: { ...tool.parameters } },
  }));
  return { tools, ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}) };
}

/**
 * Whether a failed request says the model cannot call tools: the request offered tools and the server rejected it as a
 * bad request (vLLM started without a tool parser, Ollama for a model without a tool template). Then the same model is
 * worth asking without tools; any other failure says nothing about tools.
 */
export function refusedTools(error: RequestError, request: ChatRequest): boolean {
  return Boolean(request.tools?.length) && error.kind === 'badRequest' && NO_TOOL_SUPPORT.test(error.details.serverMessage ?? '');
}

/** What servers say when a model takes no tools at all (vLLM without auto tool choice, Ollama), not any other 400. */
const NO_TOOL_SUPPORT = /tool[_ ]choice|enable-auto-tool-choice|does not support tools|tools? (?:is|are) not supported|not support(?:ed)? (?:for )?tool/i;

interface PartialCall {
  id?: string;
  name?: string;
  arguments: string;
}

/**
 * Collects the fragments of streamed tool calls. The first fragment of a call carries its id and name, the arguments
 * come in pieces, and parallel calls interleave, told apart by `index`; a call is whole only when the stream ends.
 */
export class ToolCallAccumulator {
  private readonly calls = new Map<number, PartialCall>();

  push(fragments: readonly ToolCallFragment[] | undefined): void {
    for (const fragment of fragments ?? []) {
      const call = this.slot(fragment);
      call.id ??= fragment.id || undefined;
      call.name ??= fragment.function?.name || undefined;
      call.arguments += fragment.function?.arguments ?? '';
    }
  }

  /**
   * The whole calls in index order. A call the server sent no id for gets one made up (unique within the answer), and
   * one without a name has `''`: the caller reports it like any call it cannot run.
   */
  complete(): ToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => ({ id: call.id ?? `call_${index}`, name: call.name ?? '', arguments: call.arguments }));
  }

  private slot(fragment: ToolCallFragment): PartialCall {
    const index = this.indexOf(fragment);
    let call = this.calls.get(index);
    if (!call) this.calls.set(index, (call = { arguments: '' }));
    return call;
  }

  /** Some servers leave out `index`: then a new id starts a new call, and a fragment without one continues the last. */
  private indexOf(fragment: ToolCallFragment): number {
    if (typeof fragment.index === 'number') return fragment.index;
    const known = [...this.calls].find(([, call]) => fragment.id && call.id === fragment.id);
    if (known) return known[0];
    const last = Math.max(-1, ...this.calls.keys());
    return fragment.id || last < 0 ? last + 1 : last;
  }
}
