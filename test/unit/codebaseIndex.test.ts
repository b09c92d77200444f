import assert from 'node:assert/strict';
import { CodebaseIndex, contentHash, IndexFormatError } from '../../src/core/context/codebaseIndex';

const FILES: Record<string, string> = {
  'src/retry.ts': [
    '/** Seconds to wait before the next attempt: doubles each time, at most a minute. */',
    'export function retryDelaySeconds(attempt: number): number {',
    '  return Math.min(60, 2 ** attempt);',
    '}',
  ].join('\n'),
  'src/cart.ts': [
    'export function calculateTotal(items: Item[]): number {',
    '  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);',
    '}',
  ].join('\n'),
  'src/checkout.ts': [
    "import { calculateTotal } from './cart';",
    '',
    'export function checkout(cart: Cart) {',
    '  const total = calculateTotal(cart.items);',
    '  return charge(cart.customer, total);',
    '}',
  ].join('\n'),
  'docs/escaping.md': '# Escaping\n\nHTML entities such as `&amp;` are escaped before the answer is shown.\n',
};

function indexOf(files: Record<string, string>): CodebaseIndex {
  const index = CodebaseIndex.empty();
  for (const [path, text] of Object.entries(files)) index.upsert(path, contentHash(text), text);
  return index;
}

const paths = (index: CodebaseIndex, query: string, limit = 5) => index.search(query, limit).map((hit) => hit.path);

