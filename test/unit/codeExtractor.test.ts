import assert from 'node:assert/strict';
import { Lexer, type Token, type Tokens, walkTokens } from 'marked';
import { CodeExtractor, type Extraction, ProposalExtractor, type Release } from '../../src/core/rewrite/codeExtractor';
import { blockLanguage, sameLanguage } from '../../src/core/rewrite/fences';
import { randomChunks, seededRandom, testSeed } from '../fixtures/random';
import { ANSWERS, type AnswerCase } from './rewriteAnswers';

const crlf = (text: string): string => text.replace(/\n/g, '\r\n');

/** Every case as written and with CRLF line endings. */
const CASES: AnswerCase[] = ANSWERS.flatMap((c) => [c, { ...c, name: `${c.name} (CRLF)`, answer: crlf(c.answer), code: crlf(c.code) }]);

function oneShot(answer: string, language: string): Extraction {
  const extractor = new ProposalExtractor(language);
  extractor.push(answer);
  return extractor.finish();
}

function streamed(chunks: readonly string[], language: string): { releases: Release[]; result: Extraction } {
  const extractor = new ProposalExtractor(language);
  const releases = chunks.map((chunk) => extractor.push(chunk));
  const result = extractor.finish();
  return { releases: [...releases, result], result };
}

/** The proposal marked's lexer gives for a finished answer, by the same choice among its fenced blocks. */
function markedProposal(answer: string, language: string): string | undefined {
  const blocks: Tokens.Code[] = [];
  walkTokens(Lexer.lex(answer), (token: Token) => {
    if (token.type === 'code' && (token as Tokens.Code).codeBlockStyle !== 'indented') blocks.push(token as Tokens.Code);
  });
  const lang = (block: Tokens.Code): string => blockLanguage(block.lang ?? '');
  const chosen = blocks.find((b) => lang(b) === '' || language === '' || sameLanguage(lang(b), language)) ?? blocks[0];
  return chosen?.text;
}

/**
 * Checks a stream of releases: each extends the previous by `added` (and is a prefix of the final proposal, so
 * no chatter or fence line was ever released), unless it says `replaced`; nothing changes after `final`.
 */
function checkReleases(releases: readonly Release[], final: Extraction, c: AnswerCase, where: string): void {
  let shown = '';
  let wasFinal = false;
  for (const [i, r] of releases.entries()) {
    const at = `${where}, release ${i}`;
    if (wasFinal) assert.ok(r.code === shown && !r.replaced && r.added === '', `${at}: changed after final`);
    if (r.replaced) {
      assert.ok(c.mayReplace, `${at}: replaced the proposal (${JSON.stringify(shown)} → ${JSON.stringify(r.code)})`);
      assert.equal(r.added, r.code, `${at}: a replacement's added is the whole code`);
    } else {
      assert.equal(r.code, shown + r.added, `${at}: code is the previous code plus added`);
      if (!c.mayReplace) assert.ok(final.code.startsWith(r.code), `${at}: released text that is not in the proposal: ${JSON.stringify(r.code)}`);
    }
    shown = r.code;
    wasFinal ||= r.final;
  }
  assert.equal(shown, final.code, `${where}: the releases end at the proposal`);
  assert.ok(wasFinal, `${where}: the last release is final`);
}

