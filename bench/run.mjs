// `npm run bench`: measures what the benchmark issue names and prints each figure beside its target. Compared runs
// are interleaved (A, B, A, B …) after a warm-up, and every figure is a spread (min / median / max) of its samples;
// bench/results.json holds the samples. Not part of `npm test`: these machines are shared and noisy, so numbers are
// never asserted by timed tests.
//
// `npm run bench:record` (= `npm run bench -- --record`) also records the run as run 1 into bench/runs/ and writes the
// figures table into BENCHMARKS.md; `npm run bench:record -- --run 2` records a second run beside it, and marks the
// figures whose two medians differ by more than 25 % as unstable. `--record-only` records bench/results.json as it is.
//
// `npm run bench -- --only completions` (or `codebase`, or `completions,codebase`) compiles and runs those sections (no
// VS Code host, no packaging) and prints their figures; it writes nothing (bench/results.json keeps the last whole run).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const args = process.argv.slice(2);
/** The host the extension is measured in (scripts/hosts.json): the one every suite runs on. */
const hostSpec = JSON.parse(fs.readFileSync('scripts/hosts.json', 'utf8'))['1.104'];
const runNumber = args.includes('--run') ? Number(args[args.indexOf('--run') + 1]) : 1;
const recordOnly = args.includes('--record-only');
const recording = recordOnly || args.includes('--record');
if (recording && runNumber !== 1 && runNumber !== 2) throw new Error('--run takes 1 or 2');
/** Sections that run alone with `--only NAME[,NAME]`. */
const SECTIONS = {
  completions: {
    title: 'inline completions: typing replayed from node_modules sources on a virtual clock against an oracle; host-added time with the real ApiClient over a fetch stub',
    run: () => require('../out/test/bench/completionsReplay.js').benchCompletions(),
  },
  codebase: {
    title: '@codebase keyword index: 5,000 node_modules sources (build, memory, update, query, saved index), recall@5 on labelled questions',
    run: () => require('../out/test/bench/codebaseIndexBench.js').benchCodebase(),
  },
};
const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',').filter(Boolean) : undefined;
if (only) {
  const unknown = only.filter((name) => !(name in SECTIONS));
  if (!only.length || unknown.length) throw new Error(`--only takes ${Object.keys(SECTIONS).join(', ')}${unknown.length ? ` (not ${unknown.join(', ')})` : ''}`);
  if (recording) throw new Error('--only does not record: a recorded run has every section');
}

