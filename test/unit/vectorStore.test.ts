import assert from 'node:assert/strict';
import { IndexFormatError } from '../../src/core/context/indexFormatError';
import { VectorStore } from '../../src/core/context/vectorStore';
import { seededRandom, testSeed, type Random } from '../fixtures/random';

const DIMENSIONS = 64;

function randomVector(random: Random, dimensions = DIMENSIONS): number[] {
  return Array.from({ length: dimensions }, () => random() * 2 - 1);
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot / (Math.hypot(...a) * Math.hypot(...b));
}

describe('@codebase: the vector store', () => {
  it('int8 quantization keeps the cosine ranking: near-equal scores, and the true best are found', () => {
    const seed = testSeed(20261204);
    console.log(`      seed ${seed} (IOI_TEST_SEED to replay)`);
    const random = seededRandom(seed);
    const store = new VectorStore();
    const vectors = new Map<string, number[]>();
    for (let i = 0; i < 500; i++) {
      // Scales differ by orders of magnitude: the per-vector quantization must not care.
      const vector = randomVector(random).map((x) => x * 10 ** Math.floor(random() * 6 - 3));
      vectors.set(`h${i}`, vector);
      store.set(`h${i}`, vector);
    }
    for (let q = 0; q < 30; q++) {
      const query = randomVector(random);
      const exact = [...vectors].map(([hash, vector]) => ({ hash, score: cosine(query, vector) })).sort((a, b) => b.score - a.score);
      const found = store.nearest(query, 10);
      assert.equal(found.length, 10);
      for (const { textHash, score } of found) {
        assert.ok(Math.abs(score - cosine(query, vectors.get(textHash) ?? [])) < 0.01, `query ${q}: ${textHash} scored ${score}`);
      }
      for (let i = 1; i < found.length; i++) assert.ok(found[i - 1].score >= found[i].score, `query ${q}: sorted`);
      // Whatever quantization swaps can only be within its error of the true 10th score.
      const tenth = exact[9].score;
      for (const { hash, score } of exact.slice(0, 10)) {
        if (score > tenth + 0.02) assert.ok(found.some((f) => f.textHash === hash), `query ${q}: ${hash} (${score}) missing`);
      }
    }
  });

  it('keeps a vector by its text hash, replaces it on set, and retain drops what is not kept', () => {
    const store = new VectorStore();
    store.set('a', [1, 0, 0]);
    store.set('b', [0, 1, 0]);
    store.set('c', [0, 0, 1]);
    store.set('a', [0, 0.9, 0.1]);
    assert.equal(store.size, 3);
    assert.deepEqual(store.nearest([0, 1, 0], 2).map((n) => n.textHash), ['b', 'a']);
    store.retain(new Set(['a', 'c', 'not-there']));
    assert.equal(store.size, 2);
    assert.ok(!store.has('b') && store.has('a') && store.has('c'));
    assert.deepEqual(store.nearest([0, 1, 0], 5).map((n) => n.textHash), ['a', 'c']);
  });

  it('an empty store, a zero query or limit finds nothing; a zero vector scores 0', () => {
    const store = new VectorStore();
    assert.deepEqual(store.nearest([1, 2], 3), []);
    store.set('zero', [0, 0]);
    store.set('x', [1, 0]);
    assert.deepEqual(store.nearest([0, 0], 3), []);
    assert.deepEqual(store.nearest([1, 0], 0), []);
    assert.deepEqual(store.nearest([1, 0], 3), [{ textHash: 'x', score: 1 }, { textHash: 'zero', score: 0 }]);
  });

  it('refuses vectors of another length, non-finite values and over-long hashes', () => {
    const store = new VectorStore();
    store.set('a', [1, 2, 3]);
    assert.throws(() => store.set('b', [1, 2]), RangeError);
    assert.throws(() => store.nearest([1, 2], 1), RangeError);
    assert.throws(() => store.set('c', [1, NaN, 3]), RangeError);
    assert.throws(() => store.set('x'.repeat(256), [1, 2, 3]), RangeError);
    assert.throws(() => new VectorStore().set('e', []), RangeError);
  });

  it('round-trips through bytes: same size, same neighbours, same scores; one byte per dimension', () => {
    const random = seededRandom(testSeed(7));
    const store = new VectorStore();
    for (let i = 0; i < 50; i++) store.set(`hash-${i}`, randomVector(random, 256));
    const bytes = store.toBytes();
    assert.ok(bytes.length < 50 * (256 + 16) + 64, `${bytes.length} bytes`);
    const loaded = VectorStore.fromBytes(bytes);
    assert.equal(loaded.size, 50);
    const query = randomVector(random, 256);
    assert.deepEqual(loaded.nearest(query, 7), store.nearest(query, 7));
    assert.equal(VectorStore.fromBytes(new VectorStore().toBytes()).size, 0);
    const offset = new Uint8Array(bytes.length + 3);
    offset.set(bytes, 3);
    assert.equal(VectorStore.fromBytes(offset.subarray(3)).size, 50, 'a view into a larger buffer');
  });

  it('damaged bytes or another format version throw IndexFormatError', () => {
    const store = new VectorStore();
    store.set('a', [1, 2, 3]);
    store.set('b', [3, 2, 1]);
    const bytes = store.toBytes();
    const changed = (at: number, value: number) => bytes.map((byte, i) => (i === at ? value : byte));
    const damaged: Record<string, Uint8Array> = {
      empty: new Uint8Array(0),
      'cut short': bytes.slice(0, bytes.length - 1),
      'bytes left over': new Uint8Array([...bytes, 0]),
      'not a vector file': changed(0, 0x7b),
      'another format version': changed(4, 2),
      'a count too large': changed(9, 3),
      'a zero-length hash': changed(13, 0),
      'a hash that is not UTF-8': changed(14, 0xff),
    };
    for (const [what, data] of Object.entries(damaged)) assert.throws(() => VectorStore.fromBytes(data), IndexFormatError, what);
  });
});
