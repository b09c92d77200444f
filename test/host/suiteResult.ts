import * as fs from 'node:fs';
import Mocha from 'mocha';

/** What a suite run reports back to scripts/test.mjs; written by the suite itself because the host's exit code lies. */
export interface SuiteResult {
  readonly suite: string;
  readonly passed: number;
  readonly failed: number;
  readonly lines: readonly string[];
}

/** Runs mocha on the given files, printing a spec-like log into `lines` and counting passes and failures. */
export async function runMocha(suite: string, files: readonly string[], options: Mocha.MochaOptions = {}): Promise<SuiteResult> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: Mocha.reporters.Base, ...options });
  for (const file of files) mocha.addFile(file);
  const lines: string[] = [];
  let passed = 0;
  let failed = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => {
      passed++;
      lines.push(`  ✔ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
    });
    runner.on('fail', (test, error: Error) => {
      failed++;
      lines.push(`  ✘ ${test.fullTitle()}`, `      ${String(error?.stack ?? error).split('\n').slice(0, 8).join('\n      ')}`);
    });
  });
  return { suite, passed, failed, lines };
}

export function writeResult(file: string, result: SuiteResult): void {
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
}
