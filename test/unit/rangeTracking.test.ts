import assert from 'node:assert/strict';
import { isOwnEdit, moveRange, type TextChange } from '../../src/core/rewrite/rangeTracking';
import { seededRandom } from '../fixtures/random';

/** Applies one event's changes (all in before-coordinates) to a text, as an editor does. */
function apply(text: string, changes: readonly TextChange[]): string {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.offset - a.offset)) out = out.slice(0, c.offset) + c.text + out.slice(c.offset + c.length);
  return out;
}


describe('moveRange: where a pending range is after the user edits', () => {
  const range = { start: 10, end: 20 };

  it('shifts with changes before it (an insertion at its start included) and ignores changes after it (one at its end included)', () => {
    assert.deepEqual(moveRange(range, [{ offset: 2, length: 0, text: 'abc' }]), { range: { start: 13, end: 23 }, touched: false });
    assert.deepEqual(moveRange(range, [{ offset: 10, length: 0, text: 'ab' }]), { range: { start: 12, end: 22 }, touched: false });
    assert.deepEqual(moveRange(range, [{ offset: 4, length: 6, text: '' }]), { range: { start: 4, end: 14 }, touched: false });
    assert.deepEqual(moveRange(range, [{ offset: 20, length: 0, text: 'zz' }]), { range, touched: false });
    assert.deepEqual(moveRange(range, [{ offset: 25, length: 3, text: '' }]), { range, touched: false });
  });

  it('grows to cover a change inside or across its edges', () => {
    assert.deepEqual(moveRange(range, [{ offset: 15, length: 0, text: 'X' }]), { range: { start: 10, end: 21 }, touched: true });
    assert.deepEqual(moveRange(range, [{ offset: 8, length: 4, text: '' }]), { range: { start: 8, end: 16 }, touched: true });
    assert.deepEqual(moveRange(range, [{ offset: 18, length: 5, text: 'abc' }]), { range: { start: 10, end: 21 }, touched: true });
  });

  it('handles several changes of one event (multi-cursor), all in before-coordinates', () => {
    const changes = [
      { offset: 30, length: 0, text: 'after' },
      { offset: 15, length: 1, text: 'YY' },
      { offset: 0, length: 0, text: 'before' },
    ];
    assert.deepEqual(moveRange(range, changes), { range: { start: 16, end: 27 }, touched: true });
  });

  it('randomized (seed 7): text outside the range is always the user-edited outside text, and the range holds the rest', () => {
    const next = seededRandom(7);
    for (let round = 0; round < 2_000; round++) {
      const before = 'a'.repeat(Math.floor(next() * 20));
      const inside = 'R'.repeat(1 + Math.floor(next() * 20));
      const after = 'z'.repeat(Math.floor(next() * 20));
      const text = before + inside + after;
      const r = { start: before.length, end: before.length + inside.length };
      const changes: TextChange[] = [];
      let cursor = text.length;
      while (cursor > 0 && changes.length < 3) {
        const offset = Math.floor(next() * cursor);
        const length = Math.floor(next() * Math.min(4, cursor - offset));
        changes.push({ offset, length, text: next() < 0.5 ? '' : 'n'.repeat(1 + Math.floor(next() * 3)) });
        cursor = offset - 1;
      }
      const edited = apply(text, changes);
      const moved = moveRange(r, changes);
      const beforeNow = edited.slice(0, moved.range.start);
      const afterNow = edited.slice(moved.range.end);
      assert.ok(/^[an]*$/.test(beforeNow), `round ${round}: only user text before the range`);
      assert.ok(/^[zn]*$/.test(afterNow), `round ${round}: only user text after the range`);
      if (!moved.touched) assert.equal(edited.slice(moved.range.start, moved.range.end), inside, `round ${round}: range text unchanged`);
    }
  });
});

