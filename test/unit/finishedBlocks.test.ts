import assert from 'node:assert/strict';
import { Marked, type Token } from 'marked';
import { splitFinishedBlocks } from '../../src/webview/finishedBlocks';

/** What the chat commits for good while an answer streams, and what it still re-renders. */
function split(markdown: string): [finished: string, tail: string] {
  const { finished, tail } = splitFinishedBlocks(markdown);
  assert.equal(finished + tail, markdown, 'the two parts join back into the input');
  return [finished, tail];
}

/** The fenced code blocks of `markdown` (also inside lists and quotes) whose fence is never closed. */
function unclosedFences(markdown: string): string[] {
  const marked = new Marked({ gfm: true });
  const open: string[] = [];
  marked.walkTokens(marked.lexer(markdown), (token: Token) => {
    if (token.type !== 'code') return;
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(token.raw);
    if (!opening) return; // indented code: no fence to close
    const lines = token.raw.trimEnd().split('\n');
    const closing = lines.length > 1 ? /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines.at(-1)!) : null;
    const closes = closing && closing[1][0] === opening[1][0] && closing[1].length >= opening[1].length;
    if (!closes) open.push(token.raw);
  });
  return open;
}

/** Streams `answer` in pieces of `size` characters the way the chat view does: commit what is finished, keep the tail. */
function stream(answer: string, size: number): { committed: string[]; tail: string } {
  const committed: string[] = [];
  let tail = '';
  for (let i = 0; i < answer.length; i += size) {
    const [finished, rest] = split(tail + answer.slice(i, i + size));
    if (finished) committed.push(finished);
    tail = rest;
  }
  return { committed, tail };
}

const MIXED = [
  'Here is the plan.\n\n',
  '1. Guard the input:\n\n   ```ts\n   if (!values.length) return 0;\n\n   // still the guard\n   ```\n\n',
  '2. Sum with reduce.\n\n',
  '~~~python\nprint("a ``` inside tildes")\n\n~~~\n\n',
  '````md\n```ts\nnested();\n```\n\nstill inside the outer fence\n````\n\n',
  '> quoted\n\nDone.',
].join('');

describe('splitFinishedBlocks: which part of a streaming answer is final', () => {
  it('text without fences: the last paragraph stays open, the ones before it are finished', () => {
    assert.deepEqual(split('Just one paragraph, still growing'), ['', 'Just one paragraph, still growing']);
    assert.deepEqual(split('First paragraph.\n\nSecond, still growing'), ['First paragraph.\n\n', 'Second, still growing']);
    assert.deepEqual(split('# Title\n\nText.\n\n'), ['# Title\n\n', 'Text.\n\n'], 'trailing blank lines belong to the tail');
    assert.deepEqual(split(''), ['', '']);
  });

  it('a closed fence followed by more text is finished', () => {
    assert.deepEqual(split('Intro.\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter the code'), ['Intro.\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\n', 'After the code']);
  });

  it('a closed fence that is the last block stays in the tail (the next chunk could still belong to it)', () => {
    assert.deepEqual(split('Intro.\n\n```ts\nconst a = 1;\n```\n'), ['Intro.\n\n', '```ts\nconst a = 1;\n```\n']);
  });

  it('an open fence at the end is never cut, not even at a blank line inside it', () => {
    assert.deepEqual(split('Intro.\n\n```ts\nconst a = 1;\n\nconst b = 2;\n\n'), ['Intro.\n\n', '```ts\nconst a = 1;\n\nconst b = 2;\n\n']);
    assert.deepEqual(split('Done:\n\n```ts\nx();\n```\n\nMore:\n\n```py\nx = 1\n\ny = 2'), ['Done:\n\n```ts\nx();\n```\n\nMore:\n\n', '```py\nx = 1\n\ny = 2']);
    assert.deepEqual(split('```'), ['', '```']);
  });

  it('~~~ fences: backticks inside do not close them, and a closed one is finished', () => {
    assert.deepEqual(split('Intro.\n\n~~~python\nx = 1\n\n```\n\ny = 2\n'), ['Intro.\n\n', '~~~python\nx = 1\n\n```\n\ny = 2\n']);
    assert.deepEqual(split('~~~\nx = 1\n\n```\ny = 2\n~~~\n\nAfter'), ['~~~\nx = 1\n\n```\ny = 2\n~~~\n\n', 'After']);
  });

  it('longer fences (````): a shorter fence inside does not close them', () => {
    assert.deepEqual(split('Intro.\n\n````md\n```ts\ncode\n```\n\nstill inside\n'), ['Intro.\n\n', '````md\n```ts\ncode\n```\n\nstill inside\n']);
    assert.deepEqual(split('````md\n```ts\ncode\n```\n\n````\n\nAfter'), ['````md\n```ts\ncode\n```\n\n````\n\n', 'After']);
  });

  it('fences inside list items and indented fences: the open fence keeps its whole block in the tail', () => {
    const list = '1. Do this:\n\n   ```ts\n   run();\n   ```\n\n2. Then that:\n\n   ```ts\n   more();\n\n   again();\n';
    assert.deepEqual(split(`Steps:\n\n${list}`), ['Steps:\n\n', list]);
    assert.deepEqual(split(`Steps:\n\n${list}   \`\`\`\n\nThat is all.`), [`Steps:\n\n${list}   \`\`\`\n\n`, 'That is all.']);
    assert.deepEqual(split('Intro.\n\n  ```ts\n  indented();\n\n  still();\n'), ['Intro.\n\n', '  ```ts\n  indented();\n\n  still();\n']);
    assert.deepEqual(split('Intro.\n\n   ~~~\n   x\n   ~~~\n\nNext'), ['Intro.\n\n   ~~~\n   x\n   ~~~\n\n', 'Next']);
  });

  it('streamed in pieces of any size, the committed parts and the tail give back the answer, and no committed part holds an open fence', () => {
    for (const size of [1, 2, 3, 5, 8, 13, 40, MIXED.length]) {
      const { committed, tail } = stream(MIXED, size);
      assert.equal(committed.join('') + tail, MIXED, `size ${size}`);
      for (const part of committed) assert.deepEqual(unclosedFences(part), [], `size ${size}: ${JSON.stringify(part)}`);
    }
    assert.deepEqual(unclosedFences('```ts\nopen'), ['```ts\nopen'], 'the check itself sees an open fence');
  });
});
