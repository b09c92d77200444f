import type { ExtractionKind } from '../../src/core/rewrite/codeExtractor';

/**
 * Rewrite answers by shape, with the proposal each must give. Every case is also run with CRLF line endings (the
 * expected code converted alike), split at random, and cross-checked against marked's lexer.
 */
export interface AnswerCase {
  readonly name: string;
  /** The document's language id. */
  readonly language: string;
  readonly answer: string;
  readonly kind: ExtractionKind;
  readonly code: string;
  /** The chosen block's language (fenced only). */
  readonly blockLanguage?: string;
  /** Bare-looking text before a fence may be released and then replaced (documented); no other case may replace. */
  readonly mayReplace?: boolean;
}

const TS = 'export function average(values: number[]): number {\n  return values.reduce((a, b) => a + b, 0) / values.length;\n}\n';
const PY = 'def average(values):\n    """Return the mean of values."""\n    return sum(values) / len(values)\n';
const tenLinesOfChatter = [
  'Sure! I looked at the function you selected.',
  '',
  'Here is what I changed:',
  '',
  '1. The loop is now a call to `reduce`.',
  '2. The explicit `total` variable is gone.',
  '- It keeps the same return type.',
  '- It still divides by the length of the array.',
  '',
  '## The rewritten code',
].join('\n');
const manyLinesAfter = [
  '',
  'This version is shorter and does the same thing.',
  '',
  'You can call it like this:',
  '',
  '```ts',
  'average([1, 2, 3]);',
  '```',
  '',
  'Note: an empty array still gives `NaN`.',
  '```',
  'unlabelled block after the proposal',
  '```',
  'Let me know if you want anything else!',
].join('\n');