describe('isOwnEdit: recognising the edit we applied', () => {
  const edit = { offset: 100, length: 5, before: 'hello', text: 'help me' };

  it('accepts the literal change and a smaller diff the editor may report for it', () => {
    assert.equal(isOwnEdit(edit, [{ offset: 100, length: 5, text: 'help me' }]), true);
    assert.equal(isOwnEdit(edit, [{ offset: 103, length: 2, text: 'p me' }]), true);
  });

  it('rejects a change elsewhere, a different text, or no change at all', () => {
    assert.equal(isOwnEdit(edit, [{ offset: 10, length: 0, text: 'help me' }]), false);
    assert.equal(isOwnEdit(edit, [{ offset: 100, length: 5, text: 'help us' }]), false);
    assert.equal(isOwnEdit(edit, [{ offset: 100, length: 6, text: 'help me' }]), false);
    assert.equal(isOwnEdit(edit, []), false);
  });

  it('an append is recognised only at the end of the range', () => {
    const append = { offset: 50, length: 0, before: '', text: 'abc' };
    assert.equal(isOwnEdit(append, [{ offset: 50, length: 0, text: 'abc' }]), true);
    assert.equal(isOwnEdit(append, [{ offset: 49, length: 0, text: 'abc' }]), false);
  });
});

describe('sensitiveWriteReason: files where a model write needs a yes', () => {
  it('names configuration that runs code, secrets and git internals, in any case', async () => {
    const { sensitiveWriteReason } = await import('../../src/core/rewrite/sensitivePaths');
    for (const file of ['.vscode/tasks.json', '.VSCode/launch.json', '.env', '.env.local', 'sub/.env.production', '.git/config', 'a.code-workspace', '.github/workflows/ci.yml', '.devcontainer/devcontainer.json', '.npmrc', 'pkg/.netrc']) {
      assert.ok(sensitiveWriteReason(file), file);
    }
    for (const file of ['src/app.ts', 'environment.ts', '.github/README.md', 'docs/vscode/notes.md', 'gitignore.txt']) assert.equal(sensitiveWriteReason(file), undefined, file);
  });
});

describe('shrinkChanges: whole-document changes move a range only by what really changed', () => {
  it('a revert or reload reported over the whole document leaves a range it did not change untouched', async () => {
    const { shrinkChanges: shrink } = await import('../../src/core/rewrite/rangeTracking');
    const before = 'const x = a + b;\nconst y = 2;\n';
    const range = { start: 10, end: 15 }; // "a + b"
    // VS Code reverts the file: one change over the whole second line, whose text differs only in "2" → "3".
    const whole: TextChange = { offset: 0, length: before.length, text: 'const x = a + b;\nconst y = 3;\n' };
    assert.deepEqual(moveRange(range, shrink([whole], before)), { range, touched: false });
    assert.deepEqual(moveRange(range, [whole]).touched, true, 'without shrinking, the range would swallow the document');
  });

  it('drops changes that change nothing and keeps real ones minimal (randomized, seed 11)', async () => {
    const { shrinkChanges: shrink } = await import('../../src/core/rewrite/rangeTracking');
    const next = seededRandom(11);
    for (let round = 0; round < 2_000; round++) {
      const before = Array.from({ length: 30 }, () => 'ab\n'[Math.floor(next() * 3)]).join('');
      const offset = Math.floor(next() * before.length);
      const length = Math.floor(next() * (before.length - offset));
      const text = before.slice(offset, offset + length).replace(/a/g, () => (next() < 0.2 ? 'b' : 'a'));
      const change = { offset, length, text };
      const shrunk = shrink([change], before);
      assert.equal(apply(before, shrunk), apply(before, [change]), `round ${round}: the same result`);
      for (const c of shrunk) assert.ok(c.length + c.text.length <= length + text.length, `round ${round}: not larger`);
      if (text === before.slice(offset, offset + length)) assert.deepEqual(shrunk, [], `round ${round}: a no-op disappears`);
    }
  });
});
