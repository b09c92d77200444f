export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
  /** True when the server sent no usage and the figures are our estimate. */
  readonly estimated: boolean;
}

/** Why the answer ended: `toolCalls` means the model stopped to have the caller run the tools it asked for. */
export type FinishReason = 'stop' | 'length' | 'toolCalls' | 'other';

/**
 * A function the model asked to call (OpenAI `tool_calls`), or one it called earlier in the history.
 * `arguments` is the JSON text exactly as the model wrote it: a model may write invalid JSON, and it is still passed
 * on, because only the caller knows whether to reject the call, repair it or tell the model.
 */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** A function the model may call (OpenAI `tools[].function`). */
export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  /** A JSON schema object describing the arguments. */
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** What a streamed chat completion yields, in arrival order; `finish` comes last on success. */
export type StreamEvent =
  | { readonly type: 'content'; readonly text: string }
  | { readonly type: 'reasoning'; readonly text: string }
  /** One complete call, after all content and in the server's index order; see ToolCall about its arguments. */
  | ({ readonly type: 'toolCall' } & ToolCall)
  | { readonly type: 'usage'; readonly usage: TokenUsage }
  | { readonly type: 'finish'; readonly reason: FinishReason };

export type ChatRole = ChatMessage['role'];

/** A message of the conversation sent; tool calls and tool results only appear when the caller offers tools. */
export type ChatMessage =
  | { readonly role: 'system' | 'user'; readonly content: string }
  /** `content` may be empty when the model only called tools. */
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ToolCall[] }
  /** The result of running the call `toolCallId`, as text. */
  | { readonly role: 'tool'; readonly toolCallId: string; readonly content: string };

export interface ChatRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly temperature?: number;
  readonly maxOutputTokens?: number;
  /** A deadline for the whole answer (inline completions); without it, the client's request and idle timeouts. */
  readonly timeoutMs?: number;
  /** Functions the model may call; without them the request carries no `tools` at all (servers without tool support accept it). */
  readonly tools?: readonly ToolDefinition[];
  /** Only sent with `tools`; the server's default (`auto`) when left out. */
  readonly toolChoice?: 'auto' | 'required';
}
