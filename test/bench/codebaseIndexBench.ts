import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CodebaseIndex, contentHash } from '../../src/core/context/codebaseIndex';
import { QUESTIONS, type CodebaseQuestion } from './codebaseQuestions';
import { atMost, formatNumber, formatSpread, info, type Figure } from './figures';
import { exact, p95, round, spread, type Spread } from './stats';

/**
 * `npm run bench` (section "codebase"): the keyword index of @codebase (src/core/context/codebaseIndex.ts) over
 * 5,000 source files written by others, taken from node_modules (fixed by package-lock.json, so the same on a fresh
 * clone after `npm ci`): build time and peak memory for the 5,000 files (read + hash + upsert, each run in a fresh
 * child process started with --expose-gc), one-file update, query, the saved index's size and load time, and keyword
 * recall@5 on the labelled questions of codebaseQuestions.ts.
 */

export const CORPUS_ROOT = 'node_modules';
export const CORPUS_FILES = 5_000;
/** Larger files are bundles or generated data, which a workspace index would not be judged on. */
export const MAX_FILE_BYTES = 200 * 1024;
/** A mean line longer than this is minified or bundled code. */
const MAX_MEAN_LINE = 300;
const SOURCE = /\.(?:[cm]?js|[cm]?ts)$/;
const MINIFIED_NAME = /\.min\.[cm]?js$/;
/** Hits per question that count for recall, and the limit every timed query asks for. */
export const TOP = 5;
const UPDATES = 100;
const QUERY_ROUNDS = 3;
const LOADS = 3;

/** Every source file under `root` the corpus may take, relative to it, sorted (code units, not the locale). */
export function eligibleFiles(root = CORPUS_ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== '.bin' && entry.name !== '.cache') walk(rel);
      } else if (entry.isFile() && SOURCE.test(entry.name) && !MINIFIED_NAME.test(entry.name) && eligible(path.join(root, rel))) {
        out.push(rel);
      }
    }
  };
  walk('');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function eligible(file: string): boolean {
  const size = fs.statSync(file).size;
  if (size === 0 || size > MAX_FILE_BYTES) return false;
  const text = fs.readFileSync(file, 'utf8');
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return text.length / lines <= MAX_MEAN_LINE;
}

/**
 * The corpus: every answer file of the questions, then files spread evenly over the rest of the sorted list, up to
 * `count`; sorted. Throws when an answer is not an eligible file, so a package upgrade that moves one fails loudly.
 */
