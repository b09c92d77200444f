import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { ConversationStore, newConversation, surroundingOf, titleFor, type Conversation } from '../../src/core/conversations';
import { ERROR_ACTIONS, TURN_ROLES, TURN_STATUSES } from '../../src/core/domain';
import { conversationMessages } from '../../src/core/prompts';
import type { SetAsideEntry } from '../../src/core/storedRecord';
import { toTurnView, type Turn } from '../../src/protocol/messages';
import { MemoryStore } from '../fixtures/memoryStore';
import { seededRandom, testSeed, type Random } from '../fixtures/random';

const KEY = 'ioIntelligence.conversations';
const SET_ASIDE = `${KEY}.setAside`;

/* eslint-disable @typescript-eslint/no-explicit-any -- the tests damage stored JSON of any shape on purpose */

const quote = { uri: 'file:///w/a.ts', file: 'a.ts', language: 'typescript', startLine: 3, endLine: 4, code: 'const a = 1;\nconst b = 2;' };
const question: Turn = { id: 'u1', role: 'user', text: 'Explain this code.', status: 'done', quote };
const answer: Turn = {
  id: 'a1',
  role: 'assistant',
  text: 'It declares two constants.',
  reasoning: 'Two lines.',
  status: 'interrupted',
  model: 'Qwen/Qwen2.5-Coder-32B-Instruct',
  note: 'Answered by a fallback.',
  usage: { promptTokens: 120, completionTokens: 8, estimated: false },
  error: { message: 'The connection dropped.', actions: ['retry', 'switchModel'] },
};
const full: Conversation = {
  id: 'c1',
  title: 'Explain this code. a.ts:3',
  createdAt: 1_000,
  updatedAt: 2_000,
  turns: [question, answer],
  surroundings: { u1: { before: 'import x;', after: 'export {};' } },
};
const plain: Conversation = { id: 'c2', title: 'hi', createdAt: 5, updatedAt: 6, turns: [{ id: 'u2', role: 'user', text: 'hi', status: 'done' }] };

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('conversations: the surrounding code of an Explain', () => {
  const user: Turn = { id: 'u1', role: 'user', text: 'Explain this code.', status: 'done' };
  const surrounding = { before: 'const a = 1;', after: 'export {};' };

  it('is kept by the id of its user turn through the store (a reload), and found again', async () => {
    const store = new ConversationStore(new MemoryStore());
    await store.save({ ...newConversation('c1', 1), turns: [user], surroundings: { u1: surrounding } });
    const loaded = store.get('c1')!;
    assert.deepEqual(surroundingOf(loaded, 'u1'), surrounding);
    assert.equal(surroundingOf(loaded, 'other'), undefined);
    assert.equal(surroundingOf(loaded, undefined), undefined);
  });

  it('is undefined for a conversation without any, and for ids that are prototype keys', () => {
    const plainOne = { ...newConversation('c2', 1), turns: [user] };
    assert.equal(surroundingOf(plainOne, 'u1'), undefined);
    const withSome = { ...plainOne, surroundings: { u1: surrounding } };
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) assert.equal(surroundingOf(withSome, key), undefined, key);
  });
});

