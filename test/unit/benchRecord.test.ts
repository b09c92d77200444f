import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompletionsFigures, ReplayFigures } from '../bench/completionsReplay';
import type { BenchResults } from '../bench/figures';
import { markdown } from '../bench/record';
import { exact } from '../bench/stats';

const ROOT = path.join(__dirname, '..', '..', '..');
/** A recorded run as one recorded before issue 14 was: without completions figures. */
const RECORDED = withoutCompletions(JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'runs', 'run-1.json'), 'utf8')) as BenchResults);

function withoutCompletions(run: BenchResults): BenchResults {
  return { ...run, completions: undefined };
}

function replayFigures(typedChars: number, requests: number): ReplayFigures {
  return {
    seed: 1,
    files: [{ file: 'a.ts', chars: 10_000 }],
    fileChars: 10_000,
    typedChars,
    keystrokes: typedChars,
    backspaces: 0,
    fixUps: 0,
    accepted: 0,
    acceptedChars: 10_000 - typedChars,
    provideCalls: typedChars,
    requests,
    abortedRequests: 0,
    cacheHits: 3,
    typedThrough: 4,
    superseded: 0,
    promptTokens: requests * 500,
    outputTokens: requests * 50,
    answers: 200,
    answersNonEmpty: 200,
    exact: 199,
    exactNonEmpty: 199,
    mismatchKinds: {},
    mismatches: [],
    virtualHours: 1,
  };
}

const COMPLETIONS: CompletionsFigures = {
  replay: replayFigures(2_000, 120),
  replayNoTab: replayFigures(10_000, 400),
  host: { requests: 200, debounceToWireMs: exact(0.15), debounceToWireP95: 0.3, lastByteToItemMs: exact(0.05), lastByteToItemP95: 0.1 },
};

/** The table row whose measure starts with `measure`. */
function row(table: string, measure: string): string {
  const line = table.split('\n').find((l) => l.startsWith(`| ${measure}`));
  assert.ok(line, `no row "${measure}" in:\n${table}`);
  return line;
}

describe('bench:record: the figures table in BENCHMARKS.md', () => {
  it("has the completion replay's rows beside the other benches': requests per 100 typed characters with and without Tab, tokens per request, exact share, host-added time", () => {
    const table = markdown([{ ...RECORDED, completions: COMPLETIONS }]);
    assert.match(row(table, 'completions replay: requests per 100 typed characters'), /\| ≤ 6 \| 6 ✔/);
    assert.match(row(table, '… the same typing by a typist who never presses Tab'), /\| ≤ 6 \| 4 ✔/);
    assert.match(row(table, '… prompt + output tokens per request'), /\| ≤ 1,500 \| 550 ✔/);
    assert.match(row(table, '… oracle answers whose ghost text'), /\| ≥ 95 % \| 99.5 % ✔/);
    assert.match(row(table, 'host-added time: debounce fired → request on the wire'), /\| ≤ 5 ms \| 0.15 ms ✔/);
    assert.match(row(table, '… last byte of the answer → item handed to VS Code'), /\| ≤ 5 ms \| 0.05 ms ✔/);
  });

  it('a run recorded before them shows "—" in their rows beside a run that has them, and they are not called stable', () => {
    const table = markdown([RECORDED, { ...RECORDED, completions: COMPLETIONS }]);
    assert.match(row(table, '… prompt + output tokens per request'), /\| ≤ 1,500 \| — \| 550 ✔ .*\| — \|$/);
    assert.match(row(table, 'VSIX size'), /✔ \|.*✔ \| yes \|$/);
  });
});