export const ANSWERS: readonly AnswerCase[] = [
  { name: 'one fenced block', language: 'typescript', answer: '```typescript\n' + TS + '```\n', kind: 'fenced', code: TS, blockLanguage: 'typescript' },
  { name: 'an info string with spaces and attributes', language: 'typescript', answer: '```ts title="a.ts" {1,3}\n' + TS + '```', kind: 'fenced', code: TS, blockLanguage: 'ts' },
  { name: 'an info string written lang:path', language: 'typescript', answer: '```ts:src/average.ts\n' + TS + '```\n', kind: 'fenced', code: TS, blockLanguage: 'ts' },
  { name: 'a longer fence (4 backticks)', language: 'typescript', answer: '````ts\n' + TS + '````\n', kind: 'fenced', code: TS, blockLanguage: 'ts' },
  { name: 'tildes', language: 'typescript', answer: '~~~typescript\n' + TS + '~~~\n', kind: 'fenced', code: TS, blockLanguage: 'typescript' },
  { name: 'a tilde fence whose info string has backticks', language: 'typescript', answer: '~~~ts `x`\nconst x = 1;\n~~~\n', kind: 'fenced', code: 'const x = 1;\n', blockLanguage: 'ts' },
  {
    name: 'a line of backticks shorter than the opener is code',
    language: 'typescript',
    answer: '````ts\nconst md = `\n```\n`;\n````\n',
    kind: 'fenced',
    code: 'const md = `\n```\n`;\n',
    blockLanguage: 'ts',
  },
  { name: 'a line of the other fence character is code', language: 'typescript', answer: '```ts\nconst a = 1;\n~~~\nconst b = 2;\n```\n', kind: 'fenced', code: 'const a = 1;\n~~~\nconst b = 2;\n', blockLanguage: 'ts' },
  { name: 'a closing fence longer than the opener, with spaces after it', language: 'typescript', answer: '```ts\nx();\n`````   \nafter\n', kind: 'fenced', code: 'x();\n', blockLanguage: 'ts' },
  { name: 'a fence-like line with text after it is code', language: 'typescript', answer: '```ts\nx();\n``` not a close\ny();\n```\n', kind: 'fenced', code: 'x();\n``` not a close\ny();\n', blockLanguage: 'ts' },
  { name: 'a closing fence indented 4 spaces is code, 3 spaces closes', language: 'typescript', answer: '```ts\nx();\n    ```\n   ```\ny();\n', kind: 'fenced', code: 'x();\n    ```\n', blockLanguage: 'ts' },
  {
    name: 'an indented fence: content lines lose up to its indentation',
    language: 'typescript',
    answer: 'Here:\n  ```ts\n  if (a) {\n      b();\n  }\n c();\nd();\n  ```\n',
    kind: 'fenced',
    code: 'if (a) {\n    b();\n}\nc();\nd();\n',
    blockLanguage: 'ts',
  },
  {
    name: 'a fence in a numbered list item',
    language: 'typescript',
    answer: '1. Replace the function with:\n\n   ```ts\n   const a = 1;\n     b();\n   ```\n\n2. Run the tests.\n',
    kind: 'fenced',
    code: 'const a = 1;\n  b();\n',
    blockLanguage: 'ts',
  },
  { name: 'a fence indented 4 spaces is not a fence', language: 'typescript', answer: 'Try this:\n\n    ```ts\n    x();\n    ```\n', kind: 'prose', code: '' },
  { name: 'a backtick fence whose info string has a backtick is not a fence', language: 'typescript', answer: '``` ts`x`\nx();\n```\n', kind: 'fenced', code: '', blockLanguage: '' },
  {
    name: 'nested ``` inside a ```` block (a Markdown file)',
    language: 'markdown',
    answer: '````markdown\n# Usage\n\n```ts\naverage([1, 2]);\n```\n````\n',
    kind: 'fenced',
    code: '# Usage\n\n```ts\naverage([1, 2]);\n```\n',
    blockLanguage: 'markdown',
  },
  { name: 'one line of chatter before', language: 'typescript', answer: 'Here is the refactored code:\n```ts\n' + TS + '```\n', kind: 'fenced', code: TS, blockLanguage: 'ts' },
  {
    name: 'three lines of chatter before',
    language: 'typescript',
    answer: 'Sure.\nThe loop can be a reduce call.\nHere is the refactored code:\n```ts\n' + TS + '```\n',
    kind: 'fenced',
    code: TS,
    blockLanguage: 'ts',
  },
  { name: 'ten lines of chatter before', language: 'typescript', answer: tenLinesOfChatter + '\n\n```ts\n' + TS + '```\n', kind: 'fenced', code: TS, blockLanguage: 'ts' },
  { name: 'many lines of notes after, with more blocks', language: 'typescript', answer: '```ts\n' + TS + '```\n' + manyLinesAfter, kind: 'fenced', code: TS, blockLanguage: 'ts' },
  {
    name: 'several blocks: the file language second',
    language: 'typescript',
    answer: 'First install it:\n\n```bash\nnpm install lodash\n```\n\nThen:\n\n```ts\n' + TS + '```\n\n```ts\nother();\n```\n',
    kind: 'fenced',
    code: TS,
    blockLanguage: 'ts',
  },
  {
    name: 'several blocks: an alias of the file language (tsx in a typescriptreact file)',
    language: 'typescriptreact',
    answer: '```css\n.a { color: red; }\n```\n```tsx\nconst A = () => <div />;\n```\n',
    kind: 'fenced',
    code: 'const A = () => <div />;\n',
    blockLanguage: 'tsx',
  },
  {
    name: 'several blocks: none in the file language (the first one)',
    language: 'typescript',
    answer: 'In Python:\n```python\n' + PY + '```\nIn Ruby:\n```ruby\ndef average(v) = v.sum / v.size\n```\n',
    kind: 'fenced',
    code: PY,
    blockLanguage: 'python',
  },
  {
    name: 'several blocks: no language first (taken as the file language)',
    language: 'typescript',
    answer: '```\nconst plain = 1;\n```\n```ts\nconst typed: number = 1;\n```\n',
    kind: 'fenced',
    code: 'const plain = 1;\n',
    blockLanguage: '',
  },
  {
    name: 'several blocks in a file of unknown language: the first',
    language: '',
    answer: '```python\n' + PY + '```\n```ts\nx();\n```\n',
    kind: 'fenced',
    code: PY,
    blockLanguage: 'python',
  },
  { name: 'no closing fence: the block runs to the end', language: 'typescript', answer: 'Here:\n```ts\nconst a = 1;\nconst b = 2;', kind: 'fenced', code: 'const a = 1;\nconst b = 2;', blockLanguage: 'ts' },
  { name: 'no closing fence, another language', language: 'typescript', answer: '```py\nx = 1\n\n', kind: 'fenced', code: 'x = 1\n\n', blockLanguage: 'py' },
  { name: 'an empty block', language: 'typescript', answer: 'Delete it:\n```ts\n```\nDone.', kind: 'fenced', code: '', blockLanguage: 'ts' },
  {
    name: 'bare-looking lines before a fence were chatter',
    language: 'typescript',
    answer: 'const old = 1;\nconst older = 2;\nconst oldest = 3;\n```ts\nconst fresh = 1;\n```\n',
    kind: 'fenced',
    code: 'const fresh = 1;\n',
    blockLanguage: 'ts',
    mayReplace: true,
  },
  { name: 'chatter in Chinese before', language: 'typescript', answer: '这是重写后的代码：\n\n```ts\n' + TS + '```\n', kind: 'fenced', code: TS, blockLanguage: 'ts' },
  { name: 'prose only', language: 'typescript', answer: "I'm sorry, but I can't rewrite this without the rest of the file.\nCould you share the class it belongs to?", kind: 'prose', code: '' },
  {
    name: 'prose only, in Markdown',
    language: 'python',
    answer: '## Review\n\nThe function is already correct.\n\n- It handles empty input.\n- It is fast enough.\n',
    kind: 'prose',
    code: '',
  },
  { name: 'a one-word answer', language: 'typescript', answer: 'Done.', kind: 'prose', code: '' },
  { name: 'an empty answer', language: 'typescript', answer: '', kind: 'prose', code: '' },
  { name: 'bare code', language: 'typescript', answer: TS, kind: 'bare', code: TS },
  { name: 'bare code after blank lines', language: 'typescript', answer: '\n\n' + TS, kind: 'bare', code: TS },
  { name: 'bare code of two lines', language: 'typescript', answer: 'const a = 1;\nconst b = 2;', kind: 'bare', code: 'const a = 1;\nconst b = 2;' },
  { name: 'bare Python with a docstring', language: 'python', answer: PY + '\n\ndef total(values):\n    return sum(values)\n', kind: 'bare', code: PY + '\n\ndef total(values):\n    return sum(values)\n' },
  { name: 'bare code, then a sentence: prose (mixed)', language: 'typescript', answer: TS + '\nThis version uses reduce instead of a loop.\n', kind: 'prose', code: '', mayReplace: true },
  { name: 'a sentence, then bare code: prose (mixed)', language: 'typescript', answer: 'Here is the code:\n' + TS, kind: 'prose', code: '' },
  { name: 'bare text in a Markdown file', language: 'markdown', answer: '# Average\n\nReturns the mean of the values.\n', kind: 'bare', code: '# Average\n\nReturns the mean of the values.\n' },
];
