import assert from 'node:assert/strict';
import type { CodeQuote, Turn } from '../../src/core/domain';
import { CHAT_SYSTEM_PROMPT, conversationMessages, fence, quoteHeading, surroundingLines, userMessageContent } from '../../src/core/prompts';

const quote = (startLine: number, endLine: number, code = 'x()'): CodeQuote => ({ uri: 'file:///a.ts', file: 'src/a.ts', language: 'typescript', startLine, endLine, code });

describe('prompts: what the model is sent', () => {
  it('a fence is longer than any backtick run inside the code, so quoted code cannot close it early', () => {
    assert.equal(fence('a', 'ts'), '```ts\na\n```');
    const withFence = 'before\n```\ninside\n````\nafter';
    const fenced = fence(withFence, 'md');
    assert.ok(fenced.startsWith('`````md\n') && fenced.endsWith('\n`````'), fenced);
  });

  it('the quote heading names the file, language and line or lines', () => {
    assert.equal(quoteHeading(quote(3, 3)), 'src/a.ts (typescript, line 3)');
    assert.equal(quoteHeading(quote(3, 9)), 'src/a.ts (typescript, lines 3–9)');
  });

  it('a question without a quote is sent as typed; with one, the code follows, and surroundings only when given', () => {
    assert.equal(userMessageContent('Why?'), 'Why?');
    const plain = userMessageContent('Explain', quote(1, 1));
    assert.ok(plain.includes('Code from src/a.ts (typescript, line 1):\n```typescript\nx()\n```'), plain);
    assert.ok(!plain.includes('For context'));
    const withAround = userMessageContent('Explain', quote(1, 1), { before: 'import y;', after: '' });
    assert.ok(withAround.includes('Before:\n```typescript\nimport y;\n```') && !withAround.includes('After:'), withAround);
  });

  it('the conversation: system prompt first, reasoning never sent back, unfinished answers keep what arrived, empty answers left out', () => {
    const turns: Turn[] = [
      { id: 'u1', role: 'user', text: 'q1', status: 'done', quote: quote(1, 1) },
      { id: 'a1', role: 'assistant', text: 'partial', reasoning: 'secret thoughts', status: 'stopped' },
      { id: 'u2', role: 'user', text: 'q2', status: 'done' },
      { id: 'a2', role: 'assistant', text: '', status: 'interrupted' },
      { id: 'u3', role: 'user', text: 'q3', status: 'done', quote: quote(5, 6) },
    ];
    const messages = conversationMessages(turns, { before: 'AROUND', after: '' });
    assert.deepEqual(messages[0], { role: 'system', content: CHAT_SYSTEM_PROMPT });
    assert.deepEqual(messages.map((m) => m.role), ['system', 'user', 'assistant', 'user', 'user']);
    assert.equal(messages[2].content, 'partial');
    assert.ok(messages.every((m) => !m.content.includes('secret thoughts')));
    assert.ok(!messages[1].content.includes('AROUND'), 'the surrounding code goes with the last question only');
    assert.ok(messages[4].content.includes('AROUND'));
  });

  it('surrounding lines: nearest first on both sides, whole lines, within the token budget', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line${String(i).padStart(2, '0')}`); // 6 chars + newline = 7
    assert.deepEqual(surroundingLines(lines, 10, 10, 7), { before: 'line07\nline08', after: 'line10' });
    assert.deepEqual(surroundingLines(lines, 1, 20, 100), { before: '', after: '' });
    const all = surroundingLines(lines, 10, 10, 1_000);
    assert.equal(all.before.split('\n').length, 9);
    assert.equal(all.after.split('\n').length, 10);
  });
});
