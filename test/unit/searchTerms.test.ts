import assert from 'node:assert/strict';
import { indexedTerm, searchTerms } from '../../src/core/context/searchTerms';

describe('@codebase: the terms of code and questions', () => {
  it('keeps an identifier whole and splits it at camelCase, acronyms, snake_case and digits', () => {
    assert.deepEqual(searchTerms('parseHTTPRequest_v2'), ['parsehttprequest_v2', 'parse', 'http', 'request', 'v2']);
    assert.deepEqual(searchTerms('retryDelaySeconds'), ['retrydelayseconds', 'retry', 'delay', 'seconds']);
    assert.deepEqual(searchTerms('XMLHttpRequest'), ['xmlhttprequest', 'xml', 'http', 'request']);
    assert.deepEqual(searchTerms('MAX_CHUNK_CHARS'), ['max_chunk_chars', 'max', 'chunk', 'chars']);
    assert.deepEqual(searchTerms('utf8Decode base64'), ['utf8decode', 'utf8', 'decode', 'base64']);
  });

  it('without compounds, a compound word gives its parts only; a plain word stays', () => {
    assert.deepEqual(searchTerms('retryDelaySeconds(attempt)', { compounds: false }), ['retry', 'delay', 'seconds', 'attempt']);
  });

  it('keeps a kebab-case name whole, but a subtraction is two words', () => {
    assert.deepEqual(searchTerms('retry-delay.ts'), ['retry-delay', 'retry', 'delay', 'ts']);
    assert.deepEqual(searchTerms('count-1'), ['count']);
  });

  it('a plain word is one term; leading and trailing underscores and $ go', () => {
    assert.deepEqual(searchTerms('__init__ $scope _private'), ['init', 'scope', 'private']);
    assert.deepEqual(searchTerms('Where is the retry delay computed?'), ['where', 'is', 'the', 'retry', 'delay', 'computed']);
  });

  it('drops single characters and runs too long to be names, keeps repeats and other scripts', () => {
    assert.deepEqual(searchTerms('a = b + x1; f(x1)'), ['x1', 'x1']);
    assert.deepEqual(searchTerms(`key = "${'f'.repeat(80)}"`), ['key']);
    assert.deepEqual(searchTerms('Größe 名前'), ['größe', '名前']);
  });

  it('indexes inflections of a word as one term, and drops the function words of a question', () => {
    const forms = ['compute', 'computed', 'computes', 'computing'].map(indexedTerm);
    assert.deepEqual(new Set(forms).size, 1, forms.join(', '));
    assert.equal(indexedTerm('retries'), indexedTerm('retry'));
    assert.equal(indexedTerm('retried'), indexedTerm('retry'));
    assert.equal(indexedTerm('delays'), indexedTerm('delay'));
    assert.equal(indexedTerm('suggestions'), indexedTerm('suggest'));
    assert.equal(indexedTerm('completion'), indexedTerm('completes'));
    assert.equal(indexedTerm('settings'), indexedTerm('setting'));
    assert.equal(indexedTerm('class'), 'class', 'a double s is no plural');
    for (const word of ['where', 'is', 'the', 'how', 'const', 'return']) assert.equal(indexedTerm(word), undefined, word);
  });
});
