import { isReasoningModel } from '../modelCatalog';
import type { ErrorKind } from '../domain';

/** How completions reach the model: the raw fill-in-the-middle endpoint, or chat with a hole-filling prompt. */
export type CompletionTransport = 'fim' | 'chat';

/** What a failed raw FIM request means. */
export type FimFailure = 'useChat' | 'retryWithoutExtras' | 'error';

export interface FimFailureFacts {
  readonly kind: ErrorKind;
  readonly status?: number;
  /** The server's `/models` lists the model (a 404 is then the endpoint missing, not the model). */
  readonly modelListed: boolean;
  /** The request was already sent again without the IO-specific fields. */
  readonly retriedWithoutExtras: boolean;
}

/**
 * Falls back to chat only when the endpoint itself is missing (404/405/501 for a model the server lists) or refuses
 * the raw prompt (400, after one retry without the IO-specific fields). A bad key, a spent quota, an unknown model or
 * the network is that error: switching transport would only hide it.
 */
export function afterFimFailure(facts: FimFailureFacts): FimFailure {
  const { status } = facts;
  if (status === 405 || status === 501 || (status === 404 && facts.modelListed)) return 'useChat';
  if (status === 400 && facts.kind === 'badRequest') return facts.retriedWithoutExtras ? 'useChat' : 'retryWithoutExtras';
  return 'error';
}

/** Remembered for the session, per base URL and model: the server's answer does not change while it runs. */
export class TransportMemory {
  private readonly known = new Map<string, CompletionTransport>();

  get(baseUrl: string, model: string): CompletionTransport {
    return this.known.get(`${baseUrl}\u0000${model}`) ?? 'fim';
  }

  set(baseUrl: string, model: string, transport: CompletionTransport): void {
    this.known.set(`${baseUrl}\u0000${model}`, transport);
  }
}

/** Reasoning models think before they answer: far too slow and costly for ghost text (design.md). */
export function servesCompletions(model: string): boolean {
  return !isReasoningModel(model);
}
