import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { HostMessage } from '../../src/protocol/messages';
import type { RewriteResult } from '../../src/rewrite/rewriteController';
import { IoTestServer } from '../server/ioTestServer';
import { streamText } from '../server/scenarios';
import { chunk, mixedAnswer } from './answers';
import { round } from './stats';

const EXTENSION_ID = 'io-intelligence.io-intelligence';

/** What one fresh window measured; hostRunner.ts gathers these over several windows. */
export interface HostFigures {
  /** Our activate() body, timed by the extension itself ("Activated in … ms", a debug line the test recorder keeps). */
  activateBodyMs?: number;
  /** The extension host's own ExtensionActivationTimes for our extension (ms, Date.now() resolution). */
  hostCodeLoadingMs?: number;
  hostActivateCallMs?: number;
  hostActivateResolvedMs?: number;
  /** codeLoadingTime + activateCallTime + activateResolvedTime. */
  hostActivationMs?: number;
  explainColdMs?: number;
  /** Each warm run in this window. */
  explainWarmMs?: number[];
  /** Network read that carried an answer's first chunk → the `delta` with its text posted to the webview, ms. */
  hostFirstChunkMs?: number[];
  /** Extension host heap in use / RSS after a forced GC, MB, after 0, 50, 100 and 200 chat turns. */
  hostMemory?: { turns: number; heapMb: number; rssMb: number }[];
  rewrite?: Record<string, number>;
  /** Wall time of each part, ms (to keep the whole bench short). */
  phasesMs?: Record<string, number>;
  error?: string;
}

/**
 * Runs inside the real extension host (extensionTestsPath) of a fresh window, where our extension is the VSIX as
 * installed: activation (our own figure and the host's), Explain Selection from command to request on the wire (cold,
 * then warm), and when asked the first-chunk path inside the host, host memory over 200 chat turns, and the
 * 5,000-line streamed rewrite. Writes its figures to IOI_BENCH_RESULT_FILE, also when a part fails.
 */
export async function run(): Promise<void> {
  const out: HostFigures = {};
  try {
    await measure(out);
  } catch (error) {
    out.error = String(error instanceof Error ? error.stack : error);
  }
  fs.writeFileSync(process.env.IOI_BENCH_RESULT_FILE!, JSON.stringify(out));
}

async function measure(out: HostFigures): Promise<void> {
  const phases: Record<string, number> = (out.phasesMs = {});
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      phases[name] = Math.round(performance.now() - start);
    }
  };
  const extension = vscode.extensions.getExtension<TestApi>(EXTENSION_ID)!;
  const api = (await extension.activate())!;
  const own = /Activated in ([\d.]+) ms/.exec(api.logLines.join('\n'));
  if (own) out.activateBodyMs = Number(own[1]);
  Object.assign(out, await phase('hostActivation', hostActivationTimes));

  const server = await new IoTestServer().start();
  try {
    await vscode.workspace.getConfiguration('ioIntelligence').update('baseUrl', server.baseUrl, vscode.ConfigurationTarget.Global);
    await api.secrets.store('ioIntelligence.apiKey', 'bench-key');
    await phase('explain', () => benchExplain(out, server, 5));
    if (process.env.IOI_BENCH_CHAT) {
      out.hostFirstChunkMs = await phase('firstChunk', () => benchFirstChunk(api, server, 20));
      out.hostMemory = await phase('memory', () => benchHostMemory(api, server, [0, 50, 100, 200]));
    }
    if (process.env.IOI_BENCH_REWRITE) out.rewrite = await phase('rewrite', () => benchRewrite(api, server, vscode.workspace.workspaceFolders![0].uri));
  } finally {
    await server.stop();
  }
}

/**
 * The host's ExtensionActivationTimes for our extension, as VS Code shows them in Developer: Startup Performance
 * (its "Extension Activation Stats" table, a text model at perf:Startup Performance that extensions can read).
 */
async function hostActivationTimes(): Promise<Partial<HostFigures>> {
  // The view's content provider is created with the view (a lazy workbench contribution): open it first.
  await vscode.commands.executeCommand('perfview.show');
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse('perf:Startup Performance'));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const row = document
      .getText()
      .split('\n')
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .find((cells) => cells[1] === EXTENSION_ID);
    if (row) {
      const [codeLoading, activateCall, activateResolved] = row.slice(3, 6).map(Number);
      return { hostCodeLoadingMs: codeLoading, hostActivateCallMs: activateCall, hostActivateResolvedMs: activateResolved, hostActivationMs: codeLoading + activateCall + activateResolved };
    }
    if (Date.now() > deadline) throw new Error(`no activation times for ${EXTENSION_ID} in Startup Performance:\n${document.getText().slice(0, 2000)}`);
    await sleep(200);
  }
}

