import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { RewriteResult } from '../../src/rewrite/rewriteController';
import { IoTestServer } from '../server/ioTestServer';
import { streamText } from '../server/scenarios';

/**
 * Runs inside the real extension host (extensionTestsPath) of a fresh window: activation time, Explain Selection
 * from command to request on the wire (cold, then warm), and — when asked — the 5,000-line streamed rewrite.
 * Writes its figures to IOI_BENCH_RESULT_FILE.
 */
export async function run(): Promise<void> {
  const out: Record<string, number> = {};
  const extension = vscode.extensions.getExtension<TestApi>('io-intelligence.io-intelligence')!;
  const t0 = performance.now();
  const api = (await extension.activate())!;
  out.activationMs = performance.now() - t0;
  const own = /Activated in ([\d.]+) ms/.exec(api.logLines.join('\n'));
  if (own) out.activateFunctionMs = Number(own[1]);

  const server = await new IoTestServer().start();
  await vscode.workspace.getConfiguration('ioIntelligence').update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
  await api.secrets.store('ioIntelligence.apiKey', 'bench-key');
  const folder = vscode.workspace.workspaceFolders![0].uri;
  const editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, 'src', 'math.ts'));
  editor.selection = new vscode.Selection(0, 0, 6, 1);
  for (const phase of ['explainColdMs', 'explainWarmMs']) {
    server.enqueue(streamText(['ok']));
    const start = performance.now();
    const arrived = new Promise<number>((resolve) => {
      const poll = setInterval(() => {
        if (server.chatRequests().length) {
          clearInterval(poll);
          resolve(performance.now());
        }
      }, 0);
    });
    const done = vscode.commands.executeCommand('ioIntelligence.explainSelection');
    out[phase] = (await arrived) - start;
    await done;
    server.reset();
  }
  if (process.env.IOI_BENCH_REWRITE) Object.assign(out, await benchRewrite(api, server, folder));
  await server.stop();
  fs.writeFileSync(process.env.IOI_BENCH_RESULT_FILE!, JSON.stringify(out));
}

async function benchRewrite(api: TestApi, server: IoTestServer, folder: vscode.Uri): Promise<Record<string, number>> {
  const lines = Array.from({ length: 5_000 }, (_, i) => `export const value${i} = compute(${i}); // line ${i}`);
  const original = `${lines.join('\n')}\n`;
  const proposal = original.replace(/compute/g, 'computeFast');
  const file = path.join(folder.fsPath, 'bench-5000.ts');
  fs.writeFileSync(file, original);
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
  editor.selection = new vscode.Selection(0, 0, 5_000, 0);
  const size = Math.ceil(proposal.length / 3_000);
  const pieces = proposal.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
  await vscode.workspace.getConfiguration('ioIntelligence').update('maxOutputTokens', 200_000, vscode.ConfigurationTarget.Global);
  await vscode.workspace.getConfiguration('ioIntelligence').update('editModel', 'meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8', vscode.ConfigurationTarget.Global);
  server.enqueue(streamText(pieces));
  const start = performance.now();
  const result = await vscode.commands.executeCommand<RewriteResult>('ioIntelligence.rewriteSelection', { instruction: 'rename' });
  const streamMs = performance.now() - start;
  const edit = api.rewrite.pendingFor(editor.document);
  const editsApplied = edit?.editsApplied ?? -1;
  await vscode.commands.executeCommand('ioIntelligence.acceptEdit');
  const accepted = editor.document.getText() === proposal && result.outcome === 'pending';
  await vscode.commands.executeCommand('undo');
  const undoStops = editor.document.getText() === original ? 1 : 0;

  await vscode.commands.executeCommand('workbench.action.files.revert');
  const single = performance.now();
  await editor.edit((e) => e.replace(new vscode.Range(0, 0, 5_000, 0), proposal));
  const singleReplaceMs = performance.now() - single;
  return { rewriteChunks: pieces.length, rewriteEditsApplied: editsApplied, rewriteStreamMs: streamMs, rewriteMsPerChunk: streamMs / pieces.length, rewriteUndoStopsAfterAccept: undoStops, rewriteAccepted: accepted ? 1 : 0, singleReplaceMs };
}
