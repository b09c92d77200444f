import assert from 'node:assert/strict';
import { reciprocalRankFusion } from '../../src/core/context/rankFusion';

const same = (item: string) => item;

describe('@codebase: reciprocal rank fusion of keyword and semantic results', () => {
  it('an item both lists found rises above items only one list put first', () => {
    assert.deepEqual(reciprocalRankFusion([['a', 'b', 'c'], ['d', 'e', 'c']], same), ['c', 'a', 'd', 'b', 'e']);
  });

  it('ties keep the first list’s order, then the next list’s', () => {
    assert.deepEqual(reciprocalRankFusion([['a', 'b'], ['x', 'y']], same), ['a', 'x', 'b', 'y']);
    assert.deepEqual(reciprocalRankFusion([['a', 'b']], same), ['a', 'b']);
  });

  it('a small k lets a first rank outweigh agreement lower down', () => {
    const lists = [['a', 'b', 'c', 'd'], ['x', 'y', 'z', 'd']];
    assert.equal(reciprocalRankFusion(lists, same)[0], 'd');
    assert.equal(reciprocalRankFusion(lists, same, 1)[0], 'a');
  });

  it('keys items by the given key, keeps the first list’s object, and counts a repeat in one list once', () => {
    const keyword = [{ id: '1', from: 'keyword' }, { id: '2', from: 'keyword' }, { id: '2', from: 'keyword' }];
    const semantic = [{ id: '2', from: 'semantic' }];
    const fused = reciprocalRankFusion([keyword, semantic], (item) => item.id);
    assert.deepEqual(fused, [{ id: '2', from: 'keyword' }, { id: '1', from: 'keyword' }]);
    assert.deepEqual(reciprocalRankFusion([], same), []);
  });
});