/** Explain Selection from the command to the request on the wire: once cold (first in the window), then warm. */
async function benchExplain(out: HostFigures, server: IoTestServer, warmRuns: number): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0].uri;
  const editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, 'src', 'math.ts'));
  editor.selection = new vscode.Selection(0, 0, 6, 1);
  const once = async (): Promise<number> => {
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
    const ms = (await arrived) - start;
    await done;
    server.reset();
    return ms;
  };
  out.explainColdMs = await once();
  out.explainWarmMs = [];
  for (let i = 0; i < warmRuns; i++) out.explainWarmMs.push(await once());
}

/** One network read of an answer's body: when it reached JavaScript, and its bytes. */
interface NetworkRead {
  readonly at: number;
  readonly bytes: Uint8Array;
}

/**
 * Records every read of a chat completion's body as it reaches JavaScript (performance.now()), by wrapping the global
 * fetch under the client (the client takes its transport from the global fetch when it is created). Test code only:
 * nothing in the extension knows.
 */
function recordNetworkReads(): { reads: NetworkRead[]; restore(): void } {
  const reads: NetworkRead[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!response.body || !url.endsWith('/chat/completions')) return response;
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        reads.push({ at: performance.now(), bytes: value });
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return { reads, restore: () => (globalThis.fetch = original) };
}

/**
 * The host's own part of the first-chunk latency: from the network read that carried an answer's first content to
 * the `delta` with that text being posted to the chat webview (the view posts it before this listener runs). The chat
 * view is open, as in the UI latency bench; two warm-up requests are not kept.
 */
async function benchFirstChunk(api: TestApi, server: IoTestServer, requests: number): Promise<number[]> {
  await vscode.commands.executeCommand('ioIntelligence.openChat');
  await until(() => api.postedToWebview.some((m) => m.type === 'state'), 30_000, 'the chat view never asked for its state');
  const network = recordNetworkReads();
  let mark = '';
  let postedAt: number | undefined;
  const listener = api.chat.onMessage((message: HostMessage) => {
    if (postedAt === undefined && message.type === 'delta' && message.content.includes(mark)) postedAt = performance.now();
  });
  const samples: number[] = [];
  try {
    for (let i = 0; i < requests + 2; i++) {
      mark = `FIRST-${i}-CHUNK`;
      postedAt = undefined;
      network.reads.length = 0;
      server.enqueue({ kind: 'stream', steps: [{ type: 'content', text: `${mark} ` }, { type: 'wait', ms: 30 }, { type: 'content', text: 'rest.' }, { type: 'finish', reason: 'stop' }, { type: 'done' }] });
      await api.fromWebview({ type: 'send', text: `latency ${i}` });
      const read = network.reads.find((r) => Buffer.from(r.bytes).toString('utf8').includes(mark));
      if (!read || postedAt === undefined) throw new Error(`request ${i}: ${read ? 'no delta was posted' : 'no network read carried the first chunk'}`);
      if (i >= 2) samples.push(postedAt - read.at);
    }
  } finally {
    listener.dispose();
    network.restore();
  }
  return samples;
}

/** Extension host heap and RSS after a forced GC, after each number of chat turns (answers of about 2 KB, 20 deltas). */
async function benchHostMemory(api: TestApi, server: IoTestServer, checkpoints: readonly number[]): Promise<{ turns: number; heapMb: number; rssMb: number }[]> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  await api.chat.newChat();
  const pieces = chunk(mixedAnswer(2).text, 20);
  const out: { turns: number; heapMb: number; rssMb: number }[] = [];
  let turns = 0;
  for (const target of checkpoints) {
    for (; turns < target; turns++) {
      server.enqueue(streamText(pieces));
      await api.fromWebview({ type: 'send', text: `question ${turns}` });
    }
    server.reset();
    gc();
    await sleep(100);
    gc();
    const memory = process.memoryUsage();
    out.push({ turns: target, heapMb: round(memory.heapUsed / 1e6, 1), rssMb: round(memory.rss / 1e6, 1) });
  }
  return out;
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

async function until(condition: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(message);
    await sleep(50);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
