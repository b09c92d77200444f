import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApiClient, type CompletionAnswer, type RawCompletionRequest } from '../../src/core/apiClient';
import { clientBackend } from '../../src/core/completions/clientBackend';
import { CompletionEngine, realClock, type Clock, type CompletionBackend, type CompletionBook, type CompletionConfig, type CompletionInput, type CompletionResult } from '../../src/core/completions/completionEngine';
import { RequestError } from '../../src/core/errors';
import type { TokenUsage } from '../../src/core/streamEvents';
import { seededRandom, type Random } from '../fixtures/random';
import { VirtualClock } from '../fixtures/virtualClock';
import { p95, round, spread, type Spread } from './stats';

/**
 * `npm run bench` (section "completions"): the typing of real source files written by others, replayed character by
 * character at a human pace through the completion engine on a virtual clock, against an oracle that answers with
 * the file's true continuation. Then a smaller sample on the real clock with the real ApiClient over an in-process
 * fetch stub, for the time the extension host adds around a request.
 *
 * The editor model (what VS Code does around the typist), kept simple:
 * - the document starts empty and grows at the cursor; what follows the cursor (`after`) is only what the editor
 *   auto-inserted: the closing bracket of `(`, `[`, `{` (not quotes), overtyped when the typist types it;
 * - Enter between a bracket and its auto-closed partner puts the partner on its own line below (`{|}` → `{\n  |\n}`),
 *   otherwise what follows the cursor moves down with it; indentation after Enter is the file's own (a perfect
 *   auto-indent), inserted with the Enter as one edit;
 * - when the typist reaches an auto-closed line that the file has (`})` before `});`), they move over it (no edit);
 *   an auto-inserted closer the file does not have where it stands is deleted by the typist (counted as a fix-up);
 * - after each edit, VS Code calls provide() with a fresh cancellation; the next edit cancels it;
 * - a ghost text shown at least REACTION_MS before the next keystroke, that is exactly what the typist is about to
 *   type (and leaves the document right), is accepted with Tab (one edit; provide() is called again after it).
 */

/** Files from node_modules, typed in this order (package versions are printed beside them). */
export const CORPUS = [
  'openai/src/resources/models.ts',
  'openai/src/resources/embeddings.ts',
  'openai/src/resources/files.ts',
  'openai/src/resources/batches.ts',
  'openai/src/resources/completions.ts',
  'openai/src/core/error.ts',
  'openai/src/core/pagination.ts',
  'openai/src/core/streaming.ts',
  'openai/src/internal/headers.ts',
  'openai/src/internal/utils/values.ts',
  'openai/src/internal/utils/path.ts',
  'openai/src/lib/EventStream.ts',
  'cheerio/src/utils.ts',
  'cheerio/src/parse.ts',
  'cheerio/src/api/css.ts',
  'cheerio/src/api/forms.ts',
  'htmlparser2/src/index.ts',
];
export const SEED = 20_240_611;

const CONFIG: CompletionConfig = { baseUrl: 'http://127.0.0.1:1/v1/', model: 'Qwen/Qwen2.5-Coder-32B-Instruct', dailyTokenBudget: Number.MAX_SAFE_INTEGER, promptBudgetTokens: 1_024 };
const CHARS_PER_TOKEN = 3.2;
/** A typist sees a ghost text and presses Tab after this long. */
const REACTION_MS = 250;
const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set([')', ']', '}']);

export interface ReplayFigures {
  readonly seed: number;
  readonly files: readonly { file: string; chars: number }[];
  readonly fileChars: number;
  /** Characters that came from keystrokes (Enter with its auto-indent counts its characters), not from Tab. */
  readonly typedChars: number;
  readonly keystrokes: number;
  readonly backspaces: number;
  readonly fixUps: number;
  readonly accepted: number;
  readonly acceptedChars: number;
  readonly provideCalls: number;
  readonly requests: number;
  readonly abortedRequests: number;
  readonly cacheHits: number;
  readonly typedThrough: number;
  readonly superseded: number;
  readonly promptTokens: number;
  readonly outputTokens: number;
  readonly answers: number;
  readonly answersNonEmpty: number;
  readonly exact: number;
  readonly exactNonEmpty: number;
  readonly mismatchKinds: Record<string, number>;
  readonly mismatches: readonly Mismatch[];
  readonly virtualHours: number;
}

