import assert from 'node:assert/strict';
import { StoredRecord, type RecordShape, type SetAsideEntry } from '../../src/core/storedRecord';
import { MemoryStore } from '../fixtures/memoryStore';

interface Notes {
  readonly notes: readonly string[];
}

const KEY = 'test.notes';
const SET_ASIDE = `${KEY}.setAside`;
const NOW = new Date('2026-05-18T10:00:00Z');

/** A shape with a history: version 0 was a bare list, version 1 a list under `items`, version 2 is `notes`. */
const SHAPE: RecordShape<Notes> = {
  key: KEY,
  version: 2,
  current: (record) => (Array.isArray(record.notes) ? { notes: record.notes.filter((n): n is string => typeof n === 'string') } : undefined),
  older: {
    0: (value) => (Array.isArray(value) ? { notes: value.map(String) } : undefined),
    1: (value) => {
      const items = (value as { items?: unknown }).items;
      return Array.isArray(items) ? { notes: items.map((i: { text?: unknown }) => String(i.text)) } : undefined;
    },
  },
  empty: () => ({ notes: [] }),
  what: 'the notes',
  consequence: 'the list starts empty',
};

describe('StoredRecord: read, migrate, or set aside', () => {
  it('migrates each older version to the current payload and writes the current version', async () => {
    for (const stored of [['a', 'b'], { version: 1, items: [{ text: 'a' }, { text: 'b' }] }, { version: 2, notes: ['a', 7, 'b'] }]) {
      const storage = new MemoryStore({ [KEY]: stored });
      const record = new StoredRecord(storage, SHAPE, () => NOW);
      assert.deepEqual(record.read(), { notes: ['a', 'b'] }, JSON.stringify(stored));
      await record.write(record.read());
      assert.deepEqual(storage.get(KEY), { version: 2, notes: ['a', 'b'] });
      assert.equal(record.takeNotice(), undefined);
    }
  });

  it('sets aside a value whose reader throws, rather than throwing', async () => {
    const throwing: RecordShape<Notes> = {
      ...SHAPE,
      current: () => {
        throw new Error('reader bug');
      },
    };
    const storage = new MemoryStore({ [KEY]: { version: 2, notes: [] } });
    const record = new StoredRecord(storage, throwing, () => NOW);
    assert.deepEqual(record.read(), { notes: [] });
    assert.match(record.takeNotice()!, /\(version 2, damaged\)/);
    await record.write({ notes: ['n'] });
    assert.deepEqual(storage.get<SetAsideEntry[]>(SET_ASIDE), [{ setAsideAt: NOW.toISOString(), found: 'version 2, damaged', value: { version: 2, notes: [] } }]);
  });

  it('keeps whatever already was under the set-aside key: a list is added to, anything else becomes its first entry', async () => {
    for (const before of [[{ setAsideAt: 'then', found: 'x', value: 1 }], 'something else']) {
      const storage = new MemoryStore({ [KEY]: { version: 3 }, [SET_ASIDE]: before });
      const record = new StoredRecord(storage, SHAPE, () => NOW);
      await record.write({ notes: [] });
      const entries = storage.get<unknown[]>(SET_ASIDE)!;
      assert.deepEqual(entries, [...(Array.isArray(before) ? before : [before]), { setAsideAt: NOW.toISOString(), found: 'version 3', value: { version: 3 } }]);
    }
  });

  it('a write without a read before it still sets aside what it would write over', async () => {
    const storage = new MemoryStore();
    const record = new StoredRecord(storage, SHAPE, () => NOW);
    record.read();
    await storage.update(KEY, { version: 5, notes: ['from a newer window'] }); // another window, between read and write
    await record.write({ notes: ['mine'] });
    assert.deepEqual(storage.get<SetAsideEntry[]>(SET_ASIDE)!.map((e) => e.value), [{ version: 5, notes: ['from a newer window'] }]);
    assert.deepEqual(storage.get(KEY), { version: 2, notes: ['mine'] });
    assert.ok(record.takeNotice());
  });

  it('a stored string never reaches the notice: only numbers and fixed words do', () => {
    const sneaky = '[click](command:workbench.action.openSettings)';
    for (const stored of [sneaky, { version: sneaky }, { [sneaky]: 1 }, [sneaky]]) {
      const record = new StoredRecord(new MemoryStore({ [KEY]: stored }), { ...SHAPE, older: {} }, () => NOW);
      record.read();
      const notice = record.takeNotice()!;
      assert.ok(notice && !notice.includes('command:') && !notice.includes('click'), notice);
    }
  });
});
