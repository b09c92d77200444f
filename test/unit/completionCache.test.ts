import assert from 'node:assert/strict';
import { CompletionCache } from '../../src/core/completions/completionCache';

describe('inline completions: the cache', () => {
  it('serves the same place again without a request', () => {
    const cache = new CompletionCache();
    cache.set('const total = ', ';\n', 'values.length');
    assert.equal(cache.get('const total = ', ';\n'), 'values.length');
    assert.equal(cache.get('const count = ', ';\n'), undefined, 'another place');
  });

  it('serves the rest of a suggestion the user is typing through, and nothing once they type something else', () => {
    const cache = new CompletionCache();
    const before = 'function f() {\n  return ';
    cache.set(before, '\n}', 'values.reduce((a, b) => a + b, 0);');
    assert.equal(cache.get(`${before}val`, '\n}'), 'ues.reduce((a, b) => a + b, 0);');
    assert.equal(cache.get(`${before}values.red`, '\n}'), 'uce((a, b) => a + b, 0);');
    assert.equal(cache.get(`${before}vax`, '\n}'), undefined);
    assert.equal(cache.get(`${before}values.reduce((a, b) => a + b, 0);`, '\n}'), undefined, 'typed to the end: nothing left');
  });

  it('typing through works past the window of text it keys on', () => {
    const cache = new CompletionCache();
    const long = `${'x'.repeat(2_000)}\nconst s = `;
    cache.set(long, ';', '"a long string"');
    assert.equal(cache.get(`${long}"a lo`, ';'), 'ng string"');
  });

  it('keeps the most recently used entries', () => {
    const cache = new CompletionCache(2);
    cache.set('a = ', '', '1');
    cache.set('b = ', '', '2');
    assert.equal(cache.get('a = ', ''), '1');
    cache.set('c = ', '', '3');
    assert.equal(cache.get('b = ', ''), undefined, 'the least recently used went');
    assert.equal(cache.get('a = ', ''), '1');
    assert.equal(cache.get('c = ', ''), '3');
  });

  it('another file or model is another place, for exact hits and typing through alike', () => {
    const cache = new CompletionCache();
    cache.set('', '', 'print("py")', 'a.py');
    assert.equal(cache.get('', '', 'b.ts'), undefined);
    assert.equal(cache.get('pri', '', 'b.ts'), undefined);
    assert.equal(cache.get('pri', '', 'a.py'), 'nt("py")');
  });
});
