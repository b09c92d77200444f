import assert from 'node:assert/strict';
import { fitHistory, MIN_USEFUL_OUTPUT_TOKENS, outputBudget, SAFETY_MARGIN_TOKENS } from '../../src/core/budget';
import { describeModel } from '../../src/core/modelCatalog';
import { SEED_MODELS } from '../../src/core/modelTable';
import type { ChatMessage } from '../../src/core/streamEvents';
import { estimateMessagesTokens, estimateTokens } from '../../src/core/tokens';

const system: ChatMessage = { role: 'system', content: 'You are a helpful assistant.' };

function history(turns: number, charsPerTurn: number): ChatMessage[] {
  const out: ChatMessage[] = [system];
  for (let i = 0; i < turns; i++) out.push({ role: i % 2 ? 'assistant' : 'user', content: `${i}:`.padEnd(charsPerTurn, 'x') });
  if (out[out.length - 1].role === 'assistant') out.push({ role: 'user', content: 'and now?' });
  return out;
}

describe('context budgeting', () => {
  const contexts = [...new Set(SEED_MODELS.filter((m) => m.kind === 'chat').map((m) => describeModel(m.id).contextTokens))].sort((a, b) => a - b);

  it('covers every context length of the seed table (4K to 512K, and the 8K default)', () => {
    assert.deepEqual(contexts, [4_000, 8_000, 16_000, 32_000, 128_000, 430_000, 512_000]);
  });

  for (const context of contexts) {
    it(`at ${context.toLocaleString('en')} tokens: prompt + output + margin never exceed the window; oldest history goes first`, () => {
      const messages = history(400, 2_000); // ~270K tokens of history: more than most windows hold
      const fitted = fitHistory(messages, context, 4_096);
      assert.ok(fitted.budget, 'a useful answer fits');
      const prompt = estimateMessagesTokens(fitted.messages);
      assert.ok(prompt + fitted.budget.maxOutputTokens + SAFETY_MARGIN_TOKENS <= context);
      assert.equal(fitted.messages[0], system, 'the system message stays');
      assert.equal(fitted.messages.at(-1)?.content, 'and now?', 'the newest question stays');
      assert.equal(fitted.messages[1].role, 'user', 'history never starts with an answer');
      assert.deepEqual(fitted.messages.slice(1), messages.slice(messages.length - fitted.messages.length + 1), 'what stays is the newest part, in order');
      assert.equal(fitted.budget.maxOutputTokens, Math.min(4_096, context - prompt - SAFETY_MARGIN_TOKENS));
    });
  }

  it('when even the newest question does not fit, there is no budget (and no request is sent)', () => {
    const huge: ChatMessage[] = [system, { role: 'user', content: 'x'.repeat(20_000) }];
    assert.equal(outputBudget(4_000, huge, 4_096), undefined);
    assert.equal(fitHistory(huge, 4_000, 4_096).budget, undefined);
    assert.ok(outputBudget(32_000, huge, 4_096));
  });

  it('never starts the history on a tool result: the call it answers would be missing', () => {
    const call = { id: 'c1', name: 'read_file', arguments: '{"path":"src/a.ts"}' };
    const messages: ChatMessage[] = [
      system,
      { role: 'user', content: 'x'.repeat(7_500) },
      { role: 'assistant', content: '', toolCalls: [call] },
      { role: 'tool', toolCallId: 'c1', content: 'y'.repeat(300) },
      { role: 'user', content: 'And then?' },
    ];
    const fitted = fitHistory(messages, 3_000, 1_000);
    assert.deepEqual(fitted.messages.map((m) => m.role), ['system', 'user']);
    assert.equal(fitted.dropped, 3);
  });

  it('counts the calls an assistant message made, not only its words', () => {
    const call = { id: 'c1', name: 'search', arguments: JSON.stringify({ query: 'q'.repeat(300) }) };
    assert.ok(estimateMessagesTokens([{ content: '', toolCalls: [call] }]) > estimateMessagesTokens([{ content: '' }]) + 100);
  });

  it('estimates conservatively: three characters a token, plus a per-message overhead', () => {
    assert.equal(estimateTokens('abcdef'), 2);
    assert.ok(estimateMessagesTokens([{ content: '' }]) > 0);
    assert.equal(MIN_USEFUL_OUTPUT_TOKENS, 256);
  });
});
