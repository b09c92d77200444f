import { seededRandom } from '../fixtures/random';
import { round } from './stats';

/**
 * The answers the streaming benchmark renders, and how they stream: deterministic text (no randomness), cut into
 * about 2,000 pieces, one every 2–5 ms on a schedule from a fixed seed, so that every run streams the same thing.
 */

/** The answer shapes of the streaming benchmark. */
export type Shape = 'mixed' | 'code' | 'listTable';

export interface Answer {
  readonly text: string;
  /** What the page checks to know the answer is completely rendered (highlighting included). */
  readonly codeBlocks: number;
  readonly lastText: string;
}

/** The fence languages of the mixed answer, each with its line comment (every block ends with a marked comment). */
const LANGUAGES: readonly (readonly [string, (text: string) => string])[] = [
  ['ts', (t) => `// ${t}`],
  ['python', (t) => `# ${t}`],
  ['go', (t) => `// ${t}`],
  ['rust', (t) => `// ${t}`],
  ['json', (t) => `// ${t}`],
  ['bash', (t) => `# ${t}`],
  ['java', (t) => `// ${t}`],
  ['sql', (t) => `-- ${t}`],
  ['css', (t) => `/* ${t} */`],
  ['cpp', (t) => `// ${t}`],
];

const endMarker = (block: number): string => `end of block ${block}`;

/** (a) A realistic long answer: prose, lists, tables and 30 code blocks in several languages, about `kb` kilobytes. */
export function mixedAnswer(kb: number): Answer {
  const blocks = 30;
  const perSection = (kb * 1024) / blocks;
  const sections: string[] = [];
  for (let i = 0; i < blocks; i++) {
    const [lang, comment] = LANGUAGES[i % LANGUAGES.length];
    let section = `## Step ${i + 1}\n\nThis step explains **why** the code changes, with \`inline code\` and a [link](https://example.com/${i}).\n\n`;
    section += `- first point about item ${i}\n- second point with *emphasis*\n- third point\n\n| name | value |\n| --- | --- |\n| a${i} | ${i} |\n| b${i} | ${i * 2} |\n\n`;
    const end = `${comment(endMarker(i))}\n`;
    let code = '';
    while (section.length + code.length + end.length < perSection - 20) code += `function step${i}_${code.length}(value) {\n  return value * ${i} + ${code.length}; // comment\n}\n`;
    section += `\`\`\`${lang}\n${code}${end}\`\`\`\n\n`;
    sections.push(section);
  }
  return { text: sections.join(''), codeBlocks: blocks, lastText: endMarker(blocks - 1) };
}

/** (b) One long fenced TypeScript block after one line of prose. */
export function codeAnswer(kb: number): Answer {
  const head = 'Here is the whole module, rewritten:\n\n```ts\n';
  const end = `// ${endMarker(0)}\n\`\`\`\n`;
  let code = '';
  for (let i = 0; head.length + code.length + end.length < kb * 1024 - 120; i++) {
    code += `export function handler${i}(request: Request, retries = ${i % 7}): Promise<string> {\n  const url = \`https://example.com/items/\${request.id}?page=${i}\`; // fetch page ${i}\n  return fetch(url).then((r) => (r.ok ? r.text() : Promise.reject(new Error('status ' + r.status))));\n}\n\n`;
  }
  return { text: `${head}${code}${end}`, codeBlocks: 1, lastText: endMarker(0) };
}

/** (c) One long list, then one long table (about half of the size each). */
export function listTableAnswer(kb: number): Answer {
  const half = (kb * 1024) / 2;
  let list = 'The changes, file by file:\n\n';
  for (let i = 0; list.length < half; i++) list += `- **src/module${i}.ts**: renames \`value${i}\` to \`total${i}\` and adds a [test](https://example.com/t/${i})\n`;
  let table = '\n| file | lines | change | risk |\n| --- | ---: | --- | --- |\n';
  for (let i = 0; list.length + table.length < kb * 1024 - 80; i++) table += `| src/module${i}.ts | ${(i * 37) % 500} | rename \`value${i}\` | *low* |\n`;
  table += '| total | — | — | end of table |\n';
  return { text: list + table, codeBlocks: 0, lastText: 'end of table' };
}

export const SHAPES: Record<Shape, (kb: number) => Answer> = { mixed: mixedAnswer, code: codeAnswer, listTable: listTableAnswer };

/** The answer cut into `count` nearly equal pieces, as it streams. */
export function chunk(text: string, count: number): string[] {
  const size = Math.ceil(text.length / count);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** One delta every 2–5 ms (uniform), from a fixed seed: every run streams on the same schedule. */
export function streamSchedule(count: number, seed = 12): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => round(2 + random() * 3, 3));
}

export const CHUNKS = 2_000;

