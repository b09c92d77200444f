import assert from 'node:assert/strict';
import { RequestError } from '../../src/core/errors';
import { contextSection, fitContext, referencesOf, type ContextPiece } from '../../src/core/context/contextPieces';
import { ConversationStore, type KeyValueStore } from '../../src/core/conversations';
import type { Attachment, Turn } from '../../src/core/domain';
import { describeModel, type ModelInfo } from '../../src/core/modelCatalog';
import { planChat, type PlanFacts } from '../../src/core/requestPlan';
import { done, harness, SETTINGS, text, type ScriptStep } from './chatSessionHarness';

const QWEN = 'Qwen/Qwen2.5-Coder-32B-Instruct';
const numbered = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => `const line${from + i} = ${from + i}; // code`).join('\n');
const filePiece = (path: string, lines: number, startLine = 1): ContextPiece => ({
  title: path,
  language: 'typescript',
  text: numbered(lines, startLine),
  source: { uri: `file:///w/${path}`, startLine },
});
const fileChip: Attachment = { id: 'c1', kind: 'file', label: 'a.ts', uri: 'file:///w/a.ts' };

function facts(contextTokens: number): PlanFacts {
  const info = (id: string): ModelInfo => ({ ...describeModel(id), contextTokens });
  return { settings: SETTINGS, modelInfo: info, chatModels: () => [info(QWEN)], isExhausted: () => false };
}
const question = (extra: Partial<Turn> = {}): Turn => ({ id: 'q', role: 'user', text: 'What does a.ts do?', status: 'done', ...extra });

describe('attachments: fitting into the window', () => {
  it('sends pieces whole while they fit, in order, and cites their exact lines', () => {
    const fitted = fitContext([filePiece('a.ts', 10), filePiece('b.ts', 5, 20)], 10_000, QWEN);
    assert.deepEqual(fitted.notes, []);
    assert.deepEqual(
      referencesOf(fitted.pieces).map((r) => [r.path, r.startLine, r.endLine]),
      [
        ['a.ts', 1, 10],
        ['b.ts', 20, 24],
      ],
    );
  });

  it('cuts a piece that does not fit at a whole line, says which lines went, and leaves out what has no room left', () => {
    const fitted = fitContext([filePiece('big.ts', 2_000), filePiece('after.ts', 50)], 1_000, QWEN);
    assert.equal(fitted.pieces.length, 1);
    const sent = fitted.pieces[0].text.split('\n');
    assert.ok(sent.length > 10 && sent.length < 2_000, `cut to ${sent.length} lines`);
    assert.equal(sent.at(-1), `const line${sent.length} = ${sent.length}; // code`, 'the cut falls between lines');
    assert.match(fitted.notes[0], new RegExp(`^big\\.ts: lines 1–${sent.length} of 2000 sent; the rest did not fit in ${QWEN.replace(/[./]/g, '\\$&')}'s context window\\.$`));
    assert.match(fitted.notes[1], /^after\.ts was left out: it did not fit/);
  });

  it('the section names each piece with its lines and fences its text so that backticks inside cannot close it', () => {
    const piece: ContextPiece = { title: 'doc.md', language: 'markdown', text: '```js\nx()\n```', source: { uri: 'file:///w/doc.md', startLine: 3 } };
    const section = contextSection([piece]);
    assert.match(section, /doc\.md \(lines 3–5\):\n````markdown\n```js\nx\(\)\n```\n````/);
    assert.equal(contextSection([]), '');
  });
});

