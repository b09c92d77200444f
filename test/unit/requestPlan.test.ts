import assert from 'node:assert/strict';
import type { Turn } from '../../src/core/domain';
import { describeModel, type ModelInfo } from '../../src/core/modelCatalog';
import { chooseModel, planChat, planRewrite, trimSurrounding, type PlanFacts } from '../../src/core/requestPlan';
import { estimateMessagesTokens } from '../../src/core/tokens';
import { SETTINGS } from './chatSessionHarness';

const QWEN = 'Qwen/Qwen2.5-Coder-32B-Instruct';
const LLAMA = 'meta-llama/Llama-3.3-70B-Instruct';
const BIG = 'big/Model';

function facts(contexts: Record<string, number>, exhausted: string[] = [], settings = {}): PlanFacts {
  const info = (id: string): ModelInfo => ({ ...describeModel(id), contextTokens: contexts[id] ?? 8_000 });
  return {
    settings: { ...SETTINGS, ...settings },
    modelInfo: info,
    chatModels: () => Object.keys(contexts).map(info),
    isExhausted: (m) => exhausted.includes(m),
  };
}

let ids = 0;
const user = (text: string, extra: Partial<Turn> = {}): Turn => ({ id: `u${++ids}`, role: 'user', text, status: 'done', ...extra });
const answer = (text: string): Turn => ({ id: `a${++ids}`, role: 'assistant', text, status: 'done' });
const lines = (prefix: string, n: number): string => Array.from({ length: n }, (_, i) => `${prefix}${i} = compute(${i}); // some code`).join('\n');

describe('request plan: which model answers', () => {
  it('the requested model while its quota lasts', () => {
    assert.deepEqual(chooseModel(facts({}), QWEN), { requested: QWEN, model: QWEN });
  });

  it('the first fallback not spent today, with a note that says why', () => {
    const choice = chooseModel(facts({}, [QWEN, LLAMA], { fallbackModels: [LLAMA, BIG] }), QWEN);
    assert.equal(choice.model, BIG);
    assert.match(choice.note ?? '', /Answered by big\/Model: the daily quota of Qwen\/Qwen2\.5-Coder-32B-Instruct is spent/);
  });

  it('the requested model when every fallback is spent too (the server then says so)', () => {
    assert.equal(chooseModel(facts({}, [QWEN, LLAMA], { fallbackModels: [LLAMA] }), QWEN).model, QWEN);
  });
});

describe('request plan: chat', () => {
  it('sends the whole conversation when it fits, with the output budget the setting allows', () => {
    const { plan } = planChat(facts({ [QWEN]: 32_000 }), { history: [user('q1'), answer('a1'), user('q2')] });
    assert.ok(plan);
    assert.deepEqual(plan.request.messages.slice(1).map((m) => m.content), ['q1', 'a1', 'q2']);
    assert.equal(plan.request.maxOutputTokens, SETTINGS.maxOutputTokens);
    assert.equal(plan.request.temperature, SETTINGS.temperature);
    assert.equal(plan.note, undefined);
    assert.deepEqual(plan.leftOut, []);
  });

  it('leaves out the oldest turns to fit, says how many, keeps the question, never starts on an answer', () => {
    const long = 'x'.repeat(2_400);
    const history = [user(long), answer(long), user(long), answer(long), user('the question')];
    const { plan } = planChat(facts({ [QWEN]: 3_000 }), { history });
    assert.ok(plan);
    const sent = plan.request.messages.slice(1);
    assert.equal(sent.at(-1)?.content, 'the question');
    assert.equal(sent[0].role, 'user');
    assert.ok(sent.length < history.length);
    assert.match(plan.note ?? '', new RegExp(`${history.length - sent.length} older messages were left out`));
    assert.ok(plan.promptTokens + plan.request.maxOutputTokens <= plan.contextTokens);
  });

  it('is sized for the model that answers: a fallback with a smaller window gets less history', () => {
    const long = 'y'.repeat(3_000);
    const history = [user(long), answer(long), user(long), answer(long), user('q')];
    const roomy = planChat(facts({ [QWEN]: 32_000, [LLAMA]: 32_000 }), { history }).plan;
    const fallback = planChat(facts({ [QWEN]: 32_000, [LLAMA]: 3_000 }, [QWEN]), { history }).plan;
    assert.equal(roomy?.request.messages.length, history.length + 1);
    assert.equal(fallback?.model, LLAMA);
    assert.ok((fallback?.request.messages.length ?? 0) < history.length + 1, 'budgeted against the fallback, not the configured model');
  });

  it('trims an Explain\'s surrounding code to an eighth of a small window, nearest lines first', () => {
    const surrounding = { before: lines('before', 200), after: lines('after', 200) };
    const history = [user('Explain this code.', { quote: { uri: 'u', file: 'f.ts', language: 'ts', startLine: 201, endLine: 201, code: 'x()' } })];
    const small = planChat(facts({ [QWEN]: 4_000 }), { history, surrounding }).plan;
    const large = planChat(facts({ [QWEN]: 128_000 }), { history, surrounding }).plan;
    assert.ok(small && large);
    const question = (p: typeof small): string => p.request.messages.at(-1)?.content ?? '';
    assert.ok(question(small).length < question(large).length);
    assert.ok(estimateMessagesTokens([{ content: question(small) }]) < 4_000 / 8 + 200);
    assert.ok(question(small).includes('before199 ='), 'the line right above the selection stays');
    assert.ok(question(small).includes('after0 ='), 'the line right below the selection stays');
    assert.ok(!question(small).includes('before0 ='), 'the farthest line goes first');
  });

  it('leaves an Explain\'s surrounding code out before refusing, and says so', () => {
    const surrounding = { before: lines('before', 40), after: '' };
    const history = [user('w'.repeat(2_400), { quote: { uri: 'u', file: 'f.ts', language: 'ts', startLine: 41, endLine: 41, code: 'x()' } })];
    const { plan } = planChat(facts({ [QWEN]: 1_600 }, [], { maxOutputTokens: 256 }), { history, surrounding });
    assert.ok(plan, 'fits without the surrounding code');
    assert.ok(!(plan.request.messages.at(-1)?.content ?? '').includes('before39 ='));
    assert.match(plan.note ?? '', /code around the selection was left out/);
  });

  it('a request that does not fit even alone fails before sending, naming the smallest model it would fit', () => {
    const { error } = planChat(facts({ [QWEN]: 2_000, [LLAMA]: 128_000, [BIG]: 16_000 }), { history: [user('z'.repeat(12_000))] });
    assert.equal(error?.kind, 'contextTooLong');
    assert.equal(error?.details.suggestedModel, BIG);
    assert.equal(error?.details.model, QWEN);
  });

  it('after the server said "too long", plans for a share of the window and says the request was sent again', () => {
    const { plan } = planChat(facts({ [QWEN]: 10_000 }), { history: [user('q')], contextShare: 0.6 });
    assert.equal(plan?.contextTokens, 6_000);
    assert.match(plan?.note ?? '', /sent again with less history/);
  });
});