export interface Mismatch {
  readonly file: string;
  readonly shape: 'line' | 'block';
  readonly kind: string;
  readonly context: string;
  readonly after: string;
  readonly oracle: string;
  readonly expected: string;
  readonly got: string;
}

export interface HostFigures {
  readonly requests: number;
  readonly debounceToWireMs: Spread;
  readonly debounceToWireP95: number;
  readonly lastByteToItemMs: Spread;
  readonly lastByteToItemP95: number;
}

export interface CompletionsFigures {
  readonly replay: ReplayFigures;
  /** The same typing by a typist who never presses Tab: what the wait before asking alone achieves. */
  readonly replayNoTab: ReplayFigures;
  readonly host: HostFigures;
}

class MemoryBook implements CompletionBook {
  spentToday(): number {
    return 0;
  }
  quotaSpent(): boolean {
    return false;
  }
  async markQuotaSpent(): Promise<void> {}
  async record(): Promise<void> {}
}

/** The document as the editor holds it: the file's first `p` characters (plus a typo), then the auto-inserted text. */
interface Doc {
  p: number;
  typo: string;
  after: string;
}

function lineEnd(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end < 0 ? text.length : end;
}

function indentAt(text: string, lineStart: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart, lineEnd(text, lineStart)))![0];
}

function indentWidth(line: string): number {
  return /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;
}

/** The auto-inserted closers on the cursor's line, and whether the file has them, in order, later on its own line. */
function sameLinePart(after: string): string {
  return /^[^\n]*/.exec(after)![0];
}

function isSubsequence(needle: string, hay: string): boolean {
  let i = 0;
  for (const c of hay) if (i < needle.length && c === needle[i]) i++;
  return i === needle.length;
}

/** What the oracle answers at `p`: the rest of the line, or the rest of the block (see the README of this section). */
export function oracleAnswer(text: string, p: number, shape: 'line' | 'block', maxTokens: number): string {
  const cap = Math.floor(maxTokens * CHARS_PER_TOKEN);
  if (shape === 'line') return text.slice(p, lineEnd(text, p)).slice(0, cap);
  const lineStart = text.lastIndexOf('\n', p - 1) + 1;
  const cursorLine = text.slice(lineStart, lineEnd(text, lineStart));
  const typed = text.slice(lineStart, p);
  // The cursor's line as the typist has it: blank (only indentation) lines count with their own indentation.
  const base = indentWidth(typed.trim() ? cursorLine : typed);
  let opened = 0;
  for (const c of typed) {
    if (c in OPENERS) opened++;
    else if (CLOSERS.has(c)) opened = Math.max(0, opened - 1);
  }
  let depth = opened;
  let end = lineEnd(text, p);
  for (const c of text.slice(p, end)) depth += c in OPENERS ? 1 : CLOSERS.has(c) ? -1 : 0;
  if (!(opened > 0 && depth < opened)) {
    for (let at = end + 1; at < text.length; ) {
      const e = lineEnd(text, at);
      const line = text.slice(at, e);
      if (line.trim() && indentWidth(line) < base && !(opened > 0)) break;
      let lowest = depth;
      for (const c of line) {
        if (c in OPENERS) depth++;
        else if (CLOSERS.has(c)) lowest = Math.min(lowest, --depth);
      }
      if (lowest < 0 && opened === 0) break; // closes the enclosing block: the code after the block
      end = e;
      if (opened > 0 && lowest < opened) break; // the line that closes the bracket the cursor's line opened
      at = e + 1;
    }
  }
  return text.slice(p, end).replace(/\s+$/, '').slice(0, cap);
}

/**
 * The ghost text that leaves the document right: the oracle's answer, cut where the auto-inserted closer on the
 * cursor's line belongs (the bracket that closes one opened before the cursor); the rest of the answer (`;` after it)
 * cannot be inserted at the cursor.
 */
export function expectedGhost(answer: string, after: string): string {
  const same = sameLinePart(after);
  if (!same) return answer;
  let depth = 0;
  for (let i = 0; i < answer.length; i++) {
    const c = answer[i];
    if (c in OPENERS) depth++;
    else if (CLOSERS.has(c) && --depth < 0) return answer.slice(0, i);
  }
  return answer;
}