describe('attachments: the request plan', () => {
  it('puts the attachments after the last question and lists them as references', () => {
    const { plan } = planChat(facts(32_000), { history: [question()], attachments: [filePiece('a.ts', 20)] });
    assert.ok(plan);
    const last = plan.request.messages.at(-1)?.content ?? '';
    assert.ok(last.startsWith('What does a.ts do?\n\nAttached for context'), last.slice(0, 80));
    assert.match(last, /a\.ts \(lines 1–20\):\n```typescript\nconst line1 = 1;/);
    assert.deepEqual(plan.references, [{ uri: 'file:///w/a.ts', path: 'a.ts', startLine: 1, endLine: 20 }]);
  });

  it('gives attachments at most half the window, so that a small model still answers and the note says what was cut', () => {
    const { plan } = planChat(facts(8_000), { history: [question()], attachments: [filePiece('huge.ts', 5_000)] });
    assert.ok(plan, 'the plan fits instead of failing as too long');
    assert.ok(plan.promptTokens <= 4_200, `prompt ${plan.promptTokens} tokens`);
    assert.ok(plan.request.maxOutputTokens >= 1_000);
    assert.match(plan.note ?? '', /huge\.ts: lines 1–\d+ of 5000 sent/);
    assert.ok(plan.references[0].endLine < 5_000);
  });

  it('an earlier question is sent without the attachments of its own turn (only the question being answered carries them)', () => {
    const history: Turn[] = [question({ id: 'q0', attachments: [fileChip] }), { id: 'a0', role: 'assistant', text: 'It adds.', status: 'done' }, question({ text: 'And b?' })];
    const { plan } = planChat(facts(32_000), { history, attachments: [filePiece('b.ts', 3)] });
    const users = plan?.request.messages.filter((m) => m.role === 'user').map((m) => m.content) ?? [];
    assert.equal(users[0], 'What does a.ts do?');
    assert.match(users[1], /^And b\?\n\nAttached for context[\s\S]*b\.ts \(lines 1–3\)/);
  });
});

const failOnce = (): ScriptStep => ({ type: 'throw', error: new RequestError('server', { status: 503 }) });

describe('attachments: the chat session', () => {
  it('reads the attachments once per answer (a retry reuses them), sends them, and the answer cites them', async () => {
    const h = harness();
    h.readAttachments = async (attachments, q) => {
      assert.deepEqual(attachments, [fileChip]);
      assert.equal(q, 'Explain a.ts');
      return { pieces: [filePiece('a.ts', 4)], notes: [] };
    };
    h.scripts.push([failOnce()], [text('It adds.'), done]);
    const turn = await h.session.ask('Explain a.ts', undefined, undefined, [fileChip]);
    assert.equal(turn.status, 'done');
    assert.equal(h.attachmentReads, 1);
    assert.equal(h.requests.length, 2);
    for (const request of h.requests) assert.match(request.messages.at(-1)?.content ?? '', /a\.ts \(lines 1–4\)/);
    assert.deepEqual(turn.references, [{ uri: 'file:///w/a.ts', path: 'a.ts', startLine: 1, endLine: 4 }]);
    assert.deepEqual(h.session.current.turns[0].attachments, [fileChip]);
  });

  it("a reader's notes (a refused or unreadable attachment) reach the answer's note; the question is still answered", async () => {
    const h = harness();
    h.readAttachments = async () => ({ pieces: [], notes: ['.env matches ioIntelligence.exclude: not sent.'] });
    h.scripts.push([text('ok'), done]);
    const turn = await h.session.ask('q', undefined, undefined, [fileChip]);
    assert.equal(turn.status, 'done');
    assert.match(turn.note ?? '', /\.env matches ioIntelligence\.exclude: not sent\./);
    assert.equal(turn.references, undefined);
  });

  it('a reader that throws costs the attachments, not the answer: a note says so and the error is logged', async () => {
    const h = harness();
    h.readAttachments = async () => {
      throw new Error('disk on fire');
    };
    h.scripts.push([text('ok'), done]);
    const turn = await h.session.ask('q', undefined, undefined, [fileChip]);
    assert.equal(turn.status, 'done');
    assert.match(turn.note ?? '', /could not be read/);
    assert.match(h.errors.join('\n'), /disk on fire/);
  });

  it('regenerate reads the attachments again (the file may have changed); a follow-up without chips reads the last ones again', async () => {
    const h = harness();
    let version = 0;
    h.readAttachments = async (attachments) => ({ pieces: attachments.map((a) => ({ ...filePiece(a.label, 1), text: `${a.label} version ${++version}` })), notes: [] });
    h.scripts.push([text('one'), done], [text('two'), done], [text('three'), done], [text('four'), done]);
    const first = await h.session.ask('q', undefined, undefined, [fileChip]);
    await h.session.regenerate(first.id);
    assert.match(h.requests[1].messages.at(-1)?.content ?? '', /a\.ts version 2/);
    const followUp = await h.session.ask('and line 40?');
    assert.match(h.requests[2].messages.at(-1)?.content ?? '', /^and line 40\?\n\nAttached for context[\s\S]*a\.ts version 3/);
    assert.equal(followUp.references?.[0]?.path, 'a.ts');
    assert.deepEqual(h.session.current.turns.at(-2)?.attachments, undefined, 'the follow-up itself has no chips');
    await h.session.ask('now b', undefined, undefined, [{ id: 'c2', kind: 'file', label: 'b.ts', uri: 'file:///w/b.ts' }]);
    assert.doesNotMatch(h.requests[3].messages.at(-1)?.content ?? '', /a\.ts version/, 'new chips replace the earlier ones');
  });

  it('a conversation that never attached anything reads nothing', async () => {
    const h = harness();
    h.scripts.push([text('one'), done]);
    await h.session.ask('plain');
    assert.equal(h.attachmentReads, 0);
    assert.doesNotMatch(h.requests[0].messages.at(-1)?.content ?? '', /Attached/);
  });

  it('attachments and references survive the store round trip; damaged entries are dropped, not the turn', () => {
    const values = new Map<string, unknown>();
    const kv: KeyValueStore = { get: <T>(key: string) => values.get(key) as T | undefined, update: async (key, value) => void values.set(key, value) };
    const user = { id: 'u', role: 'user', text: 'q', status: 'done', attachments: [fileChip, { id: 'x', kind: 'nope', label: 'bad' }, { id: 's', kind: 'selection', label: 'a.ts:2–3', uri: 'file:///w/a.ts', startLine: 3, endLine: 2 }] };
    const assistant = { id: 'a', role: 'assistant', text: 'a', status: 'done', references: [{ uri: 'file:///w/a.ts', path: 'a.ts', startLine: 1, endLine: 4 }, { uri: 1 }] };
    values.set('ioIntelligence.conversations', { version: 1, conversations: [{ id: 'c', title: 't', createdAt: 1, updatedAt: 1, turns: [user, assistant] }] });
    const [read] = new ConversationStore(kv).all();
    assert.deepEqual(read.turns[0].attachments, [fileChip, { id: 's', kind: 'selection', label: 'a.ts:2–3', uri: 'file:///w/a.ts' }]);
    assert.deepEqual(read.turns[1].references, [{ uri: 'file:///w/a.ts', path: 'a.ts', startLine: 1, endLine: 4 }]);
  });
});