describe('conversations: the stored shape is versioned', () => {
  it('saves { version: 1, conversations } and reads it back unchanged, every optional field included', async () => {
    const storage = new MemoryStore();
    const store = new ConversationStore(storage);
    await store.save(plain);
    await store.save(full);
    assert.deepEqual(storage.get(KEY), { version: 1, conversations: [full, plain] });
    const reloaded = new ConversationStore(storage);
    assert.deepEqual(reloaded.all(), [full, plain]);
    assert.deepEqual(reloaded.get('c1'), full);
    assert.deepEqual(reloaded.history(), [
      { id: 'c1', title: full.title, updatedAt: 2_000 },
      { id: 'c2', title: 'hi', updatedAt: 6 },
    ]);
    assert.equal(reloaded.takeNotice(), undefined);
    assert.equal(storage.get(SET_ASIDE), undefined);
  });

  it('an answer saved while it was still streaming reads back as interrupted: nothing streams after a reload', async () => {
    const storage = new MemoryStore();
    const streaming: Turn = { id: 'a9', role: 'assistant', text: 'half an ans', status: 'streaming', model: 'm' };
    await new ConversationStore(storage).save({ ...plain, id: 'c9', turns: [{ id: 'q9', role: 'user', text: 'q', status: 'done' }, streaming] });
    const turns = new ConversationStore(storage).get('c9')?.turns ?? [];
    assert.deepEqual(turns.map((t) => [t.text, t.status]), [['q', 'done'], ['half an ans', 'interrupted']]);
  });

  it('reads the bare array stored before versions ("version 0") as is, and writes version 1 on the next save', async () => {
    const storage = new MemoryStore({ [KEY]: [full, plain] });
    const store = new ConversationStore(storage);
    assert.deepEqual(store.all(), [full, plain]);
    assert.deepEqual(storage.writes, [], 'reading does not write');
    const next = { ...newConversation('c3', 9), turns: [{ id: 'u3', role: 'user', text: 'next', status: 'done' } as const] };
    await store.save(next);
    assert.deepEqual(storage.get(KEY), { version: 1, conversations: [next, full, plain] });
    assert.equal(store.takeNotice(), undefined, 'a migration is not news for the user');
    assert.equal(storage.get(SET_ASIDE), undefined);
  });
});

/** A damaged conversation (the first of two stored) and what reading makes of it: dropped, or repaired thus. */
interface Damage {
  readonly name: string;
  /** Damages the first of the stored conversations [full, plain]. */
  readonly damage: (stored: any[]) => void;
  /** What the first conversation reads as; undefined when it is dropped. */
  readonly expected: Conversation | undefined;
}