interface Session {
  readonly text: string;
  readonly file: string;
  readonly doc: Doc;
}

/** Replays the corpus through one engine (as one VS Code window: the cache and the pace carry over between files). */
export async function replay(root = 'node_modules', seed = SEED, acceptWithTab = true): Promise<ReplayFigures> {
  const random = seededRandom(seed);
  const clock = new VirtualClock();
  let session: Session | undefined;
  let lastAnswer: { expected: string; oracle: string; shape: 'line' | 'block'; input: CompletionInput; eligible: boolean } | undefined;
  let aborted = 0;

  const backend: CompletionBackend = {
    async complete(request: RawCompletionRequest, signal: AbortSignal): Promise<CompletionAnswer> {
      const s = session!;
      const shape = request.stop.includes('\n') ? 'line' : 'block';
      const eligible = !s.doc.typo;
      const oracle = oracleAnswer(s.text, s.doc.p + (s.doc.typo ? 1 : 0), shape, request.maxTokens);
      // A model's latency: 250–650 ms of virtual time, during which the next keystroke aborts the request.
      if (!(await clock.sleep(250 + random() * 400, signal))) {
        aborted++;
        throw new RequestError('cancelled');
      }
      // Blanks before the editor's closer are the code's own spacing (`{ a }`); at a line end, blanks and trailing
      // line breaks are not code (the product leaves them out).
      const cut = expectedGhost(oracle, s.doc.after);
      const expected = /^[^\r\n]/.test(s.doc.after) ? cut : cut.replace(/\s+$/, '');
      lastAnswer = { oracle, expected: expected.trim() ? expected : '', shape, input: current!, eligible };
      const promptTokens = Math.round(request.prompt.length / CHARS_PER_TOKEN);
      const completionTokens = Math.round(oracle.length / CHARS_PER_TOKEN);
      const usage: TokenUsage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: false };
      return { text: oracle, usage };
    },
    chat: () => Promise.reject(new Error('the replay takes the FIM transport')),
    isListed: async () => true,
  };
  const engine = new CompletionEngine(backend, new MemoryBook(), clock);

  let current: CompletionInput | undefined;
  let controller: AbortController | undefined;
  const view: { shown?: { text: string; at: number } } = {};
  const t = { typedChars: 0, keystrokes: 0, backspaces: 0, fixUps: 0, accepted: 0, acceptedChars: 0, provideCalls: 0, answers: 0, answersNonEmpty: 0, exact: 0, exactNonEmpty: 0 };
  const mismatchKinds: Record<string, number> = {};
  const mismatches: Mismatch[] = [];

  const provide = (): void => {
    const s = session!;
    controller?.abort();
    controller = new AbortController();
    view.shown = undefined;
    const input: CompletionInput = { before: s.text.slice(0, s.doc.p) + s.doc.typo, after: s.doc.after, path: s.file, language: 'typescript', neighbours: [] };
    current = input;
    t.provideCalls++;
    const requestsBefore = engine.counts.requests;
    void engine.provide(input, CONFIG, controller.signal).then((result) => {
      const answered = engine.counts.requests > requestsBefore && lastAnswer?.input === input;
      if (answered && (result.kind === 'item' ? result.via === 'request' : result.why === 'empty')) check(lastAnswer!, result, s.file);
      if (result.kind === 'item' && current === input) view.shown = { text: result.text, at: clock.now() };
    });
  };

  const check = (answer: NonNullable<typeof lastAnswer>, result: CompletionResult, file: string): void => {
    lastAnswer = undefined;
    if (!answer.eligible) return;
    const got = result.kind === 'item' ? result.text : '';
    const ok = got === answer.expected;
    t.answers++;
    if (ok) t.exact++;
    if (answer.expected.trim()) {
      t.answersNonEmpty++;
      if (ok) t.exactNonEmpty++;
    }
    if (ok) return;
    const closer = sameLinePart(answer.input.after)[0];
    const pastCloser = closer !== undefined && got.startsWith(answer.expected) && got.slice(answer.expected.length).trimStart().startsWith(closer);
    const kind = pastCloser ? 'ran past the auto-closed bracket (kept what follows the cursor)' : answer.expected.startsWith(got) ? 'cut short' : got.startsWith(answer.expected) ? 'ran long' : 'changed';
    mismatchKinds[kind] = (mismatchKinds[kind] ?? 0) + 1;
    if (mismatches.length < 400) mismatches.push({ file, shape: answer.shape, kind, context: answer.input.before.slice(-160), after: answer.input.after.slice(0, 40), oracle: answer.oracle, expected: answer.expected, got });
  };

  /** A gap between keystrokes: lognormal-ish around 130 ms, within 60–250 ms (bursts), sometimes a pause. */
  const gap = (atLineEnd: boolean): number => {
    if (atLineEnd && random() < 0.6) return 500 + random() * 2_500;
    if (random() < 0.03) return 500 + random() * 2_500;
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.min(250, Math.max(60, Math.exp(Math.log(130) + 0.35 * normal)));
  };

  /** Moves the virtual clock on by `ms`; the typist accepts a ghost text they had time to read. */
  const wait = async (ms: number): Promise<void> => {
    await clock.advance(ms);
  };

  const files: { file: string; chars: number }[] = [];
  const startTime = clock.now();
  for (const file of CORPUS) {
    const text = fs.readFileSync(path.join(root, file), 'utf8').replace(/\r\n/g, '\n');
    files.push({ file, chars: text.length });
    const doc: Doc = { p: 0, typo: '', after: '' };
    session = { text, file, doc };
    controller?.abort();
    view.shown = undefined;
    await wait(5_000); // opens the next file
    while (doc.p < text.length) {
      const next = gap(text[doc.p] === '\n');
      // Tab: the shown ghost text is what the typist is about to type and leaves the document right.
      const shown = view.shown as { text: string; at: number } | undefined; // set by provide()'s callback while the clock ran
      if (acceptWithTab && shown && !doc.typo && clock.now() - shown.at + next >= REACTION_MS && accepts(text, doc, shown.text)) {
        await wait(Math.max(0, REACTION_MS - (clock.now() - shown.at)));
        doc.p += shown.text.length;
        t.accepted++;
        t.acceptedChars += shown.text.length;
        provide();
        await wait(gap(false));
        continue;
      }
      keystroke(text, doc, random, t);
      t.keystrokes++;
      provide();
      await wait(next);
    }
    controller?.abort();
    await wait(1_000);
  }
  return {
    seed,
    files,
    fileChars: files.reduce((sum, f) => sum + f.chars, 0),
    ...t,
    requests: engine.counts.requests,
    abortedRequests: aborted,
    cacheHits: engine.counts.cacheHits,
    typedThrough: engine.counts.typedThrough,
    superseded: engine.counts.superseded,
    promptTokens: engine.counts.promptTokens,
    outputTokens: engine.counts.outputTokens,
    mismatchKinds,
    mismatches,
    virtualHours: round((clock.now() - startTime) / 3_600_000, 2),
  };
}

