import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkbench, developmentPayload, type Workbench } from './browser';
import { REPO_ROOT, startCodeServer, tempDir, type RunningCodeServer } from './codeServer';
import { didNotRun, type SuiteResult } from './suiteResult';

/**
 * How long the extension host may take to load the tests module before the run counts as failed. Generous because a
 * busy 2-core machine can take minutes; a host that crashes or exits is caught at once by the other signals.
 */
const START_TIMEOUT_MS = 300_000;

/**
 * Runs the integration suite (out/test/integration/index.js) inside the real Node extension host of code-server,
 * driven by headless Chromium, and returns the counts the suite wrote. A suite that never reports counts as failed,
 * and as soon as it is clear it never will (the server or the extension host exited, the page crashed, or the suite
 * did not start in time), not after the whole time-out.
 */
export async function runIntegrationInCodeServer(timeoutMs = 15 * 60_000): Promise<SuiteResult> {
  const testsModule = path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js');
  if (!fs.existsSync(testsModule)) return didNotRun('integration', `${path.relative(REPO_ROOT, testsModule)} is missing`);
  const workspace = prepareWorkspace();
  const resultDir = tempDir('result');
  const files = { result: path.join(resultDir, 'integration.json'), start: path.join(resultDir, 'started') };
  const host = await startCodeServer({
    workspace,
    env: { IOI_TEST_RESULT_FILE: files.result, IOI_TEST_START_FILE: files.start, IOINTELLIGENCE_API_KEY: '' },
  });
  let bench: Workbench | undefined;
  try {
    bench = await openWorkbench(host, developmentPayload(host, REPO_ROOT, testsModule));
    return await waitForResult(files, timeoutMs, watchForEarlyEnd(host, bench));
  } finally {
    // Also when the workbench could not be opened: a server left running would load the machine for the rest.
    await bench?.close();
    await host.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(resultDir, { recursive: true, force: true });
  }
}

/** A fresh copy of test/fixtures/workspace, so tests may edit files freely. */
export function prepareWorkspace(): string {
  const dir = tempDir('ws');
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'), dir, { recursive: true });
  return dir;
}

/** Watches for the first sign that the suite can no longer write its result, and keeps what explains it. */
interface Watch {
  /** Why the suite can no longer report, or undefined while all is well. */
  readonly ended: () => string | undefined;
  /** The end of the server log and the workbench's console errors (where the extension host reports load errors). */
  readonly diagnostics: () => string[];
}

function watchForEarlyEnd(host: RunningCodeServer, bench: Workbench): Watch {
  let seen: string | undefined;
  const consoleErrors: string[] = [];
  bench.page.on('crash', () => (seen ??= 'the workbench page crashed'));
  bench.page.on('close', () => (seen ??= 'the workbench page closed'));
  bench.page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(...message.text().split('\n').slice(0, 6));
  });
  return {
    ended: () => {
      const exited = host.exited();
      if (exited) return `code-server stopped (${exited})`;
      // code-server logs "<pid> Extension Host Process exited with code: N, signal: S." when the host ends for any
      // reason: the tests module failed to load, run() threw, or the process crashed.
      const hostExit = /Extension Host Process exited with code: [^\n]*/.exec(host.output());
      return seen ?? (hostExit ? `the extension host ended (${hostExit[0]})` : undefined);
    },
    diagnostics: () => [
      'code-server log (end):',
      ...host.output().split('\n').filter((l) => l.trim()).slice(-25).map((l) => `  ${l}`),
      'workbench console errors (end):',
      ...consoleErrors.slice(-30).map((l) => `  ${l}`),
    ],
  };
}

async function waitForResult(files: { result: string; start: string }, timeoutMs: number, watch: Watch): Promise<SuiteResult> {
  const began = Date.now();
  for (;;) {
    const result = readResult(files.result);
    if (result) return result;
    const ended = watch.ended();
    if (ended) {
      // The suite writes its result before the host exits; look once more in case both happened within one poll.
      await sleep(1_000);
      return readResult(files.result) ?? didNotRun('integration', `${ended} before the suite wrote its result`, watch.diagnostics());
    }
    const waited = Date.now() - began;
    if (!fs.existsSync(files.start) && waited > START_TIMEOUT_MS) {
      return didNotRun('integration', `the extension host did not start the suite within ${START_TIMEOUT_MS / 1000} s`, watch.diagnostics());
    }
    if (waited > timeoutMs) return didNotRun('integration', `it reported nothing within ${Math.round(timeoutMs / 1000)} s`, watch.diagnostics());
    await sleep(250);
  }
}

function readResult(file: string): SuiteResult | undefined {
  // writeResult renames a complete file into place, so an existing file is a whole one.
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as SuiteResult) : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

if (require.main === module) {
  void runIntegrationInCodeServer().then((result) => {
    console.log(result.lines.join('\n'));
    console.log(`${result.passed} passed, ${result.failed} failed`);
    process.exit(result.failed ? 1 : 0);
  });
}
