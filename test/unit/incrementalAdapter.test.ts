import assert from 'node:assert/strict';
import { adaptToSurroundings, type Surroundings } from '../../src/core/rewrite/adaptText';
import { ProposalExtractor } from '../../src/core/rewrite/codeExtractor';
import { IncrementalAdapter } from '../../src/core/rewrite/incrementalAdapter';
import { type Random, randomChunks, seededRandom, testSeed } from '../fixtures/random';
import { ANSWERS } from './rewriteAnswers';

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** Code as models write it: indented or not, blank and whitespace-only lines, LF, CRLF, the odd lone CR, tabs. */
function randomCode(random: Random): string {
  const lines: string[] = [];
  const count = Math.floor(random() * 12);
  for (let i = 0; i < count; i++) {
    const indent = pick(random, ['', '', '  ', '    ', '\t', ' \t', '        ']);
    const body = pick(random, ['x();', 'if (a) {', '}', '', '', '   ', 'return 1;', 'a\rb', '// note']);
    lines.push(indent + body + pick(random, ['\n', '\n', '\r\n', '\r\n', '\r\r\n']));
  }
  if (random() < 0.5) lines.push(pick(random, ['tail', '  tail', '', '\r', '   ']));
  return lines.join('');
}

function randomSurroundings(random: Random): Surroundings {
  const original = pick(random, ['', 'x', 'x\n', '    x\n    y\n', '\n\n  a\r\n', '\t\tif (a) {\n\t\t}\n', '   ', '  a\n b\n', ' \ta']);
  return { original, eol: pick(random, ['\n', '\r\n'] as const) };
}

const upToLastNewline = (code: string): string => code.slice(0, code.lastIndexOf('\n') + 1);

describe('IncrementalAdapter', () => {
  it('matches adaptToSurroundings at every step and at completion, for random code, splits and replacements', () => {
    const seed = testSeed(7_2026);
    console.log(`      seed ${seed} (IOI_TEST_SEED to replay)`);
    const random = seededRandom(seed);
    for (let round = 0; round < 3000; round++) {
      const where = randomSurroundings(random);
      const adapter = new IncrementalAdapter(where);
      let code = '';
      const history: string[] = [];
      for (const chunk of randomChunks(randomCode(random), random)) {
        if (random() < 0.03) {
          code = randomCode(random);
          history.push(`reset ${JSON.stringify(code)}`);
          adapter.reset(code);
        }
        code += chunk;
        history.push(JSON.stringify(chunk));
        const text = adapter.append(chunk);
        const at = `round ${round}, ${JSON.stringify(where)}, ${history.join(' ')}`;
        assert.equal(text, adaptToSurroundings(upToLastNewline(code), where, false), at);
        assert.equal(adapter.text, text, at);
      }
      assert.equal(adapter.complete(), adaptToSurroundings(code, where, true), `round ${round}, ${JSON.stringify(where)}, ${history.join(' ')}`);
    }
  });

  it('follows the extractor on every corpus answer, split at random, replacements included', () => {
    const seed = testSeed(11_2026);
    console.log(`      seed ${seed} (IOI_TEST_SEED to replay)`);
    const random = seededRandom(seed);
    for (const c of ANSWERS) {
      for (let round = 0; round < 40; round++) {
        const where = randomSurroundings(random);
        const answer = random() < 0.5 ? c.answer : c.answer.replace(/\n/g, '\r\n');
        const extractor = new ProposalExtractor(c.language);
        const adapter = new IncrementalAdapter(where);
        for (const chunk of randomChunks(answer, random)) {
          const release = extractor.push(chunk);
          assert.equal(adapter.follow(release), adaptToSurroundings(release.code, where, false), `${c.name}, round ${round}`);
        }
        const result = extractor.finish();
        adapter.follow(result);
        assert.equal(adapter.complete(), adaptToSurroundings(result.code, where, true), `${c.name}, round ${round}`);
      }
    }
  });

  it('decides the indentation once, from the first non-blank line, and holds a line back until its newline', () => {
    const adapter = new IncrementalAdapter({ original: '    if (a) {\n      b();\n    }\n', eol: '\r\n' });
    assert.equal(adapter.append('\n  \nif (a) {'), '\r\n  \r\n', 'blank lines pass; the unfinished line waits');
    assert.equal(adapter.append('\n  c();\r'), '\r\n  \r\n    if (a) {\r\n');
    assert.equal(adapter.append('\n}\n\n'), '\r\n  \r\n    if (a) {\r\n      c();\r\n    }\r\n\r\n');
    assert.equal(adapter.complete(), '\r\n  \r\n    if (a) {\r\n      c();\r\n    }\r\n', 'one final newline, as the original');
  });
});
