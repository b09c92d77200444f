import assert from 'node:assert/strict';
import { adaptToSurroundings } from '../../src/core/rewrite/adaptText';
import { CodeExtractor } from '../../src/core/rewrite/codeExtractor';
import { rewriteMessages } from '../../src/core/rewrite/rewritePrompt';

function extract(answer: string, chunk = 3): { whole: string; seen: string[] } {
  const extractor = new CodeExtractor();
  const seen: string[] = [];
  for (let i = 0; i < answer.length; i += chunk) seen.push(extractor.push(answer.slice(i, i + chunk)));
  return { whole: extractor.finish(), seen };
}

describe('CodeExtractor', () => {
  it('takes bare code as is', () => {
    assert.equal(extract('const a = 1;\nconst b = 2;\n').whole, 'const a = 1;\nconst b = 2;\n');
  });

  it('drops the fence, the chatter before it and the notes after it, at every chunk size', () => {
    const answer = 'Here is the refactored code:\n\n```typescript\nfunction f() {\n  return 1;\n}\n```\n\nThis version is shorter.';
    for (let size = 1; size <= 12; size++) {
      const { whole, seen } = extract(answer, size);
      assert.equal(whole, 'function f() {\n  return 1;\n}\n', `chunk size ${size}`);
      assert.ok(seen.every((s) => !s.includes('```') && !s.includes('Here is')), `no fence or chatter ever released (size ${size})`);
    }
  });

  it('keeps code that contains a nested fence of a shorter length', () => {
    assert.equal(extract('````md\n```js\nx\n```\n````\n').whole, '```js\nx\n```\n');
  });

  it('a last line without newline still counts', () => {
    assert.equal(extract('```\nreturn x;\n```').whole, 'return x;\n');
    assert.equal(extract('return x;').whole, 'return x;');
  });
});

describe('adaptToSurroundings', () => {
  it('uses the document line endings (CRLF) and keeps a final newline only when the original had one', () => {
    assert.equal(adaptToSurroundings('a\nb\n', { original: 'x\r\ny\r\n', eol: '\r\n' }, true), 'a\r\nb\r\n');
    assert.equal(adaptToSurroundings('a\nb\n\n', { original: 'x\ny', eol: '\n' }, true), 'a\nb');
    assert.equal(adaptToSurroundings('a\nb', { original: 'x\n', eol: '\n' }, true), 'a\nb\n');
  });

  it('restores the base indentation the model dropped', () => {
    const original = '    if (a) {\n      b();\n    }\n';
    assert.equal(adaptToSurroundings('if (a) {\n  c();\n}\n', { original, eol: '\n' }, true), '    if (a) {\n      c();\n    }\n');
    assert.equal(adaptToSurroundings('    x();\n', { original, eol: '\n' }, true), '    x();\n', 'already indented: untouched');
  });
});

describe('rewriteMessages', () => {
  it('asks for code only and carries the instruction, the code and the diagnostics', () => {
    const [system, user] = rewriteMessages({ instruction: 'Fix it', code: 'x = 1', language: 'python', file: 'a.py', diagnostics: ['"x" is not defined'] });
    assert.match(system.content, /code only/);
    assert.match(user.content, /Instruction: Fix it/);
    assert.match(user.content, /"x" is not defined/);
    assert.match(user.content, /```python\nx = 1\n```/);
  });
});
