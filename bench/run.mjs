// `npm run bench`: measures what the benchmark issue names, side by side where there is a baseline, medians of
// repetitions, and prints a table with each figure beside its target. Writes bench/results.json.
// Not part of `npm test`: these machines are shared and noisy, so numbers are never asserted by timed tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

function step(name, cmd, args) {
  console.log(`━━ ${name}`);
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${name} failed`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (x) => `${x.toFixed(1)} ms`;

async function main() {
  step('VS Code host (cached)', 'bash', ['scripts/install-host.sh']);
  step('compile', process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
  step('package (production build)', 'npm', ['run', 'package', '--silent']);
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
  const size = (f) => fs.statSync(f).size;
  const results = { machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() } };
  results.size = {
    vsix: size(`io-intelligence-${pkg.version}.vsix`),
    extension: size('dist/extension.js'),
    client: size('dist/client.js'),
    webview: size('dist/webview.js') + size('dist/webview.css'),
  };

  console.log('━━ client pipeline');
  results.pipeline = await require('../out/test/bench/pipeline.js').benchPipeline(7);
  console.log('━━ rewrite streamed into the editor: extractor + incremental adapter, 5 characters per event');
  results.rewriteStream = require('../out/test/bench/rewriteStream.js').benchRewriteStream([1000, 5000, 20000]);
  console.log('━━ streaming render (headless Chromium, real webview bundle)');
  const render = require('../out/test/bench/render.js');
  results.render = await render.benchRender([50, 100, 200], 3);
  results.conversation = await render.benchLongConversation();

  console.log('━━ latency we add: first chunk written → text in the webview DOM (real VS Code, 20 requests)');
  results.latency = await require('../out/test/bench/latency.js').benchLatency(20);

  console.log('━━ real VS Code host: activation, Explain latency, 5,000-line rewrite (5 fresh windows)');
  const { benchHostOnce } = require('../out/test/bench/hostRunner.js');
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await benchHostOnce(i === 0));
  results.host = {
    activationMs: median(runs.map((r) => r.activationMs)),
    activateFunctionMs: median(runs.map((r) => r.activateFunctionMs ?? NaN)),
    explainColdMs: median(runs.map((r) => r.explainColdMs)),
    explainWarmMs: median(runs.map((r) => r.explainWarmMs)),
    rewrite: Object.fromEntries(Object.entries(runs[0]).filter(([k]) => k.startsWith('rewrite') || k === 'singleReplaceMs')),
  };

  const r100 = results.render.find((r) => r.kb === 100);
  const perEvent = results.rewriteStream.map((r) => r.usPerEvent);
  const rows = [
    ['VSIX size', kb(results.size.vsix), '≤ 400 KB', results.size.vsix <= 400 * 1024],
    ['extension bundle (loaded at activation)', kb(results.size.extension), '—', undefined],
    ['client bundle (openai SDK, loaded on first request)', kb(results.size.client), '—', undefined],
    ['webview bundle (JS + CSS)', kb(results.size.webview), '—', undefined],
    ['activation (activate() call to resolved, host module load included)', ms(results.host.activationMs), '≤ 15 ms', results.host.activationMs <= 15],
    ['  of which our activate() body', ms(results.host.activateFunctionMs), '—', undefined],
    ['streaming render 100 KB / one-shot (main-thread time)', `${r100.ratio}× (${ms(r100.streamingMs)} / ${ms(r100.oneShotMs)})`, '≤ 2.5×', r100.ratio <= 2.5],
    ...results.render.map((r) => [`  ratio at ${r.kb} KB (must not grow)`, `${r.ratio}×`, 'flat', undefined]),
    ['longest task while streaming (100 KB)', ms(r100.longestTaskMs), '≤ 50 ms', r100.longestTaskMs <= 50],
    ['client pipeline / minimal baseline (2 MB answer)', `${results.pipeline.ratio}× (${ms(results.pipeline.oursMs)} / ${ms(results.pipeline.baselineMs)})`, '≤ 1.3×', results.pipeline.ratio <= 1.3],
    ['rewrite stream (indented CRLF, 5 chars/event): µs per event at 1k / 5k / 20k lines', `${perEvent.map((x) => x.toFixed(2)).join(' / ')} µs`, 'flat', Math.max(...perEvent) <= 2 * Math.min(...perEvent)],
    ['  before: one event re-adapted the whole proposal (at the end, 1k / 5k / 20k)', results.rewriteStream.map((r) => ms(r.wholeProposalUsAtEnd / 1000)).join(' / '), '—', undefined],
    ['5,000-line rewrite: chunks → editor edits', `${results.host.rewrite.rewriteChunks} → ${results.host.rewrite.rewriteEditsApplied}`, '≤ 1 edit per frame', undefined],
    ['5,000-line rewrite: time per chunk / single replace', `${results.host.rewrite.rewriteMsPerChunk.toFixed(2)} ms / ${ms(results.host.rewrite.singleReplaceMs)}`, '—', undefined],
    ['undo stops after Accept', String(results.host.rewrite.rewriteUndoStopsAfterAccept), '1', results.host.rewrite.rewriteUndoStopsAfterAccept === 1],
    ...results.conversation.map((c) => [`webview after ${c.turns} turns: DOM nodes / JS heap`, `${c.domNodes} / ${c.heapMb} MB`, 'flat', undefined]),
    ['latency we add: first chunk written → text in the webview DOM (median of 20)', ms(results.latency.medianMs), '≤ 16 ms', results.latency.medianMs <= 16],
    ['Explain Selection: command → request on the wire (cold)', ms(results.host.explainColdMs), '—', undefined],
    ['Explain Selection: command → request on the wire (warm)', ms(results.host.explainWarmMs), '—', undefined],
  ];
  results.table = rows.map(([measure, value, target, met]) => ({ measure, value, target, met }));
  fs.writeFileSync('bench/results.json', JSON.stringify(results, null, 2));
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n${'measure'.padEnd(width)}  value  (target)`);
  for (const [measure, value, target, met] of rows) console.log(`${measure.padEnd(width)}  ${value}  (${target})${met === undefined ? '' : met ? '  ✔' : '  ✘ missed'}`);
  console.log('\nbench/results.json written.');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
