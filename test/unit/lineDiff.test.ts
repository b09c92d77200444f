import assert from 'node:assert/strict';
import { addedLines, lineDiff, removedNotes } from '../../src/core/rewrite/lineDiff';
import { ORIGINAL, REWRITTEN } from '../fixtures/rewriteScripts';

describe('lineDiff: the removed and added lines a pending edit shows', () => {
  it('a rewrite that folds five lines into one: one hunk, all five removed lines beside the new line', () => {
    const hunks = lineDiff(ORIGINAL, REWRITTEN);
    assert.deepEqual(hunks, [{ at: 1, added: 1, removed: ['  let total = 0;', '  for (const value of values) {', '    total += value;', '  }', '  return total / values.length;'] }]);
    assert.deepEqual(addedLines(hunks), [1]);
    assert.deepEqual(removedNotes(hunks, 2), [{ line: 1, lines: hunks[0].removed }]);
  });

  it('unchanged text has no hunks; CRLF and LF lines compare equal', () => {
    assert.deepEqual(lineDiff(ORIGINAL, ORIGINAL), []);
    assert.deepEqual(lineDiff(ORIGINAL.replace(/\n/g, '\r\n'), ORIGINAL), []);
  });

  it('pairs each changed line with the line it replaced, and keeps separate hunks apart', () => {
    const hunks = lineDiff('a\nb\nc\nd\ne', 'a\nB\nc\nd\nE\nF');
    assert.deepEqual(hunks, [
      { at: 1, added: 1, removed: ['b'] },
      { at: 4, added: 2, removed: ['e'] },
    ]);
    assert.deepEqual(removedNotes(hunks, 5), [
      { line: 1, lines: ['b'] },
      { line: 4, lines: ['e'] },
    ]);
    assert.deepEqual(addedLines(hunks), [1, 4, 5]);
  });

  it('a pure removal is shown on the line above it, or below it at the top; nothing past the last line', () => {
    assert.deepEqual(removedNotes(lineDiff('a\nb\nc', 'a\nc'), 1), [{ line: 0, lines: ['b'] }]);
    assert.deepEqual(removedNotes(lineDiff('x\na\nb', 'a\nb'), 1), [{ line: 0, lines: ['x'] }]);
    assert.deepEqual(removedNotes(lineDiff('a\nb\nc', 'a\nX\nY\nZ'), 1), [{ line: 1, lines: ['b', 'c'] }]);
  });

  it('while streaming, original lines the proposal has not reached are not reported as removed', () => {
    const partial = REWRITTEN.slice(0, REWRITTEN.indexOf('reduce'));
    const hunks = lineDiff(ORIGINAL, partial, true);
    assert.deepEqual(hunks, [{ at: 1, added: 1, removed: [] }]);
    // A hunk the stream has gone past is complete: its removed lines show.
    assert.deepEqual(lineDiff('a\nb\nc\nd', 'a\nB\nc\n', true), [{ at: 1, added: 1, removed: ['b'] }, { at: 3, added: 1, removed: [] }]);
  });

  it('a middle too large to compare line by line is one hunk (bounded work per streamed frame)', () => {
    const big = (tag: string) => Array.from({ length: 600 }, (_, i) => `${tag}${i}`).join('\n');
    const hunks = lineDiff(`head\n${big('a')}\ntail`, `head\n${big('b')}\ntail`);
    assert.equal(hunks.length, 1);
    assert.equal(hunks[0].added, 600);
    assert.equal(hunks[0].removed.length, 600);
  });
});