/** `full` with only this one of its turns left. */
const withTurn = (turn: Turn): Conversation => ({ ...full, turns: [turn] });
const DAMAGES: Damage[] = [
  // What the code relies on: the conversation goes.
  { name: 'conversation is a string', damage: (s) => (s[0] = 'not a conversation'), expected: undefined },
  { name: 'conversation is null', damage: (s) => (s[0] = null), expected: undefined },
  { name: 'conversation is an array', damage: (s) => (s[0] = [1, 2]), expected: undefined },
  { name: 'id missing', damage: ([c]) => delete c.id, expected: undefined },
  { name: 'id a number', damage: ([c]) => (c.id = 7), expected: undefined },
  { name: 'id empty', damage: ([c]) => (c.id = ''), expected: undefined },
  { name: 'id longer than the webview accepts (100)', damage: ([c]) => (c.id = 'x'.repeat(101)), expected: undefined },
  { name: 'turns missing', damage: ([c]) => delete c.turns, expected: undefined },
  { name: 'turns an object', damage: ([c]) => (c.turns = { 0: c.turns[0] }), expected: undefined },
  { name: 'turns null', damage: ([c]) => (c.turns = null), expected: undefined },
  { name: 'turns empty', damage: ([c]) => (c.turns = []), expected: undefined },
  { name: 'every turn broken', damage: ([c]) => c.turns.forEach((t: any) => delete t.text), expected: undefined },
  { name: 'same id as the next conversation (the first one stored wins)', damage: ([c]) => (c.id = 'c2'), expected: { ...full, id: 'c2' } },
  // A turn the code cannot use goes; the rest of the conversation stays.
  { name: 'a turn is a number', damage: ([c]) => (c.turns[0] = 5), expected: withTurn(answer) },
  { name: 'a turn without id', damage: ([c]) => delete c.turns[0].id, expected: withTurn(answer) },
  { name: 'a turn with an id that is a number', damage: ([c]) => (c.turns[0].id = 1), expected: withTurn(answer) },
  { name: 'a turn with an unknown role', damage: ([c]) => (c.turns[0].role = 'system'), expected: withTurn(answer) },
  { name: 'a turn without role', damage: ([c]) => delete c.turns[0].role, expected: withTurn(answer) },
  { name: 'a turn whose text is a number', damage: ([c]) => (c.turns[0].text = 42), expected: withTurn(answer) },
  { name: 'a turn whose text is null', damage: ([c]) => (c.turns[0].text = null), expected: withTurn(answer) },
  { name: 'a turn without text', damage: ([c]) => delete c.turns[1].text, expected: withTurn(question) },
  { name: 'two turns with one id (the first wins)', damage: ([c]) => (c.turns[1].id = 'u1'), expected: withTurn(question) },
  // Repaired: a status, a title, times.
  { name: 'an unknown status on an answer reads as interrupted', damage: ([c]) => (c.turns[1].status = 'queued'), expected: { ...full, turns: [question, { ...answer, status: 'interrupted' }] } },
  { name: 'a missing status on a question reads as done', damage: ([c]) => delete c.turns[0].status, expected: full },
  { name: 'a status that is a number on an answer', damage: ([c]) => (c.turns[1].status = 3), expected: { ...full, turns: [question, { ...answer, status: 'interrupted' }] } },
  { name: 'title missing: made from the turns', damage: ([c]) => delete c.title, expected: { ...full, title: titleFor(full.turns) } },
  { name: 'title a number: made from the turns', damage: ([c]) => (c.title = 3), expected: { ...full, title: titleFor(full.turns) } },
  { name: 'createdAt a string: taken from updatedAt', damage: ([c]) => (c.createdAt = 'yesterday'), expected: { ...full, createdAt: 2_000 } },
  { name: 'updatedAt missing: taken from createdAt', damage: ([c]) => delete c.updatedAt, expected: { ...full, updatedAt: 1_000 } },
  { name: 'both times missing: 0', damage: ([c]) => (delete c.createdAt, delete c.updatedAt), expected: { ...full, createdAt: 0, updatedAt: 0 } },
  // Optional fields that are wrong are left out.
  { name: 'a quote without code', damage: ([c]) => delete c.turns[0].quote.code, expected: { ...full, turns: [omit(question, 'quote'), answer] } },
  { name: 'a quote whose line is a string', damage: ([c]) => (c.turns[0].quote.startLine = '3'), expected: { ...full, turns: [omit(question, 'quote'), answer] } },
  { name: 'a quote that is a string', damage: ([c]) => (c.turns[0].quote = 'a.ts'), expected: { ...full, turns: [omit(question, 'quote'), answer] } },
  { name: 'reasoning, model and note that are not text', damage: ([c]) => Object.assign(c.turns[1], { reasoning: 1, model: null, note: {} }), expected: { ...full, turns: [question, omit(answer, 'reasoning', 'model', 'note')] } },
  { name: 'usage whose tokens are text', damage: ([c]) => (c.turns[1].usage.promptTokens = '120'), expected: { ...full, turns: [question, omit(answer, 'usage')] } },
  { name: 'usage without estimated', damage: ([c]) => delete c.turns[1].usage.estimated, expected: { ...full, turns: [question, omit(answer, 'usage')] } },
  { name: 'an error without message', damage: ([c]) => delete c.turns[1].error.message, expected: { ...full, turns: [question, omit(answer, 'error')] } },
  {
    name: 'an error with an unknown action keeps the known ones',
    damage: ([c]) => c.turns[1].error.actions.push('explode', 7, 'openSettings'),
    expected: { ...full, turns: [question, { ...answer, error: { message: answer.error!.message, actions: ['retry', 'switchModel', 'openSettings'] } }] },
  },
  { name: 'an error whose actions are not a list', damage: ([c]) => (c.turns[1].error.actions = 'retry'), expected: { ...full, turns: [question, { ...answer, error: { message: answer.error!.message, actions: [] } }] } },
  { name: 'surroundings that are a list', damage: ([c]) => (c.surroundings = ['a']), expected: omit(full, 'surroundings') },
  { name: 'a surrounding whose before is missing', damage: ([c]) => delete c.surroundings.u1.before, expected: omit(full, 'surroundings') },
  { name: 'fields nobody knows are left out', damage: ([c]) => Object.assign(c, { pinned: true }, { turns: [{ ...c.turns[0], extra: 1 }, c.turns[1]] }), expected: full },
];

function omit<T extends object>(value: T, ...keys: string[]): T {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k))) as T;
}

function damaged(damage: Damage): unknown[] {
  const conversations: any[] = clone([full, plain]);
  damage.damage(conversations);
  return conversations;
}

