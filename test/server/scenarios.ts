import type { ScriptedAnswer, StreamStep, Usage } from './ioTestServer';

/** Scripted answers for the faults and shapes the real API produces; each test picks what it needs. */

export function usageOf(prompt: number, completion: number): Usage {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** A normal streamed answer: the text in pieces, `finish_reason`, a usage chunk, `[DONE]`. */
export function streamText(pieces: readonly string[], options: { finish?: 'stop' | 'length'; usage?: Usage | null } = {}): ScriptedAnswer {
  const completion = Math.max(1, Math.ceil(pieces.join('').length / 4));
  const usage = options.usage === undefined ? usageOf(42, completion) : options.usage;
  return {
    kind: 'stream',
    steps: [
      ...pieces.map((text): StreamStep => ({ type: 'content', text })),
      { type: 'finish', reason: options.finish ?? 'stop' },
      ...(usage ? [{ type: 'usage', usage } as const] : []),
      { type: 'done' },
    ],
  };
}

/** A reasoning model that sends its thoughts in `delta.reasoning_content`. */
export function reasoningContent(thoughts: readonly string[], answer: readonly string[]): ScriptedAnswer {
  return {
    kind: 'stream',
    steps: [
      ...thoughts.map((text): StreamStep => ({ type: 'reasoning', text })),
      ...answer.map((text): StreamStep => ({ type: 'content', text })),
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: usageOf(30, 60) },
      { type: 'done' },
    ],
  };
}

/** A reasoning model that writes `<think>…</think>` into content, with tags split across chunks. */
export function thinkTags(thought: string, answer: string): ScriptedAnswer {
  const whole = `<think>${thought}</think>\n\n${answer}`;
  const pieces: string[] = [];
  for (let i = 0; i < whole.length; i += 3) pieces.push(whole.slice(i, i + 3));
  return streamText(pieces);
}

/** Splits `text` into `count` pieces of near-equal length (fewer when it is shorter), as a model's tokens arrive. */
export function splitInto(text: string, count: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, count)));
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces.length ? pieces : [''];
}

export interface ToolCallOptions {
  readonly id?: string;
  /** How many fragments the arguments come in (default 3). */
  readonly pieces?: number;
}

/**
 * The fragments of one streamed tool call at `index`: id and name with the first piece of the arguments, the rest
 * alone. `args` that is a string is sent as written, so a test can send arguments that are not JSON.
 */
export function toolCallSteps(index: number, name: string, args: unknown, options: ToolCallOptions = {}): StreamStep[] {
  const text = typeof args === 'string' ? args : JSON.stringify(args);
  const id = options.id ?? `call_${index}_${name.replace(/\W/g, '')}`;
  return splitInto(text, options.pieces ?? 3).map((piece, i): StreamStep =>
    i === 0 ? { type: 'toolCall', index, id, name, arguments: piece } : { type: 'toolCall', index, arguments: piece },
  );
}

/** An answer that only calls `name`: the call in pieces, `finish_reason: tool_calls`, usage, `[DONE]`. */
export function toolCall(name: string, args: unknown, options: ToolCallOptions = {}): ScriptedAnswer {
  return toolCallsAnswer(toolCallSteps(0, name, args, options));
}

/** Any tool call fragments (parallel, interleaved, after some content), ended as a tool-calling answer ends. */
export function toolCallsAnswer(steps: readonly StreamStep[], usage = usageOf(42, 20)): ScriptedAnswer {
  return { kind: 'stream', steps: [...steps, { type: 'finish', reason: 'tool_calls' }, { type: 'usage', usage }, { type: 'done' }] };
}

export function httpError(status: number, body: unknown, headers: Record<string, string> = {}): ScriptedAnswer {
  return { kind: 'http', status, body: typeof body === 'string' ? body : JSON.stringify(body), headers };
}

export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

/** A redirect with a Location (absolute, usually to another server), as a misconfigured proxy or a hostile host sends. */
export function redirectTo(status: RedirectStatus, location: string): ScriptedAnswer {
  return httpError(status, { detail: `Moved to ${location}` }, { location });
}

