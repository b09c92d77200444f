import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanCompletion } from '../../src/core/completions/cleanCompletion';
import { completionShape } from '../../src/core/completions/completionShape';
import { FIM, fimPrompt } from '../../src/core/completions/fimPrompt';
import { estimateTokens } from '../../src/core/tokens';
import { seededRandom, testSeed } from '../fixtures/random';

/** Source files written by others (the openai SDK's sources), as the issue asks for replayed typing. */
function foreignSources(): string[] {
  const dir = path.join(__dirname, '..', '..', '..', 'node_modules', 'openai', 'src', 'resources');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).slice(0, 12) : [];
  assert.ok(files.length >= 5, `source files to replay under ${dir}`);
  return files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8').replace(/\r\n/g, '\n'));
}

describe('inline completions: the fill-in-the-middle prompt', () => {
  it('is Qwen2.5-Coder\'s format, with neighbour files before it', () => {
    const { prompt } = fimPrompt({ before: 'const a = ', after: ';\n', path: 'src/a.ts', neighbours: [{ path: 'src/b.ts', content: 'export const b = 1;' }], repoName: 'demo', budgetTokens: 1_024 });
    assert.equal(prompt, `${FIM.repo}demo\n${FIM.file}src/b.ts\nexport const b = 1;\n${FIM.file}src/a.ts\n${FIM.prefix}const a = ${FIM.suffix};\n${FIM.middle}`);
  });

  const SEED = testSeed(20261206);
  it(`keeps whole lines nearest the cursor within the budget, 70 % before it (seed ${SEED})`, () => {
    const random = seededRandom(SEED);
    const sources = foreignSources();
    for (let round = 0; round < 300; round++) {
      const text = sources[round % sources.length];
      const cursor = Math.floor(random() * text.length);
      const budget = 16 + Math.floor(random() * 1_500);
      const before = text.slice(0, cursor);
      const after = text.slice(cursor);
      const made = fimPrompt({ before, after, path: 'x.ts', budgetTokens: budget });
      const sentBefore = before.slice(before.length - made.beforeChars);
      const sentAfter = after.slice(0, made.afterChars);
      const where = `round ${round} of seed ${SEED}`;
      assert.ok(made.beforeChars === before.length || before[before.length - made.beforeChars - 1] === '\n', `${where}: the part before starts at a line start`);
      assert.ok(made.afterChars === after.length || after[made.afterChars - 1] === '\n', `${where}: the part after ends at a line end`);
      const cursorLine = before.length - before.lastIndexOf('\n') - 1;
      assert.ok(made.beforeChars >= cursorLine, `${where}: the cursor's line goes in whole`);
      if (estimateTokens(before.slice(before.length - cursorLine)) <= budget) {
        assert.ok(estimateTokens(sentBefore) + estimateTokens(sentAfter) <= budget + 1, `${where}: within the budget`);
      }
      assert.equal(made.prompt, `${FIM.prefix}${sentBefore}${FIM.suffix}${sentAfter}${FIM.middle}`);
    }
  });
});

describe('inline completions: a prompt from a minified file', () => {
  it('a cursor line longer than the budget is cut to the budget, before and after the cursor', () => {
    const made = fimPrompt({ before: 'x'.repeat(600_000), after: 'y'.repeat(600_000), path: 'min.js', budgetTokens: 1_024 });
    assert.ok(made.promptTokens <= 1_100, `prompt of ${made.promptTokens} tokens`);
  });
});

describe('inline completions: when to ask and for what', () => {
  const cases: [string, string, ReturnType<typeof completionShape>][] = [
    ['const total = ', '', 'line'],
    ['  call(', ')', 'line'],
    ['  const s = "', '";', 'line'],
    ['function f() {', '', 'block'],
    ['  items.map((x) =>', ')', 'block'],
    ['def f(x):', '', 'block'],
    ['  case 1:', '', 'block'],
    ['function f(obj: ', ')', 'line'],
    ['  } else {', '', 'block'],
    ['    ', '', 'block'],
    ['const a = ', 'value;', 'none'],
    ['if (', 'ready) {', 'none'],
  ];
  for (const [before, after, shape] of cases) {
    it(`${JSON.stringify(before)} | ${JSON.stringify(after)} → ${shape}`, () => assert.equal(completionShape(before, after), shape));
  }
});