describe('conversations: damaged entries are repaired or dropped, never thrown on', () => {
  for (const format of ['version 1', 'legacy array'] as const) {
    for (const damage of DAMAGES) {
      it(`${format}: ${damage.name}`, async () => {
        const conversations = damaged(damage);
        const storage = new MemoryStore({ [KEY]: format === 'version 1' ? { version: 1, conversations } : conversations });
        const store = new ConversationStore(storage);
        assert.deepEqual(store.all(), damage.expected ? [damage.expected, plain].filter((c, i) => i === 0 || c.id !== damage.expected!.id) : [plain]);
        assert.equal(store.takeNotice(), undefined, 'a damaged entry is not a damaged record: nothing is set aside');
        // What was read is what is written: the repaired conversation survives a save and a reload unchanged.
        await store.save(plain);
        assert.deepEqual(new ConversationStore(storage).all(), [plain, ...(damage.expected && damage.expected.id !== 'c2' ? [damage.expected] : [])]);
        assert.equal(storage.get(SET_ASIDE), undefined);
      });
    }
  }
});

const UNREADABLE: { readonly stored: unknown; readonly found: string }[] = [
  { stored: { version: 99, conversations: [full] }, found: 'version 99' },
  { stored: { version: 2, chats: { c1: full } }, found: 'version 2' },
  { stored: 'a string', found: 'a string' },
  { stored: 17, found: 'a number' },
  { stored: true, found: 'a boolean' },
  { stored: null, found: 'null' },
  { stored: { conversations: [full] }, found: 'an object without a version' },
  { stored: { version: '1', conversations: [full] }, found: 'a version that is not a number' },
  { stored: { version: 1, conversations: 'all of them' }, found: 'version 1, damaged' },
  { stored: { version: 1 }, found: 'version 1, damaged' },
];