describe('@codebase: the keyword index', () => {
  it('answers a question in words with the code whose names hold those words', () => {
    const index = indexOf(FILES);
    const [hit] = index.search('where is the retry delay computed?', 5);
    assert.equal(hit.path, 'src/retry.ts');
    assert.deepEqual([hit.startLine, hit.endLine, hit.symbol], [1, 4, 'retryDelaySeconds']);
    assert.equal(hit.textHash, contentHash(FILES['src/retry.ts']));
    assert.ok(hit.score > 0);
    assert.deepEqual(index.chunk(hit.id), { id: hit.id, path: hit.path, startLine: 1, endLine: 4, symbol: 'retryDelaySeconds', textHash: hit.textHash });
  });

  it('ranks the chunk that declares a name above one that only uses it; finds a file by its path and Markdown by its words', () => {
    const index = indexOf(FILES);
    assert.deepEqual(paths(index, 'calculateTotal'), ['src/cart.ts', 'src/checkout.ts']);
    assert.deepEqual(paths(index, 'checkout', 1), ['src/checkout.ts']);
    assert.deepEqual(paths(index, 'how are html entities escaped', 1), ['docs/escaping.md']);
    assert.deepEqual(paths(index, 'the where is', 5), [], 'only function words: nothing to look for');
    assert.deepEqual(index.search('total', 0), []);
  });

  it('gives the same text once, however many files hold it (a package’s CommonJS and ESM builds)', () => {
    const index = indexOf({ ...FILES, 'dist/esm/retry.js': FILES['src/retry.ts'], 'dist/cjs/retry.js': FILES['src/retry.ts'] });
    const hits = index.search('retry delay', 5);
    assert.equal(hits.filter((hit) => hit.textHash === contentHash(FILES['src/retry.ts'])).length, 1);
    assert.equal(index.stats.chunks, 6, 'each copy is indexed');
  });

  it('forgives a prefix and one typo in a longer word', () => {
    const index = indexOf(FILES);
    assert.equal(paths(index, 'calcul')[0], 'src/cart.ts');
    assert.equal(paths(index, 'calculateTotla')[0], 'src/cart.ts');
  });

  it('upsert replaces a file’s chunks: its old text is no longer found, the new one is', () => {
    const index = indexOf(FILES);
    const before = index.stats;
    const text = 'export function backoffSeconds(attempt: number) {\n  return attempt * 3;\n}\n';
    const refs = index.upsert('src/retry.ts', contentHash(text), text);
    assert.equal(refs.length, 1);
    assert.equal(refs[0].symbol, 'backoffSeconds');
    assert.equal(index.hashOf('src/retry.ts'), contentHash(text));
    assert.deepEqual(paths(index, 'doubles each minute'), [], 'words of the old comment');
    assert.ok(index.search('retryDelaySeconds', 5).every((hit) => hit.symbol !== 'retryDelaySeconds'));
    assert.deepEqual(paths(index, 'backoff'), ['src/retry.ts']);
    assert.deepEqual(index.stats, before);
    assert.equal(index.chunk(refs[0].id)?.symbol, 'backoffSeconds');
  });

  it('upsert with the hash already indexed keeps the chunks as they are', () => {
    const index = indexOf(FILES);
    const hash = contentHash(FILES['src/cart.ts']);
    const [first] = index.search('calculateTotal', 1);
    assert.deepEqual(index.upsert('src/cart.ts', hash, FILES['src/cart.ts']).map((ref) => ref.id), [first.id]);
  });

  it('remove forgets a file; an empty file has no chunks but its hash is known', () => {
    const index = indexOf(FILES);
    index.remove('src/cart.ts');
    index.remove('no/such/file.ts');
    assert.deepEqual(paths(index, 'calculateTotal'), ['src/checkout.ts']);
    assert.equal(index.hashOf('src/cart.ts'), undefined);
    assert.deepEqual(index.paths().sort(), ['docs/escaping.md', 'src/checkout.ts', 'src/retry.ts']);
    assert.deepEqual(index.upsert('src/empty.ts', contentHash(''), ''), []);
    assert.equal(index.hashOf('src/empty.ts'), contentHash(''));
    assert.deepEqual(index.stats, { files: 4, chunks: 3 });
  });

  it('round-trips through JSON with the same search results, and keeps no chunk text', () => {
    const index = indexOf(FILES);
    const edited = 'export function retryDelaySeconds(attempt: number) {\n  return 2 ** attempt;\n}\n';
    index.upsert('src/retry.ts', contentHash(edited), edited); // a discarded chunk must not come back after loading
    const json = index.toJSON();
    const loaded = CodebaseIndex.fromJSON(json);
    for (const query of ['retry delay', 'calculateTotal', 'html entities', 'doubles each time', 'charge customer']) {
      assert.deepEqual(loaded.search(query, 5), index.search(query, 5), query);
    }
    assert.deepEqual(loaded.stats, index.stats);
    assert.deepEqual(loaded.paths(), index.paths());
    assert.equal(loaded.hashOf('src/checkout.ts'), contentHash(FILES['src/checkout.ts']));
    assert.ok(!json.includes('item.price * item.quantity'), 'no chunk text in the JSON');
    const added = loaded.upsert('src/new.ts', 'h', 'export function freshName() {}\n');
    assert.ok(added.every((ref) => index.chunk(ref.id) === undefined), 'new ids do not collide with stored ones');
    assert.deepEqual(paths(loaded, 'freshName'), ['src/new.ts']);
  });

  it('a damaged index or one of another format version throws IndexFormatError', () => {
    const json = indexOf(FILES).toJSON();
    const stored = JSON.parse(json) as Record<string, unknown> & { files: unknown[]; search: Record<string, unknown> };
    const damaged: Record<string, string> = {
      'cut short': json.slice(0, json.length / 2),
      'not an object': '[1, 2, 3]',
      'another format version': JSON.stringify({ ...stored, version: 999 }),
      'another kind of file': JSON.stringify({ ...stored, format: 'something-else' }),
      'a file missing from the list': JSON.stringify({ ...stored, files: stored.files.slice(1) }),
      'a malformed chunk': JSON.stringify({ ...stored, files: [['a.ts', 'h', [['id', 'one', 2, 'x']]], ...stored.files.slice(1)] }),
      'keyword index of another version': JSON.stringify({ ...stored, search: { ...stored.search, serializationVersion: 99 } }),
      'keyword index missing': JSON.stringify({ ...stored, search: null }),
      'ids at or above the next id': JSON.stringify({ ...stored, nextId: 1 }),
    };
    for (const [what, text] of Object.entries(damaged)) {
      assert.throws(() => CodebaseIndex.fromJSON(text), IndexFormatError, what);
    }
  });

  it('contentHash is stable and tells texts apart', () => {
    assert.equal(contentHash('abc'), contentHash('abc'));
    assert.notEqual(contentHash('abc'), contentHash('abd'));
    assert.match(contentHash(''), /^[0-9a-f]{40}$/);
  });
});