export const faults = {
  unauthorized: (): ScriptedAnswer => httpError(401, { detail: 'Invalid API key provided' }),
  forbidden: (): ScriptedAnswer => httpError(403, { error: { message: 'This key may not use this model', type: 'permission_error', code: 403 } }),
  unknownModel: (model = 'no/such-model'): ScriptedAnswer =>
    httpError(404, { error: { message: `The model \`${model}\` does not exist.`, type: 'NotFoundError', code: 404 } }),
  rateLimited: (retryAfterSeconds = 7): ScriptedAnswer =>
    httpError(429, { error: { message: 'Rate limit exceeded: too many requests', type: 'rate_limit', code: 429 } }, { 'retry-after': String(retryAfterSeconds) }),
  quotaExhausted: (): ScriptedAnswer =>
    httpError(429, { detail: 'Daily token limit exceeded for this model. Limits reset at 00:00 UTC.' }),
  contextTooLong: (): ScriptedAnswer =>
    httpError(400, { error: { message: "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens.", type: 'BadRequestError', code: 400 } }),
  /** Ollama's words for a model without tool calling (vLLM's are the server's `toolsUnsupported` option). */
  toolsUnsupported: (model: string): ScriptedAnswer => httpError(400, { error: { message: `registry.ollama.ai/library/${model} does not support tools`, type: 'api_error', code: null } }),
  serverError: (): ScriptedAnswer => httpError(500, { error: { message: 'Internal server error', type: 'InternalServerError', code: 500 } }),
  htmlPage: (): ScriptedAnswer => ({
    kind: 'http',
    status: 502,
    contentType: 'text/html',
    body: '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>',
  }),
  validationDetail: (): ScriptedAnswer =>
    httpError(422, { detail: [{ loc: ['body', 'messages'], msg: 'field required', type: 'value_error.missing' }] }),
  malformedLine: (): ScriptedAnswer => ({
    kind: 'stream',
    steps: [{ type: 'content', text: 'Partial ' }, { type: 'raw', text: 'data: {"choices": [ this is not json\n\n' }, { type: 'done' }],
  }),
  stall: (before = 'Before the stall. '): ScriptedAnswer => ({ kind: 'stream', steps: [{ type: 'content', text: before }, { type: 'stall' }] }),
  dropMidway: (before = 'Half an answer '): ScriptedAnswer => ({
    kind: 'stream',
    steps: [{ type: 'content', text: before }, { type: 'wait', ms: 20 }, { type: 'drop' }],
  }),
  errorEvent: (before = 'Started '): ScriptedAnswer => ({
    kind: 'stream',
    steps: [
      { type: 'content', text: before },
      { type: 'raw', text: 'data: {"error": {"message": "The model crashed while generating", "type": "InternalServerError", "code": 500}}\n\n' },
    ],
  }),
  /** A server that thinks for a while before (or between) chunks, sending only SSE comments meanwhile. */
  keepAlives: (options: { before?: string; after: string; count: number; everyMs: number; comment: (i: number) => StreamStep }): ScriptedAnswer => ({
    kind: 'stream',
    steps: [
      ...(options.before ? [{ type: 'content', text: options.before } as const] : []),
      ...Array.from({ length: options.count }, (_, i): StreamStep[] => [{ type: 'wait', ms: options.everyMs }, options.comment(i)]).flat(),
      { type: 'content', text: options.after },
      { type: 'finish', reason: 'stop' },
      { type: 'done' },
    ],
  }),
  /** Keep-alive comments for a while, then silence with the connection open. */
  keepAlivesThenStall: (count: number, everyMs: number): ScriptedAnswer => ({
    kind: 'stream',
    steps: [
      { type: 'content', text: 'Before the pings. ' },
      ...Array.from({ length: count }, (): StreamStep[] => [{ type: 'wait', ms: everyMs }, { type: 'comment', text: 'ping' }]).flat(),
      { type: 'stall' },
    ],
  }),
  endsWithoutFinish: (text = 'No finish reason'): ScriptedAnswer => ({ kind: 'stream', steps: [{ type: 'content', text }] }),
};
