import * as fs from 'node:fs';
import * as path from 'node:path';
import { figures, formatSpread, type BenchResults, type Figure } from './figures';

/**
 * Writes the figures of one or two recorded runs into BENCHMARKS.md, between the record markers: each figure beside
 * its target, ✔/✘ and by how much it missed, and, with two runs, "unstable" where their medians differ by more
 * than 25 %.
 */
export const START = '<!-- bench:record:start (written by `npm run bench:record`; edit outside the markers) -->';
export const END = '<!-- bench:record:end -->';
/** Two runs whose medians differ by more than this (relative to the smaller) do not make a figure. */
export const UNSTABLE = 0.25;

export function runFile(dir: string, run: number): string {
  return path.join(dir, `run-${run}.json`);
}

/**
 * Records `results` as run 1 or 2 in `dir` and rewrites the table in `markdownFile`. A new run 1 starts over: the run 2
 * recorded before it (against other code) is removed.
 */
export function record(results: BenchResults, run: 1 | 2, dir: string, markdownFile: string): string {
  fs.mkdirSync(dir, { recursive: true });
  if (run === 2 && !fs.existsSync(runFile(dir, 1))) throw new Error('record run 1 first (npm run bench:record), then run 2 (npm run bench:record -- --run 2)');
  fs.writeFileSync(runFile(dir, run), `${JSON.stringify(results, null, 2)}\n`);
  if (run === 1) fs.rmSync(runFile(dir, 2), { force: true });
  const runs = [1, 2].filter((n) => fs.existsSync(runFile(dir, n))).map((n) => JSON.parse(fs.readFileSync(runFile(dir, n), 'utf8')) as BenchResults);
  const table = markdown(runs);
  const text = fs.readFileSync(markdownFile, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${markdownFile} has no record markers (${START} … ${END})`);
  fs.writeFileSync(markdownFile, `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`);
  return table;
}

function describeRun(results: BenchResults, index: number): string {
  const m = results.machine;
  const wall = results.wallSeconds === undefined ? '' : `, whole run ${Math.floor(results.wallSeconds / 60)} min ${Math.round(results.wallSeconds % 60)} s`;
  return `Run ${index + 1}: ${m.date.slice(0, 16).replace('T', ' ')} UTC, commit ${m.commit?.slice(0, 10) ?? '?'}, ${m.cpus} × ${m.cpu ?? 'CPU'}, ${m.memoryGb} GB, Node ${m.node}${m.host ? `, ${m.host}` : ''}${wall}.`;
}

function cell(figure: Figure | undefined): string {
  if (!figure) return '—';
  const value = figure.spread && !figure.text ? formatSpread(figure.spread, figure.unit) : (figure.text ?? '—');
  const verdict = figure.met === undefined ? '' : figure.met ? ' ✔' : ` ✘ missed by ${figure.missedBy ?? '?'}`;
  return `${value}${verdict}${figure.detail ? ` <br><sub>${figure.detail}</sub>` : ''}`;
}

/** "unstable (medians differ 31 %)" when two runs' medians differ by more than 25 % of the smaller. */
export function stability(a: Figure | undefined, b: Figure | undefined): string {
  if (!a?.spread || !b?.spread || a.text || b.text) return '';
  const [x, y] = [a.spread.median, b.spread.median];
  const low = Math.min(Math.abs(x), Math.abs(y));
  if (x === y) return '';
  const difference = low === 0 ? Infinity : Math.abs(x - y) / low;
  return difference > UNSTABLE ? `unstable (medians differ ${Number.isFinite(difference) ? `${Math.round(difference * 100)} %` : 'from 0'})` : '';
}

export function markdown(runs: readonly BenchResults[]): string {
  const rows = runs.map((r) => figures(r));
  const ids = rows[0].map((f) => f.id);
  for (const extra of rows.slice(1).flatMap((r) => r.map((f) => f.id))) if (!ids.includes(extra)) ids.push(extra);
  const find = (run: number, id: string): Figure | undefined => rows[run]?.find((f) => f.id === id);
  const lines = [
    ...runs.map((r, i) => describeRun(r, i)),
    '',
    'Values are `median (min–max)` over the samples named in each row; a figure meets its target by its median.',
    '',
    '| Measure | Target | Run 1 | Run 2 | Stable? |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const id of ids) {
    const first = find(0, id) ?? find(1, id)!;
    // A figure one of the runs did not measure (recorded before it existed) cannot be called stable.
    const both = runs.length > 1 && find(0, id) !== undefined && find(1, id) !== undefined;
    const mark = both ? stability(find(0, id), find(1, id)) || 'yes' : '—';
    lines.push(`| ${first.measure.trimStart()} | ${first.target} | ${cell(find(0, id))} | ${runs.length > 1 ? cell(find(1, id)) : 'not recorded yet'} | ${mark} |`);
  }
  return lines.join('\n');
}
