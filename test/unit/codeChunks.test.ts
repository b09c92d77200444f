import assert from 'node:assert/strict';
import { chunkCode, MAX_CHUNK_CHARS, type CodeChunk } from '../../src/core/context/codeChunks';
import { seededRandom, testSeed, type Random } from '../fixtures/random';

/** A body of `lines` statements, each about 60 characters, indented by `indent`. */
function body(lines: number, indent: string, word = 'value'): string {
  return Array.from({ length: lines }, (_, i) => `${indent}const ${word}${i} = compute(${word}${i - 1}, options.limit, state);`).join('\n');
}

/** Every chunk is within the size limit, lies inside the file, and its text is exactly its lines of the file. */
function checkChunks(text: string, chunks: readonly CodeChunk[]): void {
  const lines = text.split('\n');
  for (const chunk of chunks) {
    const where = `${chunk.path}:${chunk.startLine}-${chunk.endLine}`;
    assert.ok(chunk.text.length <= MAX_CHUNK_CHARS, `${where} has ${chunk.text.length} characters`);
    assert.ok(chunk.startLine >= 1 && chunk.startLine <= chunk.endLine && chunk.endLine <= lines.length, where);
    const expected = lines.slice(chunk.startLine - 1, chunk.endLine).join('\n');
    if (expected.length > MAX_CHUNK_CHARS) assert.ok(chunk.startLine === chunk.endLine && expected.includes(chunk.text), where);
    else assert.equal(chunk.text, expected, where);
    assert.notEqual(chunk.text.trim(), '', where);
  }
}

/** Every line with code on it is in some chunk. */
function checkCoverage(text: string, chunks: readonly CodeChunk[]): void {
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    assert.ok(chunks.some((c) => c.startLine <= i + 1 && i + 1 <= c.endLine), `line ${i + 1} is in no chunk: ${line}`);
  });
}

const starts = (chunks: readonly CodeChunk[]) => chunks.map((c) => [c.startLine, c.symbol]);

