import { adaptToSurroundings, type Surroundings } from '../../src/core/rewrite/adaptText';
import { ProposalExtractor } from '../../src/core/rewrite/codeExtractor';
import { IncrementalAdapter } from '../../src/core/rewrite/incrementalAdapter';
import { median, round, spread, type Spread } from './stats';

export interface RewriteStreamFigures {
  readonly lines: number;
  readonly events: number;
  /** CPU time of one event (extractor push + adapter follow), µs: per repetition, the median over batches of events. */
  readonly usPerEvent: Spread;
  /** What one event cost before: adaptToSurroundings over the whole proposal, at the end of the stream. */
  readonly wholeProposalUsAtEnd: number;
}

const CHUNK = 5;
const BATCH = 1_000;

/**
 * A streamed rewrite in the shape that was quadratic: an indented CRLF document, the model's code without the base
 * indentation, fenced after a line of chatter and followed by notes, arriving 5 characters per event. Each event
 * goes through the extractor and the incremental adapter, as in the editor. The per-event cost must not grow with
 * the proposal's length.
 */
export function benchRewriteStream(sizes: readonly number[], repetitions = 15): RewriteStreamFigures[] {
  // Warm up first, so that the smallest size is not measured while the JIT is still compiling.
  const warmUp = rewriteOf(2_000);
  for (let i = 0; i < 5; i++) streamOnce(warmUp.answer, warmUp.code, warmUp.where);
  return sizes.map((lines) => {
    const { answer, code, where } = rewriteOf(lines);
    const runs: number[] = [];
    for (let i = 0; i < repetitions; i++) runs.push(streamOnce(answer, code, where));
    return { lines, events: Math.ceil(answer.length / CHUNK), usPerEvent: spread(runs, 3), wholeProposalUsAtEnd: round(wholeProposalCost(code, where), 1) };
  });
}

function rewriteOf(lines: number): { answer: string; code: string; where: Surroundings } {
  const body: string[] = [];
  for (let i = 0; body.length < lines; i++) {
    body.push(`function step${i}(values: number[]): number {`, `  const total = values.reduce((a, b) => a + b, ${i});`, `  return total / values.length;`, `}`, '');
  }
  const code = body.slice(0, lines).join('\r\n') + '\r\n';
  const original = code.split('\r\n').map((l) => (l ? `    ${l}` : l)).join('\r\n');
  const answer = `Here is the refactored code:\r\n\r\n\`\`\`ts\r\n${code}\`\`\`\r\n\r\nEach function now uses reduce.\r\n`;
  return { answer, code, where: { original, eol: '\r\n' } };
}

/**
 * Streams the answer once; returns the median µs per event over batches of events, in this process's CPU time (a
 * batch takes about 60 µs: the wall clock would mostly measure who else had the CPU).
 */
function streamOnce(answer: string, code: string, where: Surroundings): number {
  const extractor = new ProposalExtractor('typescript');
  const adapter = new IncrementalAdapter(where);
  const perEvent: number[] = [];
  for (let at = 0; at < answer.length; ) {
    const start = process.cpuUsage();
    let events = 0;
    for (; events < BATCH && at < answer.length; events++, at += CHUNK) adapter.follow(extractor.push(answer.slice(at, at + CHUNK)));
    const used = process.cpuUsage(start);
    perEvent.push((used.user + used.system) / events);
  }
  const result = extractor.finish();
  adapter.follow(result);
  if (adapter.complete() !== adaptToSurroundings(code, where, true)) throw new Error('the streamed proposal differs from the one-shot one');
  return median(perEvent);
}

/** The former per-event cost at the end of the stream: re-adapting the whole proposal (median of 9 calls). */
function wholeProposalCost(code: string, where: Surroundings): number {
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const start = performance.now();
    adaptToSurroundings(code, where, false);
    times.push((performance.now() - start) * 1000);
  }
  return median(times);
}
