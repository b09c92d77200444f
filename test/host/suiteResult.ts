import * as fs from 'node:fs';
import Mocha from 'mocha';

/** What a suite run reports back to scripts/test.mjs; written by the suite itself because the host's exit code lies. */
export interface SuiteResult {
  readonly suite: string;
  readonly passed: number;
  readonly failed: number;
  readonly lines: readonly string[];
}

/** A suite that could not run at all: one failure with the reason, so the closing line can never read "0 failed". */
export function didNotRun(suite: string, reason: string, detail: readonly string[] = []): SuiteResult {
  return { suite, passed: 0, failed: 1, lines: [`  ✘ the ${suite} suite did not run: ${reason}`, ...detail.map((l) => `      ${l}`)] };
}

interface Tally {
  passed: number;
  failed: number;
  readonly lines: string[];
  readonly reported: Set<Mocha.Test>;
}

/**
 * Runs mocha on the given files, printing a spec-like log into `lines`. Every test is counted exactly once as passed or
 * failed: a skipped or pending test (it.skip, describe.skip, this.skip(), an `it` without a body) and a test that never
 * ran (its hook failed) are failures, because a green run must mean every test ran and passed. A failing hook counts
 * as one failure of its own. Files that cannot be loaded fail the suite instead of throwing.
 */
export async function runMocha(suite: string, files: readonly string[], options: Mocha.MochaOptions = {}): Promise<SuiteResult> {
  if (files.length === 0) return didNotRun(suite, 'no compiled test files');
  // forbidOnly: a stray `.only` would silently skip every other test.
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: Mocha.reporters.Base, forbidOnly: true, ...options });
  for (const file of files) mocha.addFile(file);
  const tally: Tally = { passed: 0, failed: 0, lines: [], reported: new Set() };
  let runner: Mocha.Runner;
  try {
    await new Promise<void>((resolve) => {
      // run() loads (requires) the files synchronously: a file that throws at load time throws here.
      runner = mocha.run(() => resolve());
      listen(runner, tally);
    });
  } catch (error) {
    return didNotRun(suite, 'its test files could not be loaded', stackLines(error));
  }
  countNotRun(mocha.suite, options.grep, tally);
  if (tally.passed + tally.failed === 0 && !options.grep) return didNotRun(suite, 'the test files define no tests');
  return { suite, passed: tally.passed, failed: tally.failed, lines: tally.lines };
}

function listen(runner: Mocha.Runner, tally: Tally): void {
  runner.on('pass', (test) => {
    tally.passed++;
    tally.reported.add(test);
    tally.lines.push(`  ✔ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
  });
  runner.on('fail', (runnable, error: unknown) => {
    tally.failed++;
    if (runnable.type === 'test') tally.reported.add(runnable as Mocha.Test);
    tally.lines.push(`  ✘ ${runnable.fullTitle()}`, ...stackLines(error).map((l) => `      ${l}`));
  });
  runner.on('pending', (test) => {
    tally.failed++;
    tally.reported.add(test);
    tally.lines.push(`  ✘ ${test.fullTitle()} — skipped (a skipped or pending test counts as failed)`);
  });
}

/** Tests that the run selected but that reported nothing: a hook failed before them, or the run stopped early. */
function countNotRun(root: Mocha.Suite, grep: string | RegExp | undefined, tally: Tally): void {
  const selected = (test: Mocha.Test): boolean => !grep || (typeof grep === 'string' ? test.fullTitle().includes(grep) : grep.test(test.fullTitle()));
  const missing = allTests(root).filter((test) => selected(test) && !tally.reported.has(test));
  for (const test of missing) tally.lines.push(`  ✘ ${test.fullTitle()} — did not run (see the failure above)`);
  tally.failed += missing.length;
}

function allTests(suite: Mocha.Suite): Mocha.Test[] {
  return [...suite.tests, ...suite.suites.flatMap(allTests)];
}

/** The whole message (an assertion's diff is in it) and the first frames of the stack. */
function stackLines(error: unknown): string[] {
  if (!(error instanceof Error)) return String(error).split('\n').slice(0, 30);
  const frames = (error.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  return [`${error.name}: ${error.message}`.split('\n').slice(0, 40), frames.slice(0, 6)].flat();
}

export function writeResult(file: string, result: SuiteResult): void {
  // Write then rename, so a reader polling for the file never sees half of it.
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(result, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}