/** Tab leaves the document right: the ghost text is what the file has next, and the auto-inserted closers still fit. */
function accepts(text: string, doc: Doc, ghost: string): boolean {
  if (!ghost || !text.startsWith(ghost, doc.p)) return false;
  const p = doc.p + ghost.length;
  if (ghost.includes('\n')) return !sameLinePart(doc.after) && afterFits(text, p, doc.after);
  return isSubsequence(sameLinePart(doc.after), text.slice(p, lineEnd(text, p))) && afterFits(text, p, doc.after);
}

/** The auto-inserted closer lines below the cursor are still lines the file has later. */
function afterFits(text: string, p: number, after: string): boolean {
  const lines = after.split('\n').slice(1);
  let at = lineEnd(text, p);
  for (const line of lines) {
    let found = false;
    while (at < text.length) {
      const next = lineEnd(text, at + 1);
      if (text.slice(at + 1, next).startsWith(line)) {
        found = true;
        at = next;
        break;
      }
      at = next;
    }
    if (!found) return false;
  }
  return true;
}

const NEIGHBOUR_KEYS = 'qwertyuiopasdfghjklzxcvbnm';

/** One keystroke of the typist (or a move over what the editor already has), applied to the document. */
function keystroke(text: string, doc: Doc, random: Random, t: { typedChars: number; backspaces: number; fixUps: number }): void {
  if (doc.typo) {
    doc.typo = '';
    t.backspaces++;
    return;
  }
  const c = text[doc.p];
  if (/[a-z]/.test(c) && random() < 0.02) {
    const i = NEIGHBOUR_KEYS.indexOf(c);
    doc.typo = NEIGHBOUR_KEYS[(i + 1) % NEIGHBOUR_KEYS.length];
    return;
  }
  const same = sameLinePart(doc.after);
  // An auto-inserted closer that the rest of the file's line does not have where it stands: the typist deletes it.
  if (same && !isSubsequence(same, text.slice(doc.p, lineEnd(text, doc.p)))) {
    if (c !== '\n' || !(doc.p > 0 && OPENERS[text[doc.p - 1]] === same[0])) {
      doc.after = doc.after.slice(same.length);
      t.fixUps++;
    }
  }
  if (doc.after && doc.after[0] === c && CLOSERS.has(c)) {
    doc.p++;
    doc.after = doc.after.slice(1); // overtyped
    t.typedChars++;
    return;
  }
  if (c === '\n') {
    const lineStart = doc.p + 1;
    const nextLine = text.slice(lineStart, lineEnd(text, lineStart));
    if (doc.after.startsWith('\n')) {
      const closerLine = sameLinePart(doc.after.slice(1));
      if (nextLine.startsWith(closerLine)) {
        // The editor has this line already: the typist moves over it (no edit).
        doc.p = lineStart + closerLine.length;
        doc.after = doc.after.slice(1 + closerLine.length);
        return;
      }
      if (nextLine.trim() && CLOSERS.has(nextLine.trim()[0]) && indentWidth(nextLine) <= indentWidth(closerLine)) {
        // The file closes differently from what the editor inserted: the typist deletes that line.
        doc.after = doc.after.slice(1 + closerLine.length);
        t.fixUps++;
      }
    }
    const indent = indentAt(text, lineStart);
    const cursorLineStart = text.lastIndexOf('\n', doc.p - 1) + 1;
    const split = doc.after && CLOSERS.has(doc.after[0]) && doc.p > 0 && OPENERS[text[doc.p - 1]] === doc.after[0];
    if (split) doc.after = `\n${indentAt(text, cursorLineStart)}${doc.after}`;
    doc.p = lineStart + indent.length;
    t.typedChars += 1 + indent.length;
    return;
  }
  doc.p++;
  t.typedChars++;
  if (c in OPENERS) doc.after = OPENERS[c] + doc.after;
}

