import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import { RequestError } from './errors';
import type { TokenUsage } from './streamEvents';
import { estimateTokens } from './tokens';

/** What one `POST {baseUrl}embeddings` gave: one vector per input, in the order of the inputs. */
export interface Embeddings {
  readonly vectors: number[][];
  /** The server's count, or our estimate from the inputs' length (`usage.estimated`) when it sent none. */
  readonly usage: TokenUsage;
}

/** The answer to no inputs: nothing is sent for it (OpenAI-compatible servers reject an empty `input`). */
export const NO_EMBEDDINGS: Embeddings = { vectors: [], usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: false } };

/**
 * The vectors of a response, in input order. The contract does not promise `data` in order (each item carries its
 * `index`), and a server may answer base64 even when asked for floats. A response that does not give exactly one
 * vector per input is `malformed`: a caller would otherwise file vectors under the wrong text.
 */
export function vectorsInInputOrder(data: CreateEmbeddingResponse['data'] | undefined, inputCount: number, model: string): number[][] {
  const vectors = new Array<number[] | undefined>(inputCount);
  for (const item of data ?? []) {
    const index = item?.index;
    if (!Number.isInteger(index) || index < 0 || index >= inputCount || vectors[index]) throw malformed(model, `an embedding with index ${String(index)}`);
    vectors[index] = vectorOf(item.embedding as unknown, model);
  }
  const missing = vectors.findIndex((v) => v === undefined);
  if (missing >= 0) throw malformed(model, `no embedding for input ${missing}`);
  return vectors as number[][];
}

/** The server's usage (embeddings count prompt tokens only), else an estimate flagged as such. */
export function embeddingUsage(usage: CreateEmbeddingResponse['usage'] | undefined, inputs: readonly string[]): TokenUsage {
  if (usage && Number.isFinite(usage.prompt_tokens)) {
    const total = Number.isFinite(usage.total_tokens) ? usage.total_tokens : usage.prompt_tokens;
    return { promptTokens: usage.prompt_tokens, completionTokens: 0, totalTokens: total, estimated: false };
  }
  const estimate = inputs.reduce((sum, input) => sum + estimateTokens(input), 0);
  return { promptTokens: estimate, completionTokens: 0, totalTokens: estimate, estimated: true };
}

function vectorOf(embedding: unknown, model: string): number[] {
  if (typeof embedding === 'string') return decodeFloat32Base64(embedding, model);
  if (Array.isArray(embedding) && embedding.every((x) => typeof x === 'number')) return embedding as number[];
  throw malformed(model, 'an embedding that is neither a list of numbers nor base64');
}

/** OpenAI's base64 encoding: the float32 values, little-endian, as bytes. `atob` runs in Node and in browsers alike. */
export function decodeFloat32Base64(text: string, model?: string): number[] {
  const bytes = Uint8Array.from(binaryOf(text, model), (c) => c.charCodeAt(0));
  if (bytes.length % 4 !== 0) throw malformed(model, 'a base64 embedding that is not a whole number of float32 values');
  const view = new DataView(bytes.buffer);
  return Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

function binaryOf(base64: string, model: string | undefined): string {
  try {
    return atob(base64);
  } catch (error) {
    throw new RequestError('malformed', { model, serverMessage: 'The embeddings answer had an embedding that is not base64.' }, error);
  }
}

function malformed(model: string | undefined, what: string): RequestError {
  return new RequestError('malformed', { model, serverMessage: `The embeddings answer had ${what}.` });
}