describe('conversations: an unknown version or garbage is set aside, not thrown on and not lost', () => {
  for (const { stored, found } of UNREADABLE) {
    it(`${JSON.stringify(stored).slice(0, 60)}: copied aside with the date, notice once, store empty and usable`, async () => {
      const storage = new MemoryStore({ [KEY]: stored });
      const store = new ConversationStore(storage);
      assert.equal(
        store.takeNotice(),
        `IO Intelligence: the saved conversations of this workspace were in a format this version cannot read (${found}). ` +
          `They were set aside, not deleted (kept under ${SET_ASIDE}); the chat history starts empty.`,
      );
      assert.equal(store.takeNotice(), undefined, 'once');
      assert.deepEqual(store.all(), []);
      assert.deepEqual(store.history(), []);
      assert.equal(store.get('c1'), undefined);
      assert.deepEqual(storage.get(KEY), stored, 'not written over by reading');

      await store.save(plain);
      const aside = storage.get<SetAsideEntry[]>(SET_ASIDE)!;
      assert.equal(aside.length, 1);
      assert.deepEqual(aside[0].value, stored);
      assert.equal(aside[0].found, found);
      assert.ok(Math.abs(Date.parse(aside[0].setAsideAt) - Date.now()) < 60_000, aside[0].setAsideAt);
      assert.ok(storage.writes.indexOf(SET_ASIDE) < storage.writes.indexOf(KEY), 'the copy is written before the key is written over');
      assert.deepEqual(storage.get(KEY), { version: 1, conversations: [plain] });
      assert.deepEqual(store.all(), [plain]);

      await store.save(full);
      assert.deepEqual(storage.get(SET_ASIDE), aside, 'later saves leave the copy alone');
      assert.deepEqual(storage.writes.filter((k) => k === SET_ASIDE).length, 1);
      assert.equal(store.takeNotice(), undefined);
      assert.equal(new ConversationStore(storage).takeNotice(), undefined, 'after the save, the next window reads version 1');
    });
  }

  it('a value that is read again and again before a save is copied once; the notice is given once per store', async () => {
    const storage = new MemoryStore({ [KEY]: { version: 99 } });
    const store = new ConversationStore(storage);
    for (let i = 0; i < 5; i++) store.all();
    await store.save(plain);
    assert.equal(storage.get<SetAsideEntry[]>(SET_ASIDE)!.length, 1);
    assert.equal(storage.writes.filter((k) => k === SET_ASIDE).length, 1);
    // Another store over the same data (a reload before any save) copies nothing twice.
    const again = new MemoryStore({ [KEY]: { version: 99 }, [SET_ASIDE]: storage.get(SET_ASIDE) });
    const reloaded = new ConversationStore(again);
    assert.ok(reloaded.takeNotice(), 'the data is still unreadable: the user is told again after a reload');
    await reloaded.save(plain);
    assert.equal(again.get<SetAsideEntry[]>(SET_ASIDE)!.length, 1);
  });

  it('newer data written again later (another version, another time) is added to the copies, never over them', async () => {
    const storage = new MemoryStore({ [KEY]: { version: 99, n: 1 } });
    const store = new ConversationStore(storage);
    assert.match(store.takeNotice()!, /\(version 99\)/);
    await store.save(plain);
    await storage.update(KEY, { version: 99, n: 2 });
    assert.deepEqual(store.all(), []);
    await store.save(full);
    assert.deepEqual(storage.get<SetAsideEntry[]>(SET_ASIDE)!.map((e) => e.value), [{ version: 99, n: 1 }, { version: 99, n: 2 }]);
    assert.deepEqual(storage.get(KEY), { version: 1, conversations: [full] });
    assert.equal(store.takeNotice(), undefined, 'the user was told once by this store');
  });

  it('when the copy cannot be written, the stored value is not written over (the save fails), and the next save copies it', async () => {
    const storage = new MemoryStore({ [KEY]: { version: 99 } });
    storage.failing.add(SET_ASIDE);
    const store = new ConversationStore(storage);
    await assert.rejects(store.save(plain), /storage refused/);
    assert.deepEqual(storage.get(KEY), { version: 99 });
    storage.failing.delete(SET_ASIDE);
    await store.save(plain);
    assert.deepEqual(storage.get<SetAsideEntry[]>(SET_ASIDE)!.map((e) => e.value), [{ version: 99 }]);
    assert.deepEqual(storage.get(KEY), { version: 1, conversations: [plain] });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Randomized: valid stored data, damaged at random (fields deleted, types changed, entries duplicated).

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)];

function randomTurn(random: Random, id: string, role: Turn['role']): Turn {
  const turn: Record<string, unknown> = { id, role, text: pick(random, ['', 'Explain this code.', 'It adds.', '```ts\nx\n```']), status: pick(random, TURN_STATUSES.filter((s) => s !== 'streaming')) };
  if (role === 'user' && random() < 0.4) turn.quote = { ...quote, startLine: 1 + Math.floor(random() * 50) };
  if (role === 'assistant') {
    if (random() < 0.5) turn.model = pick(random, ['m1', 'deepseek-ai/DeepSeek-R1-0528']);
    if (random() < 0.3) turn.reasoning = 'thinking';
    if (random() < 0.3) turn.note = 'a note';
    if (random() < 0.5) turn.usage = { promptTokens: Math.floor(random() * 1000), completionTokens: 3, estimated: random() < 0.5 };
    if (random() < 0.3) turn.error = { message: 'failed', actions: ERROR_ACTIONS.filter(() => random() < 0.4) };
  }
  return turn as unknown as Turn;
}

function randomConversations(random: Random): Conversation[] {
  return Array.from({ length: 1 + Math.floor(random() * 4) }, (_, c) => {
    const turns = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, t) => randomTurn(random, `t${c}-${t}`, t % 2 === 0 ? 'user' : 'assistant'));
    const conversation: Conversation = { id: `c${c}`, title: titleFor(turns), createdAt: c * 10, updatedAt: c * 10 + 5, turns };
    return random() < 0.4 ? { ...conversation, surroundings: { [turns[0].id]: { before: 'b', after: 'a' } } } : conversation;
  });
}

const JUNK: readonly unknown[] = [null, 0, -1, 1.5, '', 'text', true, false, [], {}, ['x'], { id: 'x' }, 'x'.repeat(150), JSON.parse('{"__proto__":{"polluted":true}}')];