describe('@codebase: chunking code', () => {
  it('an empty or whitespace-only file has no chunks; a small file is one chunk', () => {
    assert.deepEqual(chunkCode('a.ts', ''), []);
    assert.deepEqual(chunkCode('a.ts', ' \n\t\n  \n'), []);
    const small = '\nexport function add(a: number, b: number) {\n  return a + b;\n}\n\n';
    assert.deepEqual(chunkCode('src/add.ts', small), [
      { path: 'src/add.ts', startLine: 2, endLine: 4, text: small.trim(), symbol: 'add', declared: ['add'] },
    ]);
  });

  it('splits a TypeScript file at its functions and a large class at its methods, each with its doc comment', () => {
    const text = [
      "import { compute } from './compute';",
      '',
      '/** Adds things up. */',
      'export function total(options: Options) {',
      body(14, '  '),
      '}',
      '',
      'export class Retrier {',
      '  private attempts = 0;',
      '',
      '  // Doubles each time.',
      '  retryDelaySeconds(attempt: number): number {',
      body(14, '    ', 'delay'),
      '  }',
      '',
      '  async run(): Promise<void> {',
      body(14, '    ', 'step'),
      '  }',
      '}',
    ].join('\n');
    const chunks = chunkCode('src/retrier.ts', text);
    checkChunks(text, chunks);
    checkCoverage(text, chunks);
    assert.deepEqual(starts(chunks), [
      [1, undefined],
      [21, 'Retrier'],
      [42, 'run'],
    ]);
    assert.deepEqual(chunks[0].declared, ['total'], 'the imports joined the function below them');
    assert.deepEqual(chunks[1].declared, ['Retrier', 'retryDelaySeconds'], 'the class head joined its first method');
    assert.equal(chunks[1].text.split('\n')[3], '  // Doubles each time.');
  });

  it('a split at a function takes its doc comment and decorators along', () => {
    const text = [body(20, ''), '', '/**', ' * Waits.', ' */', '@traced()', 'export async function wait(ms: number) {', body(20, '  '), '}'].join('\n');
    const chunks = chunkCode('src/wait.ts', text);
    checkChunks(text, chunks);
    const wait = chunks.find((c) => c.symbol === 'wait');
    assert.ok(wait, JSON.stringify(starts(chunks)));
    assert.equal(wait.startLine, 22, 'starts at the doc comment');
  });

  it('finds Python, Go, Rust, Java and C functions', () => {
    const cases: readonly [string, string, string][] = [
      ['a.py', '@app.route("/")\ndef handle_request(request):', 'handle_request'],
      ['a.py', 'class RetryPolicy(Base):', 'RetryPolicy'],
      ['a.go', 'func (s *Server) Start(ctx context.Context) error {', 'Start'],
      ['a.rs', 'pub(crate) async fn fetch_all(urls: &[Url]) -> Result<()> {', 'fetch_all'],
      ['A.java', 'public static List<String> splitWords(String text) {', 'splitWords'],
      ['a.c', 'static int parse_header(const char *line)', 'parse_header'],
      ['a.cpp', 'void Parser::parseBlock(int depth) {', 'parseBlock'],
      ['a.rb', 'def self.retry_delay', 'retry_delay'],
      ['a.php', 'public function handleRequest($request)', 'handleRequest'],
    ];
    for (const [path, head, symbol] of cases) {
      const text = `${body(20, '')}\n\n${head}\n${body(20, '    ')}\n`;
      const chunks = chunkCode(path, text);
      checkChunks(text, chunks);
      assert.ok(chunks.some((c) => c.symbol === symbol), `${path}: ${symbol} in ${JSON.stringify(starts(chunks))}`);
    }
  });

  it('statements that look like calls are not declarations', () => {
    const text = ['if (ready) {', 'return compute(a,', 'else if (x) {', '} catch (error) {', 'await run(a, b)', 'foo(bar);'].join('\n');
    assert.deepEqual(chunkCode('a.ts', text)[0].declared, []);
  });

  it('a Markdown file is split at its headings', () => {
    const prose = (n: number) => Array.from({ length: n }, () => 'Some words about the feature and how it is used.').join('\n');
    const text = `# Guide\n${prose(20)}\n\n## Install\n${prose(20)}\n\n## Usage\n${prose(20)}\n`;
    const chunks = chunkCode('docs/guide.md', text);
    checkChunks(text, chunks);
    assert.deepEqual(chunks.map((c) => c.symbol), ['Guide', 'Install', 'Usage']);
  });

  it('code without structure is cut into line windows that overlap by two lines and cover every line', () => {
    const text = Array.from({ length: 120 }, (_, i) => `  "key${i}": "a value that is long enough to matter ${i}",`).join('\n');
    const chunks = chunkCode('data.json', text);
    checkChunks(text, chunks);
    checkCoverage(text, chunks);
    assert.ok(chunks.length > 3);
    for (let i = 1; i < chunks.length; i++) assert.equal(chunks[i].startLine, chunks[i - 1].endLine - 1, `window ${i}`);
    assert.ok(chunks.every((c) => c.symbol === undefined));
  });

  it('a line longer than the limit is cut into pieces of that line; the lines around it stay whole', () => {
    const long = 'x'.repeat(MAX_CHUNK_CHARS * 2 + 10);
    const text = `const before = 1;\n${long}\nconst after = 2;`;
    const chunks = chunkCode('bundle.min.js', text);
    checkChunks(text, chunks);
    const pieces = chunks.filter((c) => c.startLine === 2);
    assert.deepEqual(pieces.map((c) => c.text.length), [MAX_CHUNK_CHARS, MAX_CHUNK_CHARS, 10]);
    assert.equal(pieces.map((c) => c.text).join(''), long);
    assert.deepEqual(chunks[0], { path: 'bundle.min.js', startLine: 1, endLine: 1, text: 'const before = 1;', declared: [] });
    assert.equal(chunks[chunks.length - 1].text, 'const after = 2;');
  });

  it('keeps CRLF line endings in the text, so it still equals the file’s lines', () => {
    const text = `${body(30, '').replace(/\n/g, '\r\n')}\r\n\r\nfunction last() {\r\n${body(30, '  ')}\r\n}\r\n`;
    const chunks = chunkCode('a.ts', text);
    checkChunks(text, chunks);
    checkCoverage(text, chunks);
    assert.ok(chunks.some((c) => c.symbol === 'last'));
  });

  it('holds its limits on random files made of functions, classes, comments, blank and long lines', () => {
    const seed = testSeed(20261204);
    console.log(`      seed ${seed} (IOI_TEST_SEED to replay)`);
    const random = seededRandom(seed);
    for (let round = 0; round < 200; round++) {
      const text = randomFile(random);
      const chunks = chunkCode(`file${round}.ts`, text);
      checkChunks(text, chunks);
      checkCoverage(text, chunks);
    }
  });
});

function randomFile(random: Random): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const parts: string[] = [];
  const count = 1 + Math.floor(random() * 12);
  for (let i = 0; i < count; i++) {
    const indent = pick(['', '  ', '    ', '\t']);
    const lines = Math.floor(random() * 40);
    parts.push(
      pick([
        () => `${indent}// note ${i}\n${indent}function f${i}(a) {\n${body(lines, `${indent}  `)}\n${indent}}`,
        () => `${indent}class C${i} {\n${indent}  m${i}() {\n${body(lines, `${indent}    `)}\n${indent}  }\n${indent}}`,
        () => body(lines, indent),
        () => '\n'.repeat(Math.floor(random() * 4)),
        () => `${indent}${'y'.repeat(Math.floor(random() * MAX_CHUNK_CHARS * 3))}`,
      ])(),
    );
  }
  return parts.join(pick(['\n', '\n\n', '\r\n']));
}
