import assert from 'node:assert/strict';
import { buildCatalog, chatModels, describeModel, formatTokens, isEmbeddingModel } from '../../src/core/modelCatalog';
import { SEED_MODELS } from '../../src/core/modelTable';
import { DEFAULT_MODELS } from '../server/ioTestServer';

describe('model catalog', () => {
  it('takes max_model_len from /models when it is a number', () => {
    const info = describeModel('Qwen/Qwen2.5-Coder-32B-Instruct', { id: 'Qwen/Qwen2.5-Coder-32B-Instruct', maxModelLen: 32_768 });
    assert.equal(info.contextTokens, 32_768);
    assert.equal(info.contextSource, 'server');
  });

  it('falls back to the documented table when max_model_len is null', () => {
    const info = describeModel('meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8', { id: 'meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8', maxModelLen: null });
    assert.equal(info.contextTokens, 430_000);
    assert.equal(info.contextSource, 'table');
    assert.equal(info.dailyApiTokens, 500_000);
  });

  it('assumes 8,000 tokens for a model it does not know, or one the table lists without a length', () => {
    assert.equal(describeModel('acme/unknown-7b').contextTokens, 8_000);
    assert.equal(describeModel('Qwen/Qwen2-VL-7B-Instruct').contextTokens, 8_000);
    assert.equal(describeModel('acme/unknown-7b').contextSource, 'default');
  });

  it('matches ids exactly: DeepSeek-R1 and DeepSeek-R1-0528 are different, case matters', () => {
    assert.equal(describeModel('deepseek-ai/DeepSeek-R1').contextSource, 'table');
    assert.equal(describeModel('deepseek-ai/deepseek-r1').contextSource, 'default');
    assert.equal(describeModel('nvidia/AceMath-7B-Instruct').contextTokens, 4_000);
  });

  it('marks embeddings models as not chat-capable, with their 50M quota', () => {
    const catalog = buildCatalog([
      { id: 'BAAI/bge-multilingual-gemma2', maxModelLen: 4096 },
      { id: 'meta-llama/Llama-3.3-70B-Instruct', maxModelLen: null },
    ]);
    assert.deepEqual(chatModels(catalog).map((m) => m.id), ['meta-llama/Llama-3.3-70B-Instruct']);
    assert.equal(catalog[0].dailyApiTokens, 50_000_000);
  });

  it('knows both IO embedding models: 512 and 4,096 tokens of context, 50,000,000 tokens a day', () => {
    const mxbai = describeModel('mixedbread-ai/mxbai-embed-large-v1');
    const bge = describeModel('BAAI/bge-multilingual-gemma2');
    assert.deepEqual([mxbai.contextTokens, mxbai.dailyApiTokens, mxbai.chatCapable], [512, 50_000_000, false]);
    assert.deepEqual([bge.contextTokens, bge.dailyApiTokens, bge.chatCapable], [4_096, 50_000_000, false]);
  });

  it('tells an embedding model by the table, else by its name', () => {
    assert.equal(isEmbeddingModel('mixedbread-ai/mxbai-embed-large-v1'), true);
    assert.equal(isEmbeddingModel('nomic-ai/nomic-embed-text-v1.5'), true);
    assert.equal(isEmbeddingModel('BAAI/bge-m3'), true);
    assert.equal(isEmbeddingModel('Qwen/Qwen2.5-Coder-32B-Instruct'), false);
    assert.equal(isEmbeddingModel('acme/unknown-7b'), false);
    assert.equal(describeModel('BAAI/bge-reranker-v2-m3').chatCapable, false, 'a reranker cannot chat either');
  });

  it('never offers an embedding model for chat, rewrite or completions, whatever the server lists', () => {
    const listing = DEFAULT_MODELS.map((m) => ({ id: m.id, maxModelLen: m.max_model_len }));
    const offered = chatModels(buildCatalog(listing)).map((m) => m.id);
    assert.deepEqual(offered, ['Qwen/Qwen2.5-Coder-32B-Instruct', 'deepseek-ai/DeepSeek-R1-0528', 'meta-llama/Llama-3.3-70B-Instruct', 'nvidia/AceMath-7B-Instruct']);
    assert.equal(chatModels(buildCatalog(undefined)).some((m) => isEmbeddingModel(m.id)), false, 'nor from the documented table');
  });

  it('offers the whole documented table when the server cannot be asked', () => {
    const catalog = buildCatalog(undefined);
    assert.equal(catalog.length, SEED_MODELS.length);
    assert.equal(chatModels(catalog).length, SEED_MODELS.length - 2);
  });

  it('formats token counts for pickers', () => {
    assert.equal(formatTokens(32_000), '32K');
    assert.equal(formatTokens(430_000), '430K');
    assert.equal(formatTokens(1_500_000), '1.5M');
    assert.equal(formatTokens(512), '512');
  });
});