/** Every (container, key) in the tree under holder.root, the root included. */
function slots(holder: { root: unknown }): [any, string | number][] {
  const found: [any, string | number][] = [[holder, 'root']];
  const walk = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      found.push([value, Array.isArray(value) ? Number(k) : k]);
      walk(v);
    }
  };
  walk(holder.root);
  return found;
}

function changeType(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.length;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return { ...value };
  if (value && typeof value === 'object') return Object.values(value);
  return 'null';
}

function mutate(random: Random, holder: { root: unknown }): string {
  const all = slots(holder);
  // The root itself is damaged now and then; the conversations inside it far more often.
  const [parent, key] = random() < 0.03 ? all[0] : all[1 + Math.floor(random() * (all.length - 1))] ?? all[0];
  const kind = pick(random, ['delete', 'junk', 'type', 'duplicate'] as const);
  if (kind === 'delete' && parent !== holder) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (kind === 'duplicate' && Array.isArray(parent)) {
    parent.push(clone(parent[key as number]));
  } else if (kind === 'type') {
    parent[key] = changeType(parent[key]);
  } else {
    parent[key] = clone(pick(random, JUNK));
  }
  return `${kind} ${String(key)}`;
}

const TURN_KEYS = new Set(['id', 'role', 'text', 'reasoning', 'quote', 'status', 'model', 'note', 'usage', 'error']);
const CONVERSATION_KEYS = new Set(['id', 'title', 'createdAt', 'updatedAt', 'turns', 'surroundings']);

/** What the code relies on of every conversation it gets from the store. */
function assertUsable(conversations: readonly Conversation[], where: string): void {
  assert.equal(Array.isArray(conversations), true, where);
  assert.equal(new Set(conversations.map((c) => c.id)).size, conversations.length, `${where}: conversation ids unique`);
  for (const c of conversations) {
    const at = `${where}, conversation ${String(c.id)}`;
    assert.ok(Object.keys(c).every((k) => CONVERSATION_KEYS.has(k)), at);
    assert.ok(typeof c.id === 'string' && c.id.length > 0 && c.id.length <= 100, at);
    assert.equal(typeof c.title, 'string', at);
    assert.ok(Number.isFinite(c.createdAt) && Number.isFinite(c.updatedAt), at);
    assert.equal(Array.isArray(c.turns) && c.turns.length > 0, true, at);
    assert.equal(new Set(c.turns.map((t) => t.id)).size, c.turns.length, `${at}: turn ids unique`);
    for (const t of c.turns) {
      assert.ok(Object.entries(t).every(([k, v]) => TURN_KEYS.has(k) && v !== undefined), at);
      assert.ok(typeof t.id === 'string' && t.id.length > 0 && t.id.length <= 100, at);
      assert.ok(TURN_ROLES.includes(t.role) && TURN_STATUSES.includes(t.status) && t.status !== 'streaming' && typeof t.text === 'string', at);
      for (const field of ['reasoning', 'model', 'note'] as const) assert.ok(t[field] === undefined || typeof t[field] === 'string', at);
      if (t.quote) {
        const q = t.quote;
        assert.ok([q.uri, q.file, q.language, q.code].every((s) => typeof s === 'string') && Number.isFinite(q.startLine) && Number.isFinite(q.endLine), at);
      }
      if (t.usage) assert.ok(Number.isFinite(t.usage.promptTokens) && Number.isFinite(t.usage.completionTokens) && typeof t.usage.estimated === 'boolean', at);
      if (t.error) assert.ok(typeof t.error.message === 'string' && Array.isArray(t.error.actions) && t.error.actions.every((a) => ERROR_ACTIONS.includes(a)), at);
    }
    if (c.surroundings !== undefined) {
      assert.equal(typeof c.surroundings === 'object' && c.surroundings !== null && !Array.isArray(c.surroundings), true, at);
      for (const s of Object.values(c.surroundings)) assert.ok(typeof s.before === 'string' && typeof s.after === 'string', at);
    }
    // And what the code does with them does not throw.
    titleFor(c.turns);
    for (const view of c.turns.map(toTurnView)) assert.ok(view.error?.actions.every((a) => typeof a.label === 'string') ?? true, at);
    conversationMessages(c.turns, surroundingOf(c, c.turns[c.turns.length - 1].id));
  }
}

