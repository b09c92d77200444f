/**
 * The seed model table from the IO Intelligence documentation ("Important Note on Usage Limits"): context length
 * (input + output tokens) and free daily API quota per model. `/models` overrides the context length when it reports one.
 * An embedding model's `dailyApiTokens` is its embeddings quota (50,000,000 tokens), and its context is per input.
 */
export interface SeedModel {
  readonly id: string;
  readonly contextTokens: number | null;
  readonly dailyApiTokens: number;
  readonly kind: 'chat' | 'embeddings';
}

export const SEED_MODELS: readonly SeedModel[] = [
  { id: 'meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8', contextTokens: 430_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'deepseek-ai/DeepSeek-R1-0528', contextTokens: 128_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'deepseek-ai/DeepSeek-R1-Distill-Llama-70B', contextTokens: 128_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'Qwen/Qwen3-235B-A22B-FP8', contextTokens: 128_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'deepseek-ai/DeepSeek-R1', contextTokens: 128_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'Qwen/QwQ-32B', contextTokens: 32_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B', contextTokens: 128_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'meta-llama/Llama-3.3-70B-Instruct', contextTokens: 128_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'databricks/dbrx-instruct', contextTokens: 32_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'neuralmagic/Llama-3.1-Nemotron-70B-Instruct-HF-FP8-dynamic', contextTokens: 128_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'microsoft/phi-4', contextTokens: 16_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'nvidia/AceMath-7B-Instruct', contextTokens: 4_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'google/gemma-3-27b-it', contextTokens: 8_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'mistralai/Mistral-Large-Instruct-2411', contextTokens: 128_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'watt-ai/watt-tool-70B', contextTokens: 128_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'SentientAGI/Dobby-Mini-Unhinged-Llama-3.1-8B', contextTokens: 128_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'tiiuae/Falcon3-10B-Instruct', contextTokens: 32_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'bespokelabs/Bespoke-Stratos-32B', contextTokens: 32_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'netease-youdao/Confucius-o1-14B', contextTokens: 32_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'CohereForAI/aya-expanse-32b', contextTokens: 8_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'Qwen/Qwen2.5-Coder-32B-Instruct', contextTokens: 32_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'NovaSky-AI/Sky-T1-32B-Preview', contextTokens: 32_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'THUDM/glm-4-9b-chat', contextTokens: 128_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'mistralai/Ministral-8B-Instruct-2410', contextTokens: 32_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'jinaai/ReaderLM-v2', contextTokens: 512_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'openbmb/MiniCPM3-4B', contextTokens: 32_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'Qwen/Qwen2.5-1.5B-Instruct', contextTokens: 32_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'ibm-granite/granite-3.1-8b-instruct', contextTokens: 128_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'ozone-ai/0x-lite', contextTokens: 32_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'microsoft/Phi-3.5-mini-instruct', contextTokens: 128_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'meta-llama/Llama-3.2-90B-Vision-Instruct', contextTokens: 16_000, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'Qwen/Qwen2-VL-7B-Instruct', contextTokens: null, dailyApiTokens: 500_000, kind: 'chat' },
  { id: 'BAAI/bge-multilingual-gemma2', contextTokens: 4_096, dailyApiTokens: 50_000_000, kind: 'embeddings' },
  { id: 'mixedbread-ai/mxbai-embed-large-v1', contextTokens: 512, dailyApiTokens: 50_000_000, kind: 'embeddings' },
];
