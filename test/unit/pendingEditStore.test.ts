import assert from 'node:assert/strict';
import type { SetAsideEntry } from '../../src/core/storedRecord';
import { locate, PendingEditStore } from '../../src/rewrite/pendingEditStore';
import { MemoryStore } from '../fixtures/memoryStore';

describe('locate: finding a stored pending edit again after a reload', () => {
  const snapshot = { uri: 'file:///a.ts', start: 4, original: 'old\n', shown: 'new\n', model: 'm', incomplete: false };

  it('finds the proposal where it was, or where it moved when it occurs once', () => {
    assert.equal(locate(snapshot, 'abc\nnew\nz'), 4);
    assert.equal(locate(snapshot, 'moved\nabc\nnew\nz'), 10);
  });

  it('offers nothing when the proposal is gone, occurs twice, or is empty (it would match anywhere)', () => {
    assert.equal(locate(snapshot, 'abc\nold\n'), undefined);
    assert.equal(locate(snapshot, 'new\nxx\nnew\n'), undefined);
    assert.equal(locate({ ...snapshot, shown: '' }, 'anything at all'), undefined);
  });
});

describe('PendingEditStore: the stored shape is versioned', () => {
  const KEY = 'ioIntelligence.pendingEdits';
  const SET_ASIDE = `${KEY}.setAside`;
  const edit = { uri: 'file:///a.ts', start: 4, original: 'old\n', shown: 'new\n', model: 'm', incomplete: false };
  const other = { ...edit, uri: 'file:///b.ts' };

  it('stores { version: 1, edits }, reads it back, and removes the key when the last edit goes', async () => {
    const storage = new MemoryStore();
    const store = new PendingEditStore(storage);
    await store.put(edit);
    await store.put(other);
    assert.deepEqual(storage.get(KEY), { version: 1, edits: [edit, other] });
    assert.deepEqual(new PendingEditStore(storage).all(), [edit, other]);
    await store.remove(edit.uri);
    await store.remove(other.uri);
    assert.equal(storage.values.has(KEY), false);
  });

  it('drops a stored edit that lacks what restoring it needs, keeps the others', () => {
    const broken = [{ ...edit, start: '4' }, { ...edit, shown: undefined }, null, 'edit', { ...edit, incomplete: 'no' }];
    const store = new PendingEditStore(new MemoryStore({ [KEY]: { version: 1, edits: [...broken, other] } }));
    assert.deepEqual(store.all(), [other]);
    assert.equal(store.takeNotice(), undefined);
  });

  for (const { stored, found } of [
    { stored: { version: 99, edits: 'garbage' }, found: 'version 99' },
    { stored: { version: 2, edits: [edit] }, found: 'version 2' },
    { stored: [edit], found: 'a list of unknown shape' },
    { stored: { edits: [edit] }, found: 'an object without a version' },
    { stored: { version: 1, edits: 'garbage' }, found: 'version 1, damaged' },
  ]) {
    it(`${JSON.stringify(stored).slice(0, 50)}: set aside, told once, nothing offered, never written over`, async () => {
      const storage = new MemoryStore({ [KEY]: stored });
      const store = new PendingEditStore(storage);
      assert.equal(
        store.takeNotice(),
        `IO Intelligence: the pending edits of this workspace were in a format this version cannot read (${found}). ` +
          `They were set aside, not deleted (kept under ${SET_ASIDE}); edits pending before the reload are not offered again.`,
      );
      assert.equal(store.takeNotice(), undefined);
      assert.deepEqual(store.all(), []);
      await store.remove(edit.uri);
      assert.deepEqual(storage.get(KEY), stored, 'nothing to remove: nothing written');
      await store.put(other);
      assert.deepEqual(storage.get<SetAsideEntry[]>(SET_ASIDE)!.map((e) => [e.found, e.value]), [[found, stored]]);
      assert.deepEqual(storage.get(KEY), { version: 1, edits: [other] });
      await store.remove(other.uri);
      assert.equal(storage.get<SetAsideEntry[]>(SET_ASIDE)!.length, 1);
    });
  }
});