describe('conversations: randomly damaged stored data', () => {
  it('never throws, and every conversation read satisfies what the code relies on', async function () {
    this.timeout(30_000); // about half a second alone, several times that on a busy machine
    const seed = testSeed(20260518);
    console.log(`      seed ${seed} (IOI_TEST_SEED to replay)`);
    const random = seededRandom(seed);
    const outcomes = { intact: 0, repaired: 0, dropped: 0, setAside: 0 };
    for (let round = 0; round < 1000; round++) {
      const original = randomConversations(random);
      const legacy = random() < 0.25;
      const holder = { root: clone(legacy ? original : { version: 1, conversations: original }) as unknown };
      const steps = Array.from({ length: 1 + Math.floor(random() * 3) }, () => mutate(random, holder));
      const where = `round ${round} (${legacy ? 'legacy' : 'v1'}; ${steps.join(', ')})`;
      const storage = new MemoryStore({ [KEY]: holder.root });

      let store: ConversationStore | undefined;
      let read: Conversation[] = [];
      assert.doesNotThrow(() => {
        store = new ConversationStore(storage);
        read = store.all();
        store.history();
      }, where);
      assertUsable(read, where);

      const root = storage.get<any>(KEY);
      const container = Array.isArray(root) ? root : root && typeof root === 'object' && root.version === 1 ? root.conversations : undefined;
      const notice = store!.takeNotice();
      if (Array.isArray(container)) {
        assert.equal(notice, undefined, `${where}: a readable record is never set aside`);
        assert.ok(read.length <= container.length, `${where}: no conversation is invented`);
        if (read.length < original.length) outcomes.dropped++;
        else if (isDeepStrictEqual(read, original)) outcomes.intact++;
        else outcomes.repaired++;
      } else {
        assert.ok(notice, `${where}: what is set aside is told`);
        assert.deepEqual(read, [], where);
        outcomes.setAside++;
      }

      // What was read is saved and read back unchanged, as version 1; whatever was set aside is kept.
      const saved = { ...newConversation('fresh', 1), turns: [{ id: 'f1', role: 'user', text: 'new', status: 'done' } as const] };
      await store!.save(saved);
      const after = new ConversationStore(storage);
      assert.deepEqual(after.all(), [saved, ...read], where);
      assert.equal(after.takeNotice(), undefined, where);
      if (notice) assert.deepEqual(storage.get<SetAsideEntry[]>(SET_ASIDE)!.at(-1)!.value, root, where);
      else assert.equal(storage.get(SET_ASIDE), undefined, where);
    }
    console.log(`      outcomes ${JSON.stringify(outcomes)}`);
    for (const [outcome, count] of Object.entries(outcomes)) assert.ok(count >= 10, `the damage produced too few "${outcome}" cases to trust the test (${count})`);
  });
});

describe('conversation export to markdown', () => {
  it('has the title, who said what, and quoted code in a fence the code cannot close', async () => {
    const { conversationMarkdown } = await import('../../src/core/conversations');
    const markdown = conversationMarkdown({
      id: 'c', title: 'Explain average', createdAt: 0, updatedAt: Date.UTC(2026, 11, 4, 18, 30), turns: [
        { id: 'u', role: 'user', text: 'Explain this', status: 'done', quote: { file: 'src/a.ts', language: 'ts', startLine: 1, endLine: 2, code: 'const s = "```";\n', uri: 'file:///a.ts' } },
        { id: 'a', role: 'assistant', text: 'It sets **s**.', status: 'done', model: 'Qwen/Qwen2.5-Coder-32B-Instruct' },
      ],
    });
    assert.equal(markdown, [
      '# Explain average', '', '_2026-12-04 18:30 UTC_', '', '## You', '', 'Explain this', '', 'src/a.ts · lines 1–2', '',
      '````ts', 'const s = "```";', '````', '', '## Qwen/Qwen2.5-Coder-32B-Instruct', '', 'It sets **s**.', '',
    ].join('\n'));
  });
});