export function chooseCorpus(all: readonly string[], questions: readonly CodebaseQuestion[], count = CORPUS_FILES): string[] {
  const known = new Set(all);
  const answers = new Set(questions.flatMap((q) => q.answers));
  const missing = [...answers].filter((a) => !known.has(a));
  if (missing.length) throw new Error(`answers of codebaseQuestions.ts that are not corpus files under ${CORPUS_ROOT}/ (moved by an upgrade, or not eligible):\n  ${missing.join('\n  ')}`);
  const rest = all.filter((f) => !answers.has(f));
  const wanted = count - answers.size;
  if (wanted > rest.length) throw new Error(`${CORPUS_ROOT}/ has ${all.length} eligible files; the corpus needs ${count}`);
  const picked = Array.from({ length: wanted }, (_, i) => rest[Math.floor((i * rest.length) / wanted)]);
  return [...answers, ...picked].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface Miss {
  readonly question: string;
  readonly expected: readonly string[];
  /** The top hits: path:startLine-endLine (score). */
  readonly got: readonly string[];
}

/** What one child process measured. */
export interface RunFigures {
  readonly buildMs: number;
  /** The same in CPU time of the process (user + system, all its threads): what the machine's other load does not
   *  stretch. */
  readonly buildCpuMs: number;
  /** Peak RSS of the child process over its life (getrusage), MB. */
  readonly peakRssMb: number;
  /** RSS before the build (the files' names known, nothing read), MB. */
  readonly rssBeforeMb: number;
  /** Highest heap in use seen during the build (sampled every 100 files), MB. */
  readonly peakHeapMb: number;
  /** Heap in use after the build and a forced GC, less the same before the build, MB: what the index holds. */
  readonly retainedHeapMb: number;
  readonly files: number;
  readonly chunks: number;
  readonly updateMs: readonly number[];
  readonly updateCpuMs: readonly number[];
  readonly queryMs: readonly number[];
  readonly queryCpuMs: readonly number[];
  /** The questions whose quickest round took longest, CPU time. */
  readonly slowest: readonly { readonly question: string; readonly cpuMs: number }[];
  readonly jsonBytes: number;
  readonly saveMs: readonly number[];
  readonly loadMs: readonly number[];
  /** The loaded index answers the questions as the built one did. */
  readonly loadedSame: boolean;
  readonly recalled: number;
  readonly misses: readonly Miss[];
}

export interface CodebaseFigures {
  readonly corpus: { readonly eligible: number; readonly files: number; readonly packages: number; readonly bytes: number };
  readonly questions: number;
  readonly runs: readonly RunFigures[];
  readonly buildMs: Spread;
  readonly buildCpuMs: Spread;
  readonly peakRssGrowthMb: Spread;
  readonly peakRssMb: Spread;
  readonly peakHeapMb: Spread;
  readonly retainedHeapMb: Spread;
  readonly updateMs: Spread;
  readonly updateP95: number;
  readonly updateCpuMs: Spread;
  readonly updateCpuP95: number;
  readonly queryMs: Spread;
  readonly queryP95: number;
  readonly queryCpuMs: Spread;
  readonly queryCpuP95: number;
  readonly jsonMb: number;
  readonly saveMs: Spread;
  readonly loadMs: Spread;
  readonly recall: number;
}

const MB = 1024 * 1024;

/** CPU time of this process so far (user + system), ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('the codebase bench child runs with --expose-gc');
  collect();
}

/** The files of the top hits, in order, each once. */
function topFiles(index: CodebaseIndex, question: string): string[] {
  return [...new Set(index.search(question, TOP).map((hit) => hit.path))];
}

/** An edit a developer might save: a new function in the middle of the file. */
function edited(text: string, n: number): string {
  const lines = text.split('\n');
  const at = Math.floor(lines.length / 2);
  lines.splice(at, 0, `function benchEdit${n}(value) {`, `  return value * ${n} + 1; // edited by the bench`, '}');
  return lines.join('\n');
}

/** One run, in this (child) process: build, save and load, questions, then one-file updates. */
export function measureRun(files: readonly string[], root = CORPUS_ROOT): RunFigures {
  gc();
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;

  const started = performance.now();
  const startedCpu = cpuMs();
  const index = CodebaseIndex.empty();
  for (let i = 0; i < files.length; i++) {
    const text = fs.readFileSync(path.join(root, files[i]), 'utf8');
    index.upsert(files[i], contentHash(text), text);
    if (i % 100 === 99) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  const buildMs = performance.now() - started;
  const buildCpuMs = cpuMs() - startedCpu;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  gc();
  const retainedHeap = process.memoryUsage().heapUsed - heapBefore;
  const { files: indexed, chunks } = index.stats;

  const saveMs: number[] = [];
  const loadMs: number[] = [];
  let json = '';
  let loaded = index;
  for (let i = 0; i < LOADS; i++) {
    let t = performance.now();
    json = index.toJSON();
    saveMs.push(performance.now() - t);
    t = performance.now();
    loaded = CodebaseIndex.fromJSON(json);
    loadMs.push(performance.now() - t);
  }
  const jsonBytes = Buffer.byteLength(json);
  json = '';

  const queryMs: number[] = [];
  const queryCpuMs: number[] = [];
  for (let round = 0; round < QUERY_ROUNDS; round++) {
    for (const q of QUESTIONS) {
      const t = performance.now();
      const c = cpuMs();
      index.search(q.question, TOP);
      queryCpuMs.push(cpuMs() - c);
      queryMs.push(performance.now() - t);
    }
  }
  const quickest = QUESTIONS.map((q, i) => ({ question: q.question, cpuMs: Math.min(...queryCpuMs.filter((_, j) => j % QUESTIONS.length === i)) }));
  const slowest = quickest.sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 3);
  let recalled = 0;
  let loadedSame = true;
  const misses: Miss[] = [];
  for (const q of QUESTIONS) {
    const hits = index.search(q.question, TOP);
    const got = [...new Set(hits.map((hit) => hit.path))];
    if (JSON.stringify(topFiles(loaded, q.question)) !== JSON.stringify(got)) loadedSame = false;
    if (got.some((file) => q.answers.includes(file))) recalled++;
    else misses.push({ question: q.question, expected: q.answers, got: hits.map((hit) => `${hit.path}:${hit.startLine}-${hit.endLine}${hit.symbol ? ` ${hit.symbol}` : ''} (${formatNumber(hit.score, '')})`) });
  }

  // Spread over the corpus, not the answer files' packages only; each one edited once, with a fresh edit.
  const updateMs: number[] = [];
  const updateCpuMs: number[] = [];
  for (let i = 0; i < UPDATES; i++) {
    const file = files[Math.floor(((i + 0.5) * files.length) / UPDATES)];
    const t = performance.now();
    const c = cpuMs();
    const text = edited(fs.readFileSync(path.join(root, file), 'utf8'), i);
    index.upsert(file, contentHash(text), text);
    updateCpuMs.push(cpuMs() - c);
    updateMs.push(performance.now() - t);
  }

  return {
    buildMs,
    buildCpuMs,
    peakRssMb: peakRss / MB,
    rssBeforeMb: rssBefore / MB,
    peakHeapMb: peakHeap / MB,
    retainedHeapMb: retainedHeap / MB,
    files: indexed,
    chunks,
    updateMs,
    updateCpuMs,
    queryMs,
    queryCpuMs,
    slowest,
    jsonBytes,
    saveMs,
    loadMs,
    loadedSame,
    recalled,
    misses,
  };
}

/** One run in a fresh Node process (--expose-gc), so that its peak memory is the build's alone. */
function runInChild(files: readonly string[]): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--codebase-bench-child'], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: RunFigures | { error: string } | undefined;
    child.on('message', (message: RunFigures | { error: string }) => (result = message));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (result && 'error' in result) reject(new Error(`codebase bench child: ${result.error}`));
      else if (result) resolve(result);
      else reject(new Error(`codebase bench child exited with ${code} and no figures`));
    });
    child.send(files);
  });
}