function step(name, cmd, cmdArgs) {
  console.log(`━━ ${name}`);
  const result = spawnSync(cmd, cmdArgs, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${name} failed`);
}

function timed(name) {
  const start = Date.now();
  console.log(`━━ ${name}`);
  return () => console.log(`   (${((Date.now() - start) / 1000).toFixed(0)} s)`);
}

async function measure() {
  const began = Date.now();
  step('VS Code host (cached)', 'bash', ['scripts/install-host.sh', '1.104']);
  // tsc never deletes what it emitted before; a stale out/ could run deleted code.
  fs.rmSync('out', { recursive: true, force: true });
  step('compile', process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
  step('package (production build: dist/ and the VSIX)', 'npm', ['run', 'package', '--silent']);
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
  const vsix = path.join(root, `io-intelligence-${pkg.version}.vsix`);
  const size = (f) => fs.statSync(f).size;
  const git = (...a) => {
    try {
      return execFileSync('git', a, { encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  };
  // What a recording itself writes does not make the code dirty.
  const dirty = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!BENCHMARKS.md', ':!bench/runs') ? ' (with uncommitted changes)' : '';
  const results = {
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model?.trim(), memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString(), commit: `${git('rev-parse', 'HEAD') ?? '?'}${dirty}`, host: `code-server ${hostSpec.codeServer} on Node ${hostSpec.node}, Chromium headless` },
    size: { vsix: size(vsix), extension: size('dist/extension.js'), client: size('dist/client.js'), webview: size('dist/webview.js') + size('dist/webview.css') },
  };

  let done = timed('client pipeline vs minimal split-and-parse (2 MB answer, 7 interleaved pairs)');
  results.pipeline = await require('../out/test/bench/pipeline.js').benchPipeline(7);
  done();
  done = timed('rewrite streamed into the editor: extractor + incremental adapter, 5 characters per event');
  results.rewriteStream = require('../out/test/bench/rewriteStream.js').benchRewriteStream([1000, 5000, 20000]);
  done();
  done = timed('streaming render vs one-shot (headless Chromium, real webview bundle): 3 shapes × 50/100/200 KB, 5 interleaved pairs each');
  const render = require('../out/test/bench/render.js');
  results.render = await render.benchRender(['mixed', 'code', 'listTable'], [50, 100, 200], 5);
  done();
  done = timed('message dispatch alone: the same deltas to a turn the view does not have (3 runs)');
  results.dispatchFloorMs = await render.benchDispatchFloor(3);
  done();
  done = timed('webview after 50 / 100 / 200 turns (5 fresh pages)');
  results.conversation = await render.benchLongConversation(5);
  done();
  done = timed('latency we add: first chunk written → text in the webview DOM (real VS Code, 20 requests)');
  results.latencyMs = await require('../out/test/bench/latency.js').benchLatency(20);
  done();
  done = timed('real VS Code host, VSIX installed: activation, Explain (5 fresh windows); first chunk inside the host, host memory, 5,000-line rewrite (the first window)');
  const host = await require('../out/test/bench/hostRunner.js').benchHost(vsix, 5);
  results.host = host.summary;
  results.hostWindows = host.runs;
  done();
  done = timed(SECTIONS.completions.title);
  results.completions = await SECTIONS.completions.run();
  done();
  done = timed(SECTIONS.codebase.title);
  results.codebase = await SECTIONS.codebase.run();
  done();
  results.wallSeconds = Math.round((Date.now() - began) / 1000);
  return results;
}

function print(results, sectionsOnly = false) {
  const { completionFigures, figures, formatSpread } = require('../out/test/bench/figures.js');
  // The whole table holds the completion and codebase rows too; a section run alone prints only its own.
  const rows = !sectionsOnly ? figures(results) : results.completions ? completionFigures(results.completions) : [];
  if (results.codebase) rows.push(...require('../out/test/bench/codebaseIndexBench.js').codebaseFigures(results.codebase));
  const width = Math.min(110, Math.max(...rows.map((r) => r.measure.length)));
  console.log(`\n${'measure'.padEnd(width)}  value  (target)`);
  for (const f of rows) {
    const value = f.text ?? formatSpread(f.spread, f.unit);
    const verdict = f.met === undefined ? '' : f.met ? '  ✔' : `  ✘ missed by ${f.missedBy}`;
    console.log(`${f.measure.slice(0, width).padEnd(width)}  ${value}${f.detail ? ` [${f.detail}]` : ''}  (${f.target})${verdict}`);
  }
  console.log(`\nwhole run: ${Math.floor(results.wallSeconds / 60)} min ${results.wallSeconds % 60} s`);
  return rows;
}

/** `--only`: compile, run the named sections, print their figures; nothing written. */
async function measureOnly(names) {
  const began = Date.now();
  fs.rmSync('out', { recursive: true, force: true });
  step('compile', process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
  const results = {};
  for (const name of names) {
    const done = timed(SECTIONS[name].title);
    results[name] = await SECTIONS[name].run();
    done();
  }
  results.wallSeconds = Math.round((Date.now() - began) / 1000);
  return results;
}

async function main() {
  if (only) {
    print(await measureOnly(only), true);
    return;
  }
  // results.json also holds the derived table (`figures`); a recorded run keeps only what was measured.
  const results = recordOnly ? JSON.parse(fs.readFileSync('bench/results.json', 'utf8')) : await measure();
  delete results.figures;
  const rows = print(results);
  if (!recordOnly) {
    fs.writeFileSync('bench/results.json', `${JSON.stringify({ ...results, figures: rows }, null, 2)}\n`);
    console.log('bench/results.json written.');
  }
  if (recording) {
    require('../out/test/bench/record.js').record(results, runNumber, path.join(root, 'bench', 'runs'), path.join(root, 'BENCHMARKS.md'));
    console.log(`Recorded as run ${runNumber} (bench/runs/run-${runNumber}.json) and written into BENCHMARKS.md.`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