describe('inline completions: what the model wrote, made safe to show', () => {
  const line = (before: string, after: string) => ({ before, after, multiline: false });
  const block = (before: string, after: string) => ({ before, after, multiline: true });

  it('stops at the format\'s stop tokens', () => {
    assert.equal(cleanCompletion('x + 1;<|file_sep|>src/other.ts\nmore', line('const y = ', '\n')), 'x + 1;');
  });

  it('takes the code out of a fenced answer with chatter around it (the chat fallback)', () => {
    assert.equal(cleanCompletion('Here is the code:\n```ts\nreturn a + b;\n```\nHope this helps.', block('  ', '\n}')), 'return a + b;');
  });

  it('a line completion ends with its line', () => {
    assert.equal(cleanCompletion('values.length;\nconsole.log(1);', line('const n = ', '\n')), 'values.length;');
  });

  it('drops a closing bracket the editor already put after the cursor, only when the line would close too much', () => {
    assert.equal(cleanCompletion('a, b)', line('call(', ')')), 'a, b');
    assert.equal(cleanCompletion('foo(x)', line('bar(', ')')), 'foo(x)', 'a fill-in-the-middle answer that is right as it is');
  });

  it('a block completion ends with its block', () => {
    const before = 'function f(a) {\n  ';
    assert.equal(cleanCompletion('const b = a * 2;\n  return b;\n}\n\nfunction g() {}', block(before, '\n}\n')), 'const b = a * 2;\n  return b;');
  });

  it('drops the next line of the file written again', () => {
    assert.equal(cleanCompletion('x = 1;\n  y = 2;', block('  ', '\n  y = 2;\n')), 'x = 1;');
  });

  it("keeps an inner block's closer that looks like the next line but is indented deeper", () => {
    const before = 'for (const x of xs) {\n  if (x) {\n    a();\n  } else {\n    ';
    assert.equal(cleanCompletion('if (y) {\n      c();\n    }', block(before, '\n  }\n}\n')), 'if (y) {\n      c();\n    }');
    assert.equal(cleanCompletion('\n    b();\n  }', block('  } else {', '\n}\n')), '\n    b();\n  }', 'the cursor line `} else {` opens a block, closed by the answer');
  });

  it('CRLF files: no lone CR is offered (VS Code writes the line ending of the file)', () => {
    assert.equal(cleanCompletion('foo();\r', line('const y = ', '\r\nconst z = 1;\r\n')), 'foo();');
    assert.equal(cleanCompletion('\r\n  return 1;\r\n}', block('function f() {', '\r\n')), '\n  return 1;\n}');
  });

  it('a bracket or semicolon inside a string is text; a `;` the file already has is not offered again', () => {
    assert.equal(cleanCompletion("')');", line('s.indexOf(', ')')), "')'");
    assert.equal(cleanCompletion("e'];", line("this.code = data?.['cod", ']')), "e'", 'the cursor inside a string: its closing quote is not an opening one');
    assert.equal(cleanCompletion('foo();', line('const x = ', ';\n')), 'foo()');
  });

  it('a block at a line end ends without trailing blank lines', () => {
    assert.equal(cleanCompletion('\n    x = 1\n    y = 2\n\n', block('def f():', '')), '\n    x = 1\n    y = 2');
  });

  it('an answer that closes the bracket the editor auto-closed, and goes on, ends at its own closer', () => {
    assert.equal(cleanCompletion('ing, options?: RequestOptions): APIPromise<ModelDeleted> {', line('  delete(model: str', ')')), 'ing, options?: RequestOptions');
    assert.equal(cleanCompletion('32Array } from "../utils";', line('import { toFloat', '}')), '32Array ');
    assert.equal(cleanCompletion('a, f(b)', line('call(', ')')), 'a, f(b)', 'its own brackets are its own');
  });

  it('does not offer again what is typed on the line (a chat model echoing it)', () => {
    assert.equal(cleanCompletion('const total = values.length;', line('const total = ', '\n')), 'values.length;');
  });

  it('never offers an empty or blank item', () => {
    for (const raw of ['', '   ', '\n\n', '```ts\n```', '<|endoftext|>x']) assert.equal(cleanCompletion(raw, block('  ', '\n')), '');
  });

  const SEED = testSeed(20261207);
  it(`a model that writes again what follows the cursor adds nothing (real files, random cursors at line ends, seed ${SEED})`, () => {
    const random = seededRandom(SEED);
    const sources = foreignSources();
    for (let round = 0; round < 400; round++) {
      const text = sources[round % sources.length];
      const lineEnds = [...text.matchAll(/\n/g)].map((m) => m.index);
      const cursor = lineEnds[Math.floor(random() * lineEnds.length)];
      const after = text.slice(cursor);
      const linesAhead = 1 + Math.floor(random() * 4);
      let end = 0;
      for (let i = 0; i < linesAhead && end < after.length; i++) end = after.indexOf('\n', end + 1) < 0 ? after.length : after.indexOf('\n', end + 1);
      const repeated = after.slice(0, end);
      const shown = cleanCompletion(repeated, block(text.slice(0, cursor), after));
      assert.equal(shown, '', `round ${round} of seed ${SEED}: ${JSON.stringify(repeated)} before ${JSON.stringify(after.slice(0, 80))} gave ${JSON.stringify(shown)}`);
    }
  });

  it(`the true rest of a line, asked with the line's end after the cursor, is shown as it is (seed ${SEED})`, () => {
    const random = seededRandom(SEED + 1);
    let checked = 0;
    for (const text of foreignSources()) {
      const lines = text.split('\n');
      for (let attempt = 0; attempt < 60; attempt++) {
        const index = Math.floor(random() * lines.length);
        const full = lines[index];
        const closing = /[\s)\]}'"`;,]*$/.exec(full)![0];
        const body = full.slice(0, full.length - closing.length);
        if (body.trim().length < 8) continue;
        const cut = body.indexOf(body.trim()[0]) + 1 + Math.floor(random() * (body.trim().length - 1));
        const before = `${lines.slice(0, index).join('\n')}\n${full.slice(0, cut)}`;
        const after = `${closing}\n${lines.slice(index + 1).join('\n')}`;
        if (completionShape(full.slice(0, cut), closing) !== 'line') continue;
        const answer = full.slice(cut, body.length);
        assert.equal(cleanCompletion(answer, line(before, after)), answer.replace(/[ \t]+$/, ''), `line ${index}: ${JSON.stringify(full)} cut at ${cut}`);
        checked++;
      }
    }
    assert.ok(checked > 100, `${checked} lines checked`);
  });
});
