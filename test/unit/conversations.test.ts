import assert from 'node:assert/strict';
import { ConversationStore, newConversation, surroundingOf, type KeyValueStore } from '../../src/core/conversations';
import type { Turn } from '../../src/protocol/messages';

function memoryStore(): KeyValueStore {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: async (key, value) => {
      // Stored as JSON, as VS Code's Memento does: what survives a reload is what survives this.
      values.set(key, JSON.parse(JSON.stringify(value)));
    },
  };
}

describe('conversations: the surrounding code of an Explain', () => {
  const user: Turn = { id: 'u1', role: 'user', text: 'Explain this code.', status: 'done' };
  const surrounding = { before: 'const a = 1;', after: 'export {};' };

  it('is kept by the id of its user turn through the store (a reload), and found again', async () => {
    const store = new ConversationStore(memoryStore());
    await store.save({ ...newConversation('c1', 1), turns: [user], surroundings: { u1: surrounding } });
    const loaded = store.get('c1')!;
    assert.deepEqual(surroundingOf(loaded, 'u1'), surrounding);
    assert.equal(surroundingOf(loaded, 'other'), undefined);
    assert.equal(surroundingOf(loaded, undefined), undefined);
  });

  it('is undefined for a conversation without any, and for ids that are prototype keys', () => {
    const plain = { ...newConversation('c2', 1), turns: [user] };
    assert.equal(surroundingOf(plain, 'u1'), undefined);
    const withSome = { ...plain, surroundings: { u1: surrounding } };
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) assert.equal(surroundingOf(withSome, key), undefined, key);
  });
});
