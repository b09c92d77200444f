import * as fs from 'node:fs';
import * as path from 'node:path';
import { runMocha, writeResult } from '../host/suiteResult';

/**
 * Entry point loaded by the extension host (extensionTestsPath), the contract of @vscode/test-electron:
 * run every integration test file and settle. Counts go to IOI_TEST_RESULT_FILE because the host's exit code
 * does not tell pass from fail.
 */
export async function run(): Promise<void> {
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => path.join(__dirname, name));
  const result = await runMocha('integration', files, { timeout: 60_000, ...(process.env.IOI_TEST_GREP ? { grep: process.env.IOI_TEST_GREP } : {}) });
  const resultFile = process.env.IOI_TEST_RESULT_FILE;
  if (resultFile) writeResult(resultFile, result);
  console.log(result.lines.join('\n'));
  if (result.failed > 0) throw new Error(`${result.failed} integration test(s) failed`);
}
