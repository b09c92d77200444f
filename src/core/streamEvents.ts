export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
  /** True when the server sent no usage and the figures are our estimate. */
  readonly estimated: boolean;
}

export type FinishReason = 'stop' | 'length' | 'other';

/** What a streamed chat completion yields, in arrival order; `finish` comes last on success. */
export type StreamEvent =
  | { readonly type: 'content'; readonly text: string }
  | { readonly type: 'reasoning'; readonly text: string }
  | { readonly type: 'usage'; readonly usage: TokenUsage }
  | { readonly type: 'finish'; readonly reason: FinishReason };

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

export interface ChatRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly temperature?: number;
  readonly maxOutputTokens?: number;
  /** A deadline for the whole answer (inline completions); without it, the client's request and idle timeouts. */
  readonly timeoutMs?: number;
}