describe('ProposalExtractor: the answer corpus', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.kind}`, () => {
      const result = oneShot(c.answer, c.language);
      assert.deepEqual({ kind: result.kind, code: result.code }, { kind: c.kind, code: c.code });
      if (c.kind === 'fenced') assert.equal(result.language, c.blockLanguage);
      assert.equal(result.answer, c.answer);
      assert.ok(result.final);
    });
  }

  it('agrees with marked on every fenced answer and finds no block where marked finds none', () => {
    for (const c of CASES) {
      const ours = oneShot(c.answer, c.language);
      const theirs = markedProposal(c.answer, c.language);
      if (theirs === undefined) assert.notEqual(ours.kind, 'fenced', `${c.name}: marked sees no fenced block`);
      // marked gives LF and drops the block's last line break (of an unclosed block at the end, all of them: the
      // final-newline rule of adaptText drops those anyway).
      else assert.equal(ours.code.replace(/\r\n/g, '\n').replace(/\n+$/, ''), theirs.replace(/\n+$/, ''), c.name);
    }
  });
});

describe('ProposalExtractor: streaming', () => {
  it('gives the one-shot result for every random split, and never releases chatter or a fence line', () => {
    const seed = testSeed(20261125);
    console.log(`      seed ${seed} (IOI_TEST_SEED to replay)`);
    const random = seededRandom(seed);
    for (const c of CASES) {
      const expected = oneShot(c.answer, c.language);
      for (let round = 0; round < 100; round++) {
        const chunks = randomChunks(c.answer, random);
        const { releases, result } = streamed(chunks, c.language);
        const where = `${c.name}, round ${round}, chunks ${JSON.stringify(chunks.slice(0, 12))}…`;
        assert.deepEqual(result, expected, where);
        checkReleases(releases, result, c, where);
      }
    }
  });

  it('streams the first block in the file language as it arrives, and it is final at its closing fence', () => {
    const extractor = new ProposalExtractor('typescript');
    assert.equal(extractor.push('Here it is:\n```ts\nconst a = 1;\nconst b').code, 'const a = 1;\n');
    const closed = extractor.push(' = 2;\n```\nmore text\n');
    assert.deepEqual(closed, { code: 'const a = 1;\nconst b = 2;\n', added: 'const b = 2;\n', replaced: false, final: true });
  });

  it('holds a first block in another language until a block in the file language arrives', () => {
    const extractor = new ProposalExtractor('typescript');
    assert.equal(extractor.push('```bash\nnpm i\n```\n').code, '', 'held');
    assert.equal(extractor.push('```ts\nx();\n').code, 'x();\n', 'the file language streams');
  });

  it('releases a held block when the answer ends without a block in the file language', () => {
    const extractor = new ProposalExtractor('typescript');
    assert.equal(extractor.push('```python\nprint(1)\n```\nThat is all.\n').code, '');
    const result = extractor.finish();
    assert.deepEqual([result.kind, result.code, result.language, result.replaced], ['fenced', 'print(1)\n', 'python', false]);
  });

  it('streams bare code once three lines read as code; prose never streams', () => {
    const code = new ProposalExtractor('typescript');
    assert.equal(code.push('const a = 1;\nconst b = 2;\n').code, '', 'two lines: not judged yet');
    assert.equal(code.push('const c = 3;\n').code, 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
    const prose = new ProposalExtractor('typescript');
    assert.equal(prose.push('The code is fine.\nIt needs no change.\nIt handles empty arrays.\nNothing to do.\n').code, '');
    assert.equal(prose.finish().kind, 'prose');
  });

  it('replaces released bare code when a fence shows it was chatter', () => {
    const extractor = new ProposalExtractor('typescript');
    assert.equal(extractor.push('const a = 1;\nconst b = 2;\nconst c = 3;\n').code, 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
    assert.deepEqual(extractor.push('```ts\nx();\n'), { code: 'x();\n', added: 'x();\n', replaced: true, final: false });
  });
});

describe('CodeExtractor (the former interface, until the controller moves)', () => {
  it('returns strings by the new rules, and a prose answer as it is', () => {
    const fenced = new CodeExtractor();
    fenced.push('Some chatter.\nMore chatter.\nEven more chatter.\nAnd more.\n```ts title="x"\nx();\n```\nAfter.');
    assert.equal(fenced.finish(), 'x();\n');
    assert.equal(fenced.code, 'x();\n');
    const prose = new CodeExtractor('typescript');
    prose.push('I cannot do that.');
    assert.equal(prose.finish(), 'I cannot do that.');
  });
});
