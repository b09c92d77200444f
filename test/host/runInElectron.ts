import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT, tempDir } from './codeServer';
import { prepareWorkspace } from './runInCodeServer';
import { didNotRun, type SuiteResult } from './suiteResult';

/**
 * The same integration suite under @vscode/test-electron: a desktop VS Code that it downloads, or the one
 * VSCODE_EXECUTABLE names. (These offline machines can do neither; there the code-server host is used.)
 * runTests settles when VS Code exits, so a host that dies early is noticed at once; a missing result is a failure.
 */
export async function runIntegrationInElectron(): Promise<SuiteResult> {
  const testsModule = path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js');
  if (!fs.existsSync(testsModule)) return didNotRun('integration', `${path.relative(REPO_ROOT, testsModule)} is missing`);
  const workspace = prepareWorkspace();
  const resultFile = path.join(tempDir('result'), 'integration.json');
  const userDataDir = tempDir('user');
  let failure = 'VS Code exited without a result';
  try {
    await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      version: process.env.VSCODE_EXECUTABLE ? undefined : '1.100.3',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: testsModule,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userDataDir}`],
      extensionTestsEnv: { IOI_TEST_RESULT_FILE: resultFile, IOI_TEST_USER_DATA_DIR: userDataDir, IOINTELLIGENCE_API_KEY: '' },
    });
  } catch (error) {
    failure = `VS Code (electron) could not run the suite: ${String(error)}`;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  if (!fs.existsSync(resultFile)) return didNotRun('integration', failure);
  return JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SuiteResult;
}
