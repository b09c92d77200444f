import type { ApiClient, CompletionAnswer } from '../apiClient';
import type { ChatRequest, TokenUsage } from '../streamEvents';
import type { CompletionBackend } from './completionEngine';

/** The engine's network on the API client: the raw endpoint as is, a chat answer collected whole (reasoning left out). */
export function clientBackend(client: () => Promise<ApiClient>, isListed: (model: string) => Promise<boolean>): CompletionBackend {
  return {
    complete: async (request, signal) => (await client()).complete(request, signal),
    chat: async (request, signal) => collectChat(await client(), request, signal),
    isListed,
  };
}

async function collectChat(client: ApiClient, request: ChatRequest, signal: AbortSignal): Promise<CompletionAnswer> {
  let text = '';
  let usage: TokenUsage | undefined;
  for await (const event of client.streamChat(request, signal)) {
    if (event.type === 'content') text += event.text;
    else if (event.type === 'usage') usage = event.usage;
  }
  return usage ? { text, usage } : { text };
}
