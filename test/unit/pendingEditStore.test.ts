import assert from 'node:assert/strict';
import { locate } from '../../src/rewrite/pendingEditStore';

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
