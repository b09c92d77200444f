import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { RewriteResult } from '../../src/rewrite/rewriteController';
import { writeConcern } from '../../src/writeGuard';
import { IoTestServer } from '../server/ioTestServer';
import { faults, httpError, streamText } from '../server/scenarios';
import { activateExtension, allSettingValues, setGlobal, settingsFilesText } from './helpers';

const LEAKY_KEY = 'io-LEAKCHECK-4f8e2a91c7d3b6e5';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe('Security in a real VS Code', () => {
  let server: IoTestServer;
  let api: TestApi;

  before(async () => {
    server = await new IoTestServer({ validKeys: [LEAKY_KEY] }).start();
    await setGlobal('baseUrl', server.baseUrl);
    api = await activateExtension();
  });
  after(async () => {
    await setGlobal('baseUrl', undefined);
    await server.stop();
  });

  it('asks before writing into .vscode/, .env files, git internals or files outside the workspace', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const check = async (file: string): Promise<string | undefined> => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'x\n');
      return writeConcern(await vscode.workspace.openTextDocument(file));
    };
    assert.match((await check(path.join(folder, '.vscode', 'tasks.json'))) ?? '', /editor configuration/);
    assert.match((await check(path.join(folder, '.env.local'))) ?? '', /environment secrets/);
    assert.match((await check(path.join(folder, '.git', 'config'))) ?? '', /git internals/);
    assert.match((await check(path.join(os.tmpdir(), `ioi-outside-${Date.now()}.ts`))) ?? '', /outside the workspace/);
    assert.equal(await check(path.join(folder, 'src', 'ok.ts')), undefined);
    fs.rmSync(path.join(folder, '.vscode'), { recursive: true, force: true });
    fs.rmSync(path.join(folder, '.git'), { recursive: true, force: true });
    fs.rmSync(path.join(folder, '.env.local'), { force: true });
  });

  it('key-leak scan: after the main flows, the key is nowhere but SecretStorage', async () => {
    await vscode.commands.executeCommand('ioIntelligence.setApiKey', LEAKY_KEY);
    await vscode.commands.executeCommand('ioIntelligence.selectModel', 'Qwen/Qwen2.5-Coder-32B-Instruct');
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'src', 'math.ts')));
    editor.selection = new vscode.Selection(0, 0, 6, 1);
    server.enqueue(streamText(['Explained.']));
    await vscode.commands.executeCommand('ioIntelligence.explainSelection');
    // A server that echoes the key back in its error must not get it shown or logged.
    server.enqueue(httpError(401, { error: { message: `Key ${LEAKY_KEY} is not valid (Authorization: Bearer ${LEAKY_KEY})` } }));
    await api.fromWebview({ type: 'send', text: 'follow-up' });
    server.enqueue(faults.dropMidway('partial '));
    await api.fromWebview({ type: 'send', text: 'another' });
    server.enqueue(streamText(['export function average(values: number[]): number {\n  return 0;\n}\n']));
    const rewrite = await vscode.commands.executeCommand<RewriteResult>('ioIntelligence.rewriteSelection', { instruction: 'Return 0.' });
    await vscode.commands.executeCommand('ioIntelligence.rejectEdit');
    assert.equal(rewrite.outcome, 'pending');
    assert.ok(server.requests.every((r) => r.headers.authorization === `Bearer ${LEAKY_KEY}`), 'the flows really used the key');

    const places: Record<string, string> = {
      'settings files': settingsFilesText(),
      'setting values': allSettingValues(),
      'global state': JSON.stringify(api.globalState.keys().map((k) => [k, api.globalState.get(k)])),
      'workspace state': JSON.stringify(api.workspaceState.keys().map((k) => [k, api.workspaceState.get(k)])),
      'log lines (every level)': api.logLines.join('\n'),
      'messages to the webview': JSON.stringify(api.postedToWebview),
      'error texts': JSON.stringify(api.chat.current.turns.map((t) => t.error)),
      'log files on disk': filesUnder(path.join(process.env.IOI_TEST_USER_DATA_DIR ?? '/nonexistent', 'logs')).map((f) => fs.readFileSync(f, 'utf8')).join('\n'),
    };
    const hits = Object.entries(places).filter(([, text]) => text.includes(LEAKY_KEY)).map(([where]) => where);
    assert.deepEqual(hits, []);
    assert.ok(api.logLines.length > 5, 'the scan saw a real log');
    assert.ok(JSON.stringify(api.chat.current.turns).includes('[redacted]'), 'the echoed key was redacted in the error text');
    assert.equal(await api.secrets.get('ioIntelligence.apiKey'), LEAKY_KEY, 'SecretStorage itself holds it');
  });
});