/**
 * The time the extension host adds, on the real clock with the real ApiClient and the engine, over an in-process
 * fetch stub: (a) the debounce wait resolving → the stub's fetch called; (b) the stub's body delivering its last byte →
 * provide() resolved with the item.
 */
export async function hostAdded(requests = 200, warmUp = 30): Promise<HostFigures> {
  let fired = 0;
  let lastByte = 0;
  const toWire: number[] = [];
  const toItem: number[] = [];
  const clock: Clock = {
    now: () => realClock.now(),
    // The wait itself is cut to 1 ms (the adaptive wait would grow to 400 ms between back-to-back requests and make
    // this sample last minutes); what is measured starts when it resolves, on the same timer mechanism.
    sleep: async (_ms, signal) => {
      const done = await realClock.sleep(1, signal);
      if (done) fired = performance.now();
      return done;
    },
  };
  let wired = 0;
  const stub: typeof fetch = async (_input, init) => {
    wired = performance.now();
    const body = JSON.parse(String(init?.body)) as { prompt: string; model: string };
    const text = 'values.map((value) => value * 2);';
    const json = JSON.stringify({
      id: 'cmpl-bench',
      object: 'text_completion',
      created: 0,
      model: body.model,
      choices: [{ index: 0, text, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: Math.round(body.prompt.length / CHARS_PER_TOKEN), completion_tokens: 10, total_tokens: Math.round(body.prompt.length / CHARS_PER_TOKEN) + 10 },
    });
    const bytes = new TextEncoder().encode(json);
    const half = Math.floor(bytes.length / 2);
    const parts = [bytes.slice(0, half), bytes.slice(half)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const part = parts.shift();
        if (!part) return controller.close();
        if (!parts.length) lastByte = performance.now();
        controller.enqueue(part);
      },
    });
    return new Response(stream, { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const client = new ApiClient({ baseUrl: CONFIG.baseUrl, apiKey: 'bench-key', requestTimeoutMs: 10_000, idleTimeoutMs: 10_000, fetch: stub });
  const engine = new CompletionEngine(
    clientBackend(async () => client, async () => true),
    new MemoryBook(),
    clock,
  );
  const source = fs.readFileSync(path.join('node_modules', CORPUS[7]), 'utf8');
  for (let i = 0; i < warmUp + requests; i++) {
    // A fresh place each time (no cache), about 3 KB before the cursor, a closer after it.
    const cut = 3_000 + ((i * 37) % (source.length - 3_500));
    const input: CompletionInput = { before: `${source.slice(cut - 3_000, cut)}\nconst doubled${i} = `, after: ';\n', path: 'streaming.ts', language: 'typescript', neighbours: [] };
    fired = 0;
    wired = 0;
    lastByte = 0;
    const result = await engine.provide(input, CONFIG, new AbortController().signal);
    const resolved = performance.now();
    if (result.kind !== 'item' || !fired || !wired || !lastByte) throw new Error(`the host sample did not get an item: ${JSON.stringify(result)}`);
    if (i < warmUp) continue;
    toWire.push(wired - fired);
    toItem.push(resolved - lastByte);
  }
  return { requests, debounceToWireMs: spread(toWire, 3), debounceToWireP95: round(p95(toWire), 3), lastByteToItemMs: spread(toItem, 3), lastByteToItemP95: round(p95(toItem), 3) };
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join('node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/** Runs both parts and prints what a developer needs beside the figures: the corpus, the seed, the first mismatches. */
export async function benchCompletions(log: (line: string) => void = console.log): Promise<CompletionsFigures> {
  const packages = [...new Set(CORPUS.map((f) => f.split('/')[0]))];
  log(`   corpus (${packages.map((p) => `${p} ${packageVersion(p)}`).join(', ')}), seed ${SEED}; after the cursor: only the brackets the editor auto-closes`);
  const started = performance.now();
  const r = await replay();
  for (const f of r.files) log(`     ${f.file} (${f.chars.toLocaleString('en')} chars)`);
  log(`   replay: ${r.fileChars.toLocaleString('en')} chars, ${r.keystrokes.toLocaleString('en')} keystrokes (${r.backspaces} typo fixes, ${r.fixUps} auto-close fix-ups), ${r.accepted} Tab accepts (${r.acceptedChars.toLocaleString('en')} chars), ${r.provideCalls.toLocaleString('en')} provide() calls, ${r.requests} requests (${r.abortedRequests} aborted in flight), ${r.virtualHours} h of virtual time in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const kinds = Object.entries(r.mismatchKinds);
  if (kinds.length) log(`   mismatches by kind: ${kinds.map(([k, n]) => `${k}: ${n}`).join('; ')}`);
  const firstOfEach = [...new Set(r.mismatches.map((m) => m.kind))].map((kind) => r.mismatches.find((m) => m.kind === kind)!);
  for (const m of [...firstOfEach, ...r.mismatches.filter((m) => !firstOfEach.includes(m))].slice(0, 8)) {
    log(`   ✘ ${m.file}, ${m.shape}, ${m.kind}`);
    log(`       …${JSON.stringify(m.context.slice(-90))} ⸤cursor⸥ ${JSON.stringify(m.after)}`);
    log(`       oracle:   ${JSON.stringify(m.oracle)}`);
    log(`       expected: ${JSON.stringify(m.expected)}`);
    log(`       got:      ${JSON.stringify(m.got)}`);
  }
  const noTab = await replay('node_modules', SEED, false);
  log(`   the same typing without Tab: ${noTab.typedChars.toLocaleString('en')} chars typed, ${noTab.requests} requests, ${noTab.cacheHits} cache / ${noTab.typedThrough} typed-through hits, exact ${noTab.exactNonEmpty} / ${noTab.answersNonEmpty}`);
  const host = await hostAdded();
  return { replay: { ...r, mismatches: r.mismatches.slice(0, 20) }, replayNoTab: { ...noTab, mismatches: [] }, host };
}
