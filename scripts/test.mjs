// `npm test`: installs the offline VS Code host if missing, builds, then runs typecheck, lint, unit tests (plain
// Node), integration tests (inside a real VS Code extension host) and UI tests (Chromium driving the workbench).
// Ends with one line of its own, `N passed, N failed`, and exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const host = process.argv.includes('--host') ? process.argv[process.argv.indexOf('--host') + 1] : 'code-server';
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : undefined;
const wants = (step) => !only || only.includes(step);
// `--grep TEXT` runs only the tests whose full title contains TEXT (unit, integration and UI alike): for focused work.
const grep = process.argv.includes('--grep') ? process.argv[process.argv.indexOf('--grep') + 1] : undefined;
if (grep) process.env.IOI_TEST_GREP = grep;
const mochaGrep = grep ? { grep } : {};

const totals = { passed: 0, failed: 0 };
const failures = [];

function heading(text) {
  console.log(`\n━━ ${text}`);
}

function command(name, cmd, args) {
  heading(name);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  count(name, result.status === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1, lines: [`  ✘ ${name} (exit ${result.status})`] });
  return result.status === 0;
}

function count(name, result) {
  totals.passed += result.passed;
  totals.failed += result.failed;
  if (result.failed) failures.push(name);
}

function report(name, result) {
  console.log(result.lines.join('\n'));
  console.log(`  ${name}: ${result.passed} passed, ${result.failed} failed`);
  count(name, result);
}

function testFiles(dir) {
  const abs = path.join(root, 'out', 'test', dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join(abs, f));
}

async function main() {
  const needsHost = wants('integration') || wants('ui');
  if (needsHost && host === 'code-server') {
    heading('VS Code host (code-server, cached)');
    const install = spawnSync('bash', ['scripts/install-host.sh'], { stdio: 'inherit' });
    if (install.status !== 0) count('install-host', { passed: 0, failed: 1 });
  }
  command('build', process.execPath, ['esbuild.mjs']);
  if (wants('typecheck')) command('typecheck', process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.']);
  else spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.'], { stdio: 'inherit' });
  if (wants('lint')) command('lint', process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.']);

  const { runMocha } = require('../out/test/host/suiteResult.js');
  if (wants('unit')) {
    heading('unit tests (src/core under plain Node)');
    report('unit', await runMocha('unit', testFiles('unit'), { timeout: 10_000, ...mochaGrep }));
  }
  if (wants('integration')) {
    heading(`integration tests (real VS Code extension host: ${host})`);
    const runner = host === 'electron' ? require('../out/test/host/runInElectron.js').runIntegrationInElectron : require('../out/test/host/runInCodeServer.js').runIntegrationInCodeServer;
    report('integration', await runner());
  }
  if (wants('ui') && host === 'code-server' && testFiles('ui').length) {
    heading('UI tests (Chromium driving the code-server workbench)');
    report('ui', await runMocha('ui', testFiles('ui'), { timeout: 120_000, ...mochaGrep }));
  }

  console.log(failures.length ? `\nFailed: ${failures.join(', ')}` : '');
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  console.log(`${totals.passed} passed, ${totals.failed + 1} failed`);
  process.exit(1);
});
