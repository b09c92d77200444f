import * as fs from 'node:fs';
import * as path from 'node:path';
import { didNotRun, runMocha, writeResult, type SuiteResult } from '../host/suiteResult';

/**
 * Entry point loaded by the extension host (extensionTestsPath), the contract of @vscode/test-electron:
 * run every integration test file and settle. Counts go to IOI_TEST_RESULT_FILE because the host's exit code
 * does not tell pass from fail. The runner waits for two files: IOI_TEST_START_FILE as soon as this runs (so a host
 * that never gets here is noticed at once), and the result, which is written whatever happens below.
 */
export async function run(): Promise<void> {
  const startFile = process.env.IOI_TEST_START_FILE;
  if (startFile) fs.writeFileSync(startFile, String(process.pid));
  let result: SuiteResult = didNotRun('integration', 'the run stopped before mocha reported');
  try {
    result = await runMocha('integration', testFiles(), { timeout: 60_000, ...(process.env.IOI_TEST_GREP ? { grep: process.env.IOI_TEST_GREP } : {}) });
  } catch (error) {
    result = didNotRun('integration', 'running mocha threw', String(error instanceof Error ? error.stack : error).split('\n'));
  } finally {
    const resultFile = process.env.IOI_TEST_RESULT_FILE;
    if (resultFile) writeResult(resultFile, result);
  }
  console.log(result.lines.join('\n'));
  if (result.failed > 0) throw new Error(`${result.failed} integration test(s) failed`);
}

function testFiles(): string[] {
  return fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => path.join(__dirname, name));
}