describe('request plan: rewrite', () => {
  it('uses the edit model, its context, the settings\' temperature, and a smaller surrounding cap than Explain', () => {
    const surrounding = { before: lines('b', 400), after: lines('a', 400) };
    const input = { instruction: 'Fix', code: 'x()', language: 'ts', file: 'f.ts', surrounding };
    const { plan } = planRewrite(facts({ [LLAMA]: 128_000 }, [], { editModel: LLAMA, temperature: 0.7 }), input);
    assert.ok(plan);
    assert.equal(plan.model, LLAMA);
    assert.equal(plan.request.temperature, 0.7);
    const prompt = plan.request.messages[1].content;
    assert.ok(estimateMessagesTokens([{ content: prompt }]) < 600 + 300, `surrounding capped (${prompt.length} chars)`);
    assert.ok(prompt.includes('b399 =') && prompt.includes('a0 ='));
  });

  it('falls back like the chat when the edit model\'s quota is spent, and says so', () => {
    const input = { instruction: 'Fix', code: 'x()', language: 'ts', file: 'f.ts' };
    const { plan } = planRewrite(facts({}, [QWEN], { editModel: QWEN, fallbackModels: [LLAMA] }), input);
    assert.equal(plan?.model, LLAMA);
    assert.equal(plan?.request.model, LLAMA);
    assert.match(plan?.note ?? '', /Answered by meta-llama/);
  });

  it('leaves the surrounding code out before refusing, and says so', () => {
    const code = 'c'.repeat(3_000);
    const input = { instruction: 'Fix', code, language: 'ts', file: 'f.ts', surrounding: { before: lines('b', 50), after: '' } };
    const { plan } = planRewrite(facts({ [QWEN]: 1_700 }, [], { maxOutputTokens: 256 }), input);
    assert.ok(plan, 'fits without the surrounding code');
    assert.ok(!plan.request.messages[1].content.includes('b49 ='));
    assert.match(plan.note ?? '', /code around the selection was left out/);
  });
});

describe('request plan: trimming surrounding code', () => {
  it('keeps the nearest whole lines on both sides within the budget', () => {
    const trimmed = trimSurrounding({ before: 'b1\nb2\nb3', after: 'a1\na2\na3' }, 4);
    assert.deepEqual(trimmed, { before: 'b2\nb3', after: 'a1\na2' });
  });

  it('handles one side empty', () => {
    assert.deepEqual(trimSurrounding({ before: '', after: 'a1\na2' }, 100), { before: '', after: 'a1\na2' });
    assert.deepEqual(trimSurrounding({ before: 'b1', after: '' }, 100), { before: 'b1', after: '' });
  });
});
