import assert from 'node:assert/strict';
import { afterFimFailure, servesCompletions, TransportMemory } from '../../src/core/completions/completionTransport';

describe('inline completions: the transport', () => {
  const failure = (kind: Parameters<typeof afterFimFailure>[0]['kind'], status?: number, more: { modelListed?: boolean; retried?: boolean } = {}) =>
    afterFimFailure({ kind, status, modelListed: more.modelListed ?? true, retriedWithoutExtras: more.retried ?? false });

  it('falls back to chat only when the endpoint is missing or refuses the raw prompt', () => {
    assert.equal(failure('unknownModel', 404), 'useChat', 'a listed model: the endpoint is what is missing');
    assert.equal(failure('badRequest', 405), 'useChat');
    assert.equal(failure('server', 501), 'useChat');
    assert.equal(failure('badRequest', 400), 'retryWithoutExtras');
    assert.equal(failure('badRequest', 400, { retried: true }), 'useChat');
  });

  it('an unknown model, a bad key, a spent quota, a long prompt or the network is that error', () => {
    assert.equal(failure('unknownModel', 404, { modelListed: false }), 'error');
    assert.equal(failure('badKey', 401), 'error');
    assert.equal(failure('quotaExhausted', 429), 'error');
    assert.equal(failure('rateLimited', 429), 'error');
    assert.equal(failure('contextTooLong', 400), 'error');
    assert.equal(failure('unknownModel', 400, { retried: true }), 'error', 'a 400 that names the model is the model');
    assert.equal(failure('network'), 'error');
    assert.equal(failure('server', 500), 'error');
  });

  it('is remembered per base URL and model', () => {
    const memory = new TransportMemory();
    assert.equal(memory.get('https://a/', 'm'), 'fim');
    memory.set('https://a/', 'm', 'chat');
    assert.equal(memory.get('https://a/', 'm'), 'chat');
    assert.equal(memory.get('https://b/', 'm'), 'fim');
    assert.equal(memory.get('https://a/', 'n'), 'fim');
  });

  it('reasoning models never serve completions', () => {
    for (const model of ['deepseek-ai/DeepSeek-R1', 'deepseek-ai/DeepSeek-R1-0528', 'Qwen/QwQ-32B', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B', 'NovaSky-AI/Sky-T1-32B-Preview', 'bespokelabs/Bespoke-Stratos-32B', 'netease-youdao/Confucius-o1-14B']) {
      assert.equal(servesCompletions(model), false, model);
    }
    for (const model of ['Qwen/Qwen2.5-Coder-32B-Instruct', 'meta-llama/Llama-3.3-70B-Instruct', 'mistralai/Mistral-Large-Instruct-2411']) assert.equal(servesCompletions(model), true, model);
  });
});
