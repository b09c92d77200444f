import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkbench, developmentPayload } from './browser';
import { REPO_ROOT, startCodeServer, tempDir } from './codeServer';
import type { SuiteResult } from './suiteResult';

/**
 * Runs the integration suite (out/test/integration/index.js) inside the real Node extension host of code-server,
 * driven by headless Chromium, and returns the counts the suite wrote. A suite that never reports counts as failed.
 */
export async function runIntegrationInCodeServer(timeoutMs = 15 * 60_000): Promise<SuiteResult> {
  const workspace = prepareWorkspace();
  const resultFile = path.join(tempDir('result'), 'integration.json');
  const host = await startCodeServer({
    workspace,
    env: { IOI_TEST_RESULT_FILE: resultFile, IOINTELLIGENCE_API_KEY: '' },
  });
  const testsModule = path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js');
  const bench = await openWorkbench(host, developmentPayload(host, REPO_ROOT, testsModule));
  try {
    return await waitForResult(resultFile, timeoutMs, host.output);
  } finally {
    await bench.close();
    await host.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/** A fresh copy of test/fixtures/workspace, so tests may edit files freely. */
export function prepareWorkspace(): string {
  const dir = tempDir('ws');
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'workspace'), dir, { recursive: true });
  return dir;
}

async function waitForResult(file: string, timeoutMs: number, output: () => string): Promise<SuiteResult> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(file)) {
      try {
        return JSON.parse(fs.readFileSync(file, 'utf8')) as SuiteResult;
      } catch {
        // written but not complete yet: read again
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    suite: 'integration',
    passed: 0,
    failed: 1,
    lines: [`  ✘ the integration suite reported nothing within ${Math.round(timeoutMs / 1000)} s`, ...output().split('\n').slice(-40).map((l) => `      ${l}`)],
  };
}

if (require.main === module) {
  void runIntegrationInCodeServer().then((result) => {
    console.log(result.lines.join('\n'));
    console.log(`${result.passed} passed, ${result.failed} failed`);
    process.exit(result.failed ? 1 : 0);
  });
}
