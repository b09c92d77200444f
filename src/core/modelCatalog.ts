import { SEED_MODELS, type SeedModel } from './modelTable';

/** A model as `/models` reports it. */
export interface ListedModel {
  readonly id: string;
  readonly maxModelLen: number | null;
  /** `owned_by` as listed; the demo endpoint's models say DEMO_OWNER. */
  readonly ownedBy?: string;
}

/** The `owned_by` the local demo server of `npm start` gives its models (design.md, "Demo endpoint"). */
export const DEMO_OWNER = 'io-intelligence-demo';

/**
 * True when the listing comes from the demo server: every model carries its marker. Only this marker counts, never the
 * address: vLLM, Ollama or LM Studio on 127.0.0.1 are real servers.
 */
export function isDemoListing(listed: readonly ListedModel[] | undefined): boolean {
  return Boolean(listed?.length) && listed!.every((m) => m.ownedBy === DEMO_OWNER);
}

export type ContextSource = 'server' | 'table' | 'default';

export interface ModelInfo {
  readonly id: string;
  readonly contextTokens: number;
  /** Where `contextTokens` came from: `/models`, the seed table, or the 8,000-token fallback. */
  readonly contextSource: ContextSource;
  /** The free daily quota in tokens: API tokens of a chat model, embedding tokens of an embedding model. */
  readonly dailyApiTokens: number | undefined;
  /** False for embedding (and rerank) models: never offered where a chat, rewrite or completion model is picked. */
  readonly chatCapable: boolean;
  /** True when the server's `/models` listed it (false: known only from the seed table). */
  readonly listed: boolean;
}

export const DEFAULT_CONTEXT_TOKENS = 8_000;

const SEED_BY_ID = new Map<string, SeedModel>(SEED_MODELS.map((m) => [m.id, m]));

/** Context length of a model: `max_model_len` when a number, else the seed table, else 8,000. Ids match exactly. */
export function describeModel(id: string, listed?: ListedModel): ModelInfo {
  const seed = SEED_BY_ID.get(id);
  const [contextTokens, contextSource] = contextOf(listed, seed);
  return {
    id,
    contextTokens,
    contextSource,
    dailyApiTokens: seed?.dailyApiTokens,
    chatCapable: !isEmbeddingModel(id) && !/rerank/i.test(id),
    listed: listed !== undefined,
  };
}

/**
 * Whether a model serves `/embeddings` (the @codebase index) rather than chat: by the documented table, else by its
 * name, which is all an unknown server's `/models` tells (`…-embed-…`, BAAI's `bge-…`).
 */
const REASONING = /(?:deepseek-r1|qwq|sky-t1|bespoke-stratos|confucius-o1|-r1-distill)/i;

/** A model that reasons before it answers (design.md's list): its thinking comes apart from its answer. */
export function isReasoningModel(id: string): boolean {
  return REASONING.test(id);
}

export function isEmbeddingModel(id: string): boolean {
  const seed = SEED_BY_ID.get(id);
  return seed ? seed.kind === 'embeddings' : /embed|bge-/i.test(id);
}

function contextOf(listed: ListedModel | undefined, seed: SeedModel | undefined): [number, ContextSource] {
  if (listed && typeof listed.maxModelLen === 'number' && listed.maxModelLen > 0) return [listed.maxModelLen, 'server'];
  if (seed?.contextTokens) return [seed.contextTokens, 'table'];
  return [DEFAULT_CONTEXT_TOKENS, 'default'];
}

/**
 * The catalog a user picks from: what the server lists, enriched by the seed table.
 * When the server could not be asked, the seed table alone.
 */
export function buildCatalog(listed: readonly ListedModel[] | undefined): ModelInfo[] {
  if (!listed) return SEED_MODELS.map((m) => describeModel(m.id));
  const seen = new Set<string>();
  const out: ModelInfo[] = [];
  for (const model of listed) {
    if (seen.has(model.id)) continue;
    seen.add(model.id);
    out.push(describeModel(model.id, model));
  }
  return out;
}

export function chatModels(catalog: readonly ModelInfo[]): ModelInfo[] {
  return catalog.filter((m) => m.chatCapable);
}

/** "32K" / "128K" / "430K" for pickers and status text. */
export function formatTokens(tokens: number): string {
  if (tokens >= 1_000_000) return `${+(tokens / 1_000_000).toFixed(1)}M`;
  if (tokens >= 1_000) return `${+(tokens / 1_000).toFixed(1)}K`;
  return String(tokens);
}
