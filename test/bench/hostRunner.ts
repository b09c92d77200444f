import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { developmentPayload, openWorkbench } from '../host/browser';
import { codeServerBinary, REPO_ROOT, startCodeServer, tempDir } from '../host/codeServer';
import { prepareWorkspace } from '../host/runInCodeServer';
import type { HostSummary } from './figures';
import type { HostFigures } from './hostBench';
import { spread } from './stats';

export interface HostRunOptions {
  /** The packaged VSIX: installed into a fresh extensions folder, and run from there. */
  readonly vsix: string;
  /** Also the 5,000-line streamed rewrite. */
  readonly rewrite?: boolean;
  /** Also the first-chunk path inside the host and host memory over 200 chat turns. */
  readonly chat?: boolean;
}

/**
 * One fresh window (new code-server, new browser profile, new extension host) running hostBench.ts.
 * The VSIX is installed with code-server's own `--install-extension` into a fresh folder, and that installed folder is
 * the window's extension under test: the code that runs is exactly what the VSIX installs, in test mode (so that the
 * test recorder can report the extension's own activation figure beside the host's).
 */
export async function benchHostOnce(options: HostRunOptions): Promise<HostFigures> {
  const workspace = prepareWorkspace();
  const resultDir = tempDir('bench');
  const resultFile = path.join(resultDir, 'host.json');
  const installed = installVsix(options.vsix);
  const env: Record<string, string> = { IOI_BENCH_RESULT_FILE: resultFile, IOINTELLIGENCE_API_KEY: '' };
  if (options.rewrite) env.IOI_BENCH_REWRITE = '1';
  if (options.chat) env.IOI_BENCH_CHAT = '1';
  const host = await startCodeServer({ workspace, env });
  try {
    const bench = await openWorkbench(host, developmentPayload(host, installed.extension, path.join(REPO_ROOT, 'out', 'test', 'bench', 'hostBench.js')));
    try {
      const deadline = Date.now() + 180_000;
      while (!fs.existsSync(resultFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      if (!fs.existsSync(resultFile)) throw new Error(`host bench wrote nothing:\n${host.output().slice(-2000)}`);
      const figures = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as HostFigures;
      if (figures.error) throw new Error(`host bench failed: ${figures.error}`);
      return figures;
    } finally {
      await bench.close();
    }
  } finally {
    await host.stop();
    for (const dir of [workspace, resultDir, installed.dir]) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Installs the VSIX into a fresh extensions folder; returns the folder of the installed extension. */
function installVsix(vsix: string): { dir: string; extension: string } {
  const dir = tempDir('vsix');
  const result = spawnSync(codeServerBinary(), ['--extensions-dir', dir, '--user-data-dir', path.join(dir, '.user'), '--install-extension', vsix], { encoding: 'utf8' });
  const name = fs.existsSync(dir) ? fs.readdirSync(dir).find((entry) => entry.startsWith('io-intelligence.io-intelligence-')) : undefined;
  if (result.status !== 0 || !name) throw new Error(`installing ${vsix} failed:\n${result.stdout}${result.stderr}`);
  return { dir, extension: path.join(dir, name) };
}

/**
 * `windows` fresh windows: each measures activation and Explain (cold once, warm 5 times); the first also measures the first-chunk path inside
 * the host (20 requests), host memory over 200 chat turns, and the 5,000-line rewrite.
 */
export async function benchHost(vsix: string, windows = 5): Promise<{ summary: HostSummary; runs: HostFigures[] }> {
  const runs: HostFigures[] = [];
  for (let i = 0; i < windows; i++) runs.push(await benchHostOnce({ vsix, chat: i === 0, rewrite: i === 0 }));
  const over = (key: 'activateBodyMs' | 'hostActivationMs' | 'hostCodeLoadingMs' | 'hostActivateCallMs' | 'hostActivateResolvedMs' | 'explainColdMs') =>
    spread(runs.map((r) => {
      const value = r[key];
      if (value === undefined) throw new Error(`a window did not measure ${key}`);
      return value;
    }));
  const first = runs[0];
  if (!first.hostFirstChunkMs || !first.hostMemory || !first.rewrite) throw new Error('the first window did not measure the chat and the rewrite');
  const summary: HostSummary = {
    windows,
    activateBodyMs: over('activateBodyMs'),
    hostActivationMs: over('hostActivationMs'),
    hostCodeLoadingMs: over('hostCodeLoadingMs'),
    hostActivateCallMs: over('hostActivateCallMs'),
    hostActivateResolvedMs: over('hostActivateResolvedMs'),
    explainColdMs: over('explainColdMs'),
    explainWarmMs: spread(runs.flatMap((r) => r.explainWarmMs ?? [])),
    hostFirstChunkMs: spread(first.hostFirstChunkMs, 3),
    hostMemory: first.hostMemory,
    rewrite: first.rewrite,
  };
  return { summary, runs };
}