if (require.main === module && process.argv.includes('--codebase-bench-child')) {
  process.once('message', (files: string[]) => {
    let answer: RunFigures | { error: string };
    try {
      answer = measureRun(files);
    } catch (error) {
      answer = { error: String(error instanceof Error ? error.stack : error) };
    }
    process.send!(answer, () => process.disconnect());
  });
}

function packageOf(file: string): string {
  const parts = file.split('/node_modules/').pop()!.split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** `runs` fresh child processes; prints the corpus and the misses of the questions. */
export async function benchCodebase(runs = 3, log: (line: string) => void = console.log): Promise<CodebaseFigures> {
  let t = performance.now();
  const all = eligibleFiles();
  const files = chooseCorpus(all, QUESTIONS);
  const packages = new Set(files.map(packageOf)).size;
  const bytes = files.reduce((sum, file) => sum + fs.statSync(path.join(CORPUS_ROOT, file)).size, 0);
  log(`   corpus: ${files.length.toLocaleString('en')} of ${all.length.toLocaleString('en')} eligible files under ${CORPUS_ROOT}/ (.js .ts .mjs .cjs .mts .cts incl. .d.ts, ≤ ${MAX_FILE_BYTES / 1024} KB, not *.min.*, mean line ≤ ${MAX_MEAN_LINE} chars), ${packages} packages, ${formatNumber(bytes / MB, 'MB')}; listed in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const results: RunFigures[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    const r = await runInChild(files);
    results.push(r);
    log(`   run ${i + 1}: build ${formatNumber(r.buildMs, 'ms')}, peak RSS ${formatNumber(r.peakRssMb, 'MB')} (${formatNumber(r.rssBeforeMb, 'MB')} before), peak heap ${formatNumber(r.peakHeapMb, 'MB')}, ${r.chunks.toLocaleString('en')} chunks, recall ${r.recalled}/${QUESTIONS.length} (child ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  const first = results[0];
  if (results.some((r) => r.recalled !== first.recalled)) log(`   ✘ recall differs between runs: ${results.map((r) => r.recalled).join(', ')}`);
  if (!first.loadedSame) log('   ✘ the index loaded from JSON answers the questions differently from the one it was saved from');
  log(`   slowest questions (CPU time, quickest of ${QUERY_ROUNDS} rounds): ${first.slowest.map((q) => `${formatNumber(q.cpuMs, 'ms')} "${q.question}"`).join('; ')}`);
  log(`   misses (${first.misses.length} of ${QUESTIONS.length}):`);
  for (const m of first.misses) {
    log(`   ✘ ${m.question}`);
    log(`       expected: ${m.expected.slice(0, 3).join(', ')}${m.expected.length > 3 ? ` (+${m.expected.length - 3} copies)` : ''}`);
    for (const got of m.got) log(`       got:      ${got}`);
  }
  const rounded = (samples: readonly number[]): number[] => samples.map((x) => round(x, 3));
  const pooled = (pick: (r: RunFigures) => readonly number[]): number[] => results.flatMap((r) => [...pick(r)]);
  const updates = pooled((r) => r.updateMs);
  const queries = pooled((r) => r.queryMs);
  const updatesCpu = pooled((r) => r.updateCpuMs);
  const queriesCpu = pooled((r) => r.queryCpuMs);
  return {
    corpus: { eligible: all.length, files: files.length, packages, bytes },
    questions: QUESTIONS.length,
    runs: results.map((r) => ({ ...r, updateMs: rounded(r.updateMs), updateCpuMs: rounded(r.updateCpuMs), queryMs: rounded(r.queryMs), queryCpuMs: rounded(r.queryCpuMs) })),
    buildMs: spread(results.map((r) => r.buildMs), 0),
    buildCpuMs: spread(results.map((r) => r.buildCpuMs), 0),
    peakRssGrowthMb: spread(results.map((r) => r.peakRssMb - r.rssBeforeMb), 1),
    peakRssMb: spread(results.map((r) => r.peakRssMb), 1),
    peakHeapMb: spread(results.map((r) => r.peakHeapMb), 1),
    retainedHeapMb: spread(results.map((r) => r.retainedHeapMb), 1),
    updateMs: spread(updates, 3),
    updateP95: round(p95(updates), 3),
    updateCpuMs: spread(updatesCpu, 3),
    updateCpuP95: round(p95(updatesCpu), 3),
    queryMs: spread(queries, 3),
    queryP95: round(p95(queries), 3),
    queryCpuMs: spread(queriesCpu, 3),
    queryCpuP95: round(p95(queriesCpu), 3),
    jsonMb: round(first.jsonBytes / MB, 2),
    saveMs: spread(pooled((r) => r.saveMs), 1),
    loadMs: spread(pooled((r) => r.loadMs), 1),
    recall: round(first.recalled / QUESTIONS.length, 3),
  };
}

/** The section's rows, in the style of the figures table. */
export function codebaseFigures(c: CodebaseFigures): Figure[] {
  const runs = `${c.runs.length} fresh processes`;
  const first = c.runs[0];
  const recallMet = c.recall >= 0.8;
  return [
    atMost('codebase.build', `@codebase index build, ${c.corpus.files.toLocaleString('en')} files of ${c.corpus.packages} packages in node_modules (${formatNumber(c.corpus.bytes / MB, 'MB')}): read + hash + upsert (${runs})`, c.buildMs, 'ms', 20_000, `${first.chunks.toLocaleString('en')} chunks; CPU time ${formatSpread(c.buildCpuMs, 'ms')}`),
    atMost('codebase.memory', '  … peak memory: peak RSS of the process less its RSS before the build', c.peakRssGrowthMb, 'MB', 150, `whole process peak RSS ${formatNumber(c.peakRssMb.median, 'MB')}; peak heap in use ${formatNumber(c.peakHeapMb.median, 'MB')}; heap the index keeps after GC ${formatNumber(c.retainedHeapMb.median, 'MB')}`),
    atMost('codebase.update', `  … one-file update: read + hash + upsert of an edited file (${c.updateMs.n} updates)`, c.updateMs, 'ms', 50, `p95 ${formatNumber(c.updateP95, 'ms')}; CPU time ${formatNumber(c.updateCpuMs.median, 'ms')}, p95 ${formatNumber(c.updateCpuP95, 'ms')}`),
    atMost('codebase.query', `  … query: search(question, ${TOP}) (${c.queryMs.n} queries)`, c.queryMs, 'ms', 50, `p95 ${formatNumber(c.queryP95, 'ms')}; CPU time ${formatNumber(c.queryCpuMs.median, 'ms')}, p95 ${formatNumber(c.queryCpuP95, 'ms')}`),
    info('codebase.json', '  … saved index (toJSON), size', exact(c.jsonMb), 'MB', `toJSON ${formatNumber(c.saveMs.median, 'ms')}`),
    info('codebase.load', '  … load from JSON (fromJSON)', c.loadMs, 'ms', first.loadedSame ? 'answers the questions as the saved index did' : 'answers the questions differently from the saved index'),
    {
      id: 'codebase.recall',
      measure: `  … keyword recall@${TOP}: questions whose answer file is among the files of the top ${TOP} hits (${c.questions} labelled questions)`,
      unit: '',
      text: formatNumber(c.recall, ''),
      detail: `${first.recalled} / ${c.questions}`,
      target: '≥ 0.8',
      met: recallMet,
      missedBy: recallMet ? undefined : formatNumber(0.8 - c.recall, ''),
    },
  ];
}
