// `npm test`: installs the offline VS Code host if missing, builds, then runs typecheck, lint, unit tests (plain
// Node), integration tests (inside a real VS Code extension host) and UI tests (Chromium driving the workbench).
// Build, typecheck and lint are steps (✔/✘), not tests. The closing line, `N passed, N failed`, counts tests only;
// a skipped test, a suite that did not run and a failed step all make the run fail (exit code 1).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const argValue = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const host = argValue('--host') ?? 'code-server';
const SUITES = ['unit', 'integration', 'ui'];
const CHOICES = ['typecheck', 'lint', ...SUITES];
// The electron host has no browser workbench, so its default run leaves the UI suite out (ask for it and it fails).
const only = argValue('--only')?.split(',') ?? (host === 'electron' ? CHOICES.filter((c) => c !== 'ui') : undefined);
const wants = (name) => !only || only.includes(name);
// `--grep TEXT` runs only the tests whose full title contains TEXT (unit, integration and UI alike): for focused work.
const grep = argValue('--grep');
if (grep) process.env.IOI_TEST_GREP = grep;
const mochaGrep = grep ? { grep } : {};

const steps = [];
const suites = [];

function heading(text) {
  console.log(`\n━━ ${text}`);
}

/** A step is not a test: it prints ✔/✘ and can fail the run, but never enters the test counts. */
function step(name, cmd, args) {
  heading(name);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const ok = result.status === 0;
  console.log(ok ? `  ✔ ${name}` : `  ✘ ${name} (${result.signal ? `killed by ${result.signal}` : `exit ${result.status}`})`);
  steps.push({ name, ok });
  return ok;
}

function failedStep(name) {
  return steps.some((s) => s.name === name && !s.ok);
}

/** Prints a suite's lines as soon as it ends, so a failure is visible before the next suite starts. */
function report(result) {
  console.log(result.lines.join('\n'));
  const note = grep && result.passed + result.failed === 0 ? ` (no test title contains "${grep}")` : '';
  console.log(`  ${result.suite}: ${result.passed} passed, ${result.failed} failed${note}`);
  suites.push(result);
}

function didNotRun(suite, reason) {
  return { suite, passed: 0, failed: 1, lines: [`  ✘ the ${suite} suite did not run: ${reason}`] };
}

/** The compiled test files of a suite; none at all is a suite that did not run. */
function testFiles(dir) {
  const abs = path.join(root, 'out', 'test', dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join(abs, f));
}

function compile() {
  // tsc never deletes what it emitted before: without this, a deleted or renamed test would keep running from out/.
  fs.rmSync(path.join(root, 'out'), { recursive: true, force: true });
  step(wants('typecheck') ? 'typecheck' : 'compile (tsc)', process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.']);
}

/** Why the suites that need a VS Code host cannot run, if they cannot. */
function hostBlocker(suite) {
  if (failedStep('install-host')) return 'the VS Code host could not be installed';
  if (failedStep('build')) return 'the build failed, so dist/ does not hold this code';
  if (suite === 'ui' && host !== 'code-server') return `the UI tests need the code-server host, not ${host}`;
  return undefined;
}

const HEADINGS = {
  unit: 'unit tests (src/core under plain Node)',
  integration: `integration tests (real VS Code extension host: ${host})`,
  ui: 'UI tests (Chromium driving the code-server workbench)',
};

async function runSuite(suite, runMocha) {
  heading(HEADINGS[suite]);
  if (!testFiles(suite).length) return didNotRun(suite, `no compiled test files in out/test/${suite}`);
  if (suite === 'unit') return runMocha('unit', testFiles('unit'), { timeout: 10_000, ...mochaGrep });
  const blocker = hostBlocker(suite);
  if (blocker) return didNotRun(suite, blocker);
  if (suite === 'ui') return runMocha('ui', testFiles('ui'), { timeout: 120_000, ...mochaGrep });
  const runner = host === 'electron' ? require('../out/test/host/runInElectron.js').runIntegrationInElectron : require('../out/test/host/runInCodeServer.js').runIntegrationInCodeServer;
  return runner();
}

async function main() {
  const unknown = (only ?? []).filter((name) => !CHOICES.includes(name));
  if (unknown.length) throw new Error(`--only ${unknown.join(',')}: not one of ${CHOICES.join(', ')}`);
  // VS Code 1.104 runs every suite; 1.139 only the UI tests of VS Code's own Chat view (scripts/hosts.json).
  if ((wants('integration') || wants('ui')) && host === 'code-server') step('install-host', 'bash', ['scripts/install-host.sh', '1.104', ...(wants('ui') ? ['1.139'] : [])]);
  step('build', process.execPath, ['esbuild.mjs']);
  compile();
  if (wants('lint')) step('lint', process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.']);

  const harness = path.join(root, 'out', 'test', 'host', 'suiteResult.js');
  const runMocha = fs.existsSync(harness) ? require(harness).runMocha : undefined;
  for (const suite of SUITES.filter(wants)) {
    if (!runMocha) {
      heading(HEADINGS[suite]);
      report(didNotRun(suite, 'the compile produced no out/test/host/suiteResult.js'));
    } else report(await runSuite(suite, runMocha).catch((error) => didNotRun(suite, String(error?.stack ?? error).split('\n').slice(0, 12).join('\n      '))));
  }
  summarize();
}

function summarize() {
  const passed = suites.reduce((n, s) => n + s.passed, 0);
  if (grep && suites.length && passed + suites.reduce((n, s) => n + s.failed, 0) === 0) {
    const line = `  ✘ no test title in ${suites.map((s) => s.suite).join(', ')} contains "${grep}"`;
    console.log(`\n${line}`);
    suites.push({ suite: '--grep', passed: 0, failed: 1, lines: [line] });
  }
  const failed = suites.reduce((n, s) => n + s.failed, 0);
  const stepsFailed = steps.filter((s) => !s.ok).map((s) => s.name);
  const failedNames = [...stepsFailed, ...suites.filter((s) => s.failed).map((s) => s.suite)];
  console.log(`\nSteps: ${steps.map((s) => `${s.ok ? '✔' : '✘'} ${s.name}`).join('  ')}`);
  if (stepsFailed.length) console.log(`Steps failed: ${stepsFailed.join(', ')}`);
  if (failedNames.length) console.log(`Failed: ${failedNames.join(', ')}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed || stepsFailed.length ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  suites.push({ suite: 'harness', passed: 0, failed: 1, lines: [] });
  summarize();
});
