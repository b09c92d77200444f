import assert from 'node:assert/strict';
import { DEMO_OWNER, isDemoListing } from '../../src/core/modelCatalog';
import { conversationMessages, userMessageContent } from '../../src/core/prompts';
import { rewriteMessages } from '../../src/core/rewrite/rewritePrompt';
import type { CodeQuote } from '../../src/core/domain';
import { demoAnswer } from '../server/demoAnswers';
import type { ChatBody, ScriptedAnswer } from '../server/ioTestServer';

/** The demo endpoint of `npm start`, fed the prompts the extension really sends (src/core/prompts, rewritePrompt). */

const MATH = `export function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}`;
const QUOTE: CodeQuote = { uri: 'file:///w/src/math.ts', file: 'src/math.ts', language: 'typescript', startLine: 9, endLine: 11, code: MATH };

function streamed(answer: ScriptedAnswer): { content: string; reasoning: string } {
  assert.equal(answer.kind, 'stream');
  const steps = answer.kind === 'stream' ? answer.steps : [];
  const text = (type: 'content' | 'reasoning'): string => steps.map((s) => (s.type === type ? s.text : '')).join('');
  assert.deepEqual(steps.slice(-3).map((s) => s.type), ['finish', 'usage', 'done'], 'ends like the real API: finish, usage, [DONE]');
  return { content: text('content'), reasoning: text('reasoning') };
}

function ask(model: string, ...questions: { text: string; quote?: CodeQuote }[]): ChatBody {
  const turns = questions.flatMap((q, i) => [
    { id: `u${i}`, role: 'user' as const, text: q.text, quote: q.quote, status: 'done' as const, createdAt: i },
    ...(i < questions.length - 1 ? [{ id: `a${i}`, role: 'assistant' as const, text: 'An earlier answer.', status: 'done' as const, createdAt: i }] : []),
  ]);
  return { model, stream: true, messages: conversationMessages(turns) };
}

describe('demo endpoint answers (npm start)', () => {
  it('an explanation names the file, language, line count and the identifiers of the selected code', () => {
    const { content, reasoning } = streamed(demoAnswer(ask('Qwen/Qwen2.5-Coder-32B-Instruct', { text: 'Explain this code.', quote: QUOTE })));
    assert.match(content, /`src\/math\.ts`: 3 lines of typescript/);
    assert.match(content, /declares `clamp`/);
    assert.match(content, /uses .*`Math`/);
    assert.match(content, /`value`/);
    assert.match(content, /Demo endpoint/, 'says where the answer comes from');
    assert.equal(reasoning, '', 'a non-reasoning model shows no Thinking section');
  });

  it('counts lines as the editor numbers them: a selection ending with a line break has no extra line', () => {
    const quote = { ...QUOTE, code: `${MATH}\n` };
    const { content } = streamed(demoAnswer(ask('Qwen/Qwen2.5-Coder-32B-Instruct', { text: 'Explain this code.', quote })));
    assert.match(content, /3 lines of typescript/);
  });

  it('a follow-up quotes the question and refers to the code asked about earlier', () => {
    const body = ask('Qwen/Qwen2.5-Coder-32B-Instruct', { text: 'Explain this code.', quote: QUOTE }, { text: 'Can clamp overflow?' });
    const { content } = streamed(demoAnswer(body));
    assert.match(content, /You asked: “Can clamp overflow\?”/);
    assert.match(content, /1 earlier question/);
    assert.match(content, /about `src\/math\.ts` \(`clamp`\)/);
  });

  it('a reasoning model thinks first (reasoning_content), briefly and about the selection', () => {
    const { content, reasoning } = streamed(demoAnswer(ask('deepseek-ai/DeepSeek-R1', { text: 'Explain this code.', quote: QUOTE })));
    assert.match(reasoning, /3 lines of typescript from src\/math\.ts, declaring `clamp`/);
    assert.ok(reasoning.length < 300, 'a short Thinking section');
    assert.match(content, /declares `clamp`/);
  });

  it('a rewrite returns only the code, with a doc comment added above the function', () => {
    const messages = rewriteMessages({ instruction: 'Add documentation comments.', code: MATH, language: 'typescript', file: 'src/math.ts' });
    const { content } = streamed(demoAnswer({ model: 'Qwen/Qwen2.5-Coder-32B-Instruct', stream: true, messages }));
    assert.equal(content, ['/**', ' * clamp: takes value, min, max.', ' * @param value', ' * @param min', ' * @param max', ' */', MATH].join('\n'));
  });

  it('a rewrite keeps indentation and the file’s comment style, and says when it left the logic alone', () => {
    const code = '    def area(self, r):\n        return 3.14 * r * r';
    const messages = rewriteMessages({ instruction: 'Fix the bugs in this code.', code, language: 'python', file: 'geo.py' });
    const { content } = streamed(demoAnswer({ model: 'Qwen/Qwen2.5-Coder-32B-Instruct', stream: true, messages }));
    assert.equal(content, `    # area: takes r.\n    # Demo rewrite for “Fix the bugs in this code.”: the logic is unchanged.\n${code}`);
    assert.doesNotMatch(content, /```/, 'no fence: the rewrite prompt asks for code only');
  });

  it('a rewrite by a reasoning model keeps its reasoning out of the code', () => {
    const messages = rewriteMessages({ instruction: 'Add documentation comments.', code: MATH, language: 'typescript', file: 'src/math.ts' });
    const { content, reasoning } = streamed(demoAnswer({ model: 'deepseek-ai/DeepSeek-R1', stream: true, messages }));
    assert.match(reasoning, /return only the rewritten code/);
    assert.ok(content.endsWith(MATH) && !content.includes('I should'));
  });

  it('the quoted code is found in the user message the extension builds, surroundings and all', () => {
    const content = userMessageContent('Explain this code.', QUOTE, { before: 'const x = 1;', after: 'export const y = 2;' });
    const { content: answer } = streamed(demoAnswer({ model: 'm', stream: true, messages: [{ role: 'user', content }] }));
    assert.match(answer, /3 lines of typescript/);
    assert.doesNotMatch(answer, /`y`/, 'the surroundings are not explained as the selection');
  });
});

describe('demo endpoint detection', () => {
  it('is the demo only when every listed model carries the demo marker', () => {
    assert.equal(isDemoListing([{ id: 'a', maxModelLen: null, ownedBy: DEMO_OWNER }]), true);
    assert.equal(isDemoListing([{ id: 'a', maxModelLen: null, ownedBy: 'io-intelligence' }]), false);
    assert.equal(isDemoListing([{ id: 'a', maxModelLen: null }]), false, 'a local vLLM or Ollama lists no marker');
    assert.equal(isDemoListing([{ id: 'a', maxModelLen: null, ownedBy: DEMO_OWNER }, { id: 'b', maxModelLen: null, ownedBy: 'vllm' }]), false);
    assert.equal(isDemoListing([]), false);
    assert.equal(isDemoListing(undefined), false);
  });
});
