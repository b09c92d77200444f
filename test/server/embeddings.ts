import { serverTokens } from './serverTokens';

/**
 * `POST /embeddings` of the test server, as the OpenAI contract has it: `{model, input, encoding_format?}` →
 * `{object: 'list', data: [{object: 'embedding', index, embedding}], model, usage}`. No model runs: a text's vector is
 * a hashed bag of its words (identifiers split at camelCase and snake_case, lower-cased, each term hashed to one signed
 * dimension, the whole L2-normalised), so texts that share words are near and unrelated texts are not, the same on
 * every run. That is enough to make a semantic ranking testable. Pure functions: the server does the HTTP.
 */

/** Dimensions of every vector: enough that unrelated short texts rarely share a slot. */
export const EMBEDDING_DIMENSIONS = 256;

/** An embeddings request as the server reads it: anything may be missing or of the wrong type. */
export interface EmbeddingBody {
  readonly model?: unknown;
  readonly input?: unknown;
  readonly encoding_format?: unknown;
  readonly [key: string]: unknown;
}

/** How a scripted embeddings answer departs from the computed one (a test of the client's parsing). */
export interface EmbeddingVariant {
  readonly kind: 'vectors';
  /** Answer in this encoding whatever the request asked for (a server that ignores `encoding_format`). */
  readonly encoding?: 'float' | 'base64';
  /** `data` in reverse order: the contract orders by `index`, not by position. */
  readonly reversed?: boolean;
  /** Leave `usage` out, as some OpenAI-compatible servers do. */
  readonly withoutUsage?: boolean;
}

/** An embedding model the server serves, and its context length in tokens (null: no limit checked). */
export interface EmbeddingModel {
  readonly id: string;
  readonly contextTokens: number | null;
}

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** The answer to an embeddings request: the vectors, or the error a vLLM-served model gives. */
export function embeddingAnswer(body: EmbeddingBody, models: readonly EmbeddingModel[], variant: Partial<EmbeddingVariant> = {}): JsonAnswer {
  const model = models.find((m) => m.id === body.model);
  if (!model) return notFound(body.model);
  const inputs = inputsOf(body.input);
  if (!inputs) return badRequest("'input' must be a string or a non-empty list of strings.");
  if (body.encoding_format !== undefined && body.encoding_format !== 'float' && body.encoding_format !== 'base64') {
    return badRequest("'encoding_format' must be 'float' or 'base64'.");
  }
  const tooLong = inputs.map(serverTokens).find((tokens) => model.contextTokens !== null && tokens > model.contextTokens);
  if (tooLong !== undefined) return contextTooLong(model, tooLong);
  const base64 = (variant.encoding ?? body.encoding_format) === 'base64';
  const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: base64 ? float32Base64(embeddingOf(text)) : embeddingOf(text) }));
  const tokens = inputs.reduce((sum, text) => sum + serverTokens(text), 0);
  const usage = variant.withoutUsage ? {} : { usage: { prompt_tokens: tokens, total_tokens: tokens } };
  return { status: 200, body: { object: 'list', data: variant.reversed ? data.reverse() : data, model: model.id, ...usage } };
}

/** The terms of a text: its words and identifier parts (`parseHTTPResponse`, `parse_http_response` → parse, http, response). */
export function termsOf(text: string): string[] {
  return (text.match(/\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{Lo}+|\p{N}+/gu) ?? []).map((term) => term.toLowerCase());
}

/** Stands in for a text without words, so that every vector has length 1 (a real model never answers zeros). */
const NO_TERMS = '\u0000';

/** The unit vector of a text's hashed bag of words, each value a float32 (so both encodings carry the same numbers). */
export function embeddingOf(text: string): number[] {
  const vector = bagOf(termsOf(text));
  const norm = Math.hypot(...vector);
  return norm ? vector.map((x) => Math.fround(x / norm)) : embeddingOf(NO_TERMS);
}

/** Each term adds ±1 at its hashed slot: the sign, from another bit of the hash, keeps unrelated texts near 0 cosine. */
function bagOf(terms: readonly string[]): number[] {
  const vector = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  for (const term of terms.length ? terms : [NO_TERMS]) {
    const hash = fnv1a(term);
    vector[hash % EMBEDDING_DIMENSIONS] += hash >= 0x8000_0000 ? -1 : 1;
  }
  return vector;
}

/** 32-bit FNV-1a over UTF-16 code units: small, fast and stable across runs and platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c_9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x0100_0193) >>> 0;
  return hash;
}

/** OpenAI's `encoding_format: 'base64'`: the float32 values, little-endian, as base64. */
export function float32Base64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
  return bytes.toString('base64');
}

function inputsOf(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length && input.every((x) => typeof x === 'string')) return input as string[];
  return undefined;
}

function notFound(model: unknown): JsonAnswer {
  return { status: 404, body: { error: { message: `The model \`${String(model)}\` does not exist.`, type: 'NotFoundError', code: 404 } } };
}

function badRequest(message: string): JsonAnswer {
  return { status: 400, body: { error: { message, type: 'BadRequestError', code: 400 } } };
}

/** vLLM's words for an input over the model's context: the client classifies them as contextTooLong. */
function contextTooLong(model: EmbeddingModel, tokens: number): JsonAnswer {
  return badRequest(`This model's maximum context length is ${model.contextTokens} tokens. However, you requested ${tokens} tokens in the input for embedding generation. Please reduce the length of the input.`);
}
