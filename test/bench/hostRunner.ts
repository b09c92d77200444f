import * as fs from 'node:fs';
import * as path from 'node:path';
import { developmentPayload, openWorkbench } from '../host/browser';
import { REPO_ROOT, startCodeServer, tempDir } from '../host/codeServer';
import { prepareWorkspace } from '../host/runInCodeServer';

/** One fresh window (new code-server, new browser profile, new extension host) running hostBench.ts. */
export async function benchHostOnce(withRewrite: boolean): Promise<Record<string, number>> {
  const workspace = prepareWorkspace();
  const resultFile = path.join(tempDir('bench'), 'host.json');
  const host = await startCodeServer({ workspace, env: { IOI_BENCH_RESULT_FILE: resultFile, IOINTELLIGENCE_API_KEY: '', ...(withRewrite ? { IOI_BENCH_REWRITE: '1' } : {}) } });
  const bench = await openWorkbench(host, developmentPayload(host, REPO_ROOT, path.join(REPO_ROOT, 'out', 'test', 'bench', 'hostBench.js')));
  try {
    const deadline = Date.now() + 180_000;
    while (!fs.existsSync(resultFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    if (!fs.existsSync(resultFile)) throw new Error(`host bench wrote nothing:\n${host.output().slice(-2000)}`);
    return JSON.parse(fs.readFileSync(resultFile, 'utf8')) as Record<string, number>;
  } finally {
    await bench.close();
    await host.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
