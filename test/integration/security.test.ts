import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandId } from '../../src/commandIds';
import type { RewriteResult } from '../../src/rewrite/rewriteController';
import { writeConcern } from '../../src/writeGuard';
import { faults, httpError, streamText } from '../server/scenarios';
import { useFixture } from './fixture';
import { allSettingValues, SECRET_KEY, settingsFilesText } from './helpers';

const LEAKY_KEY = 'io-LEAKCHECK-4f8e2a91c7d3b6e5';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe('Security in a real VS Code', () => {
  const fx = useFixture({ server: { validKeys: [LEAKY_KEY] } });

  it('asks before writing into .vscode/, .env files, git internals or files outside the workspace', async () => {
    const check = async (file: string): Promise<string | undefined> => writeConcern(await vscode.workspace.openTextDocument(fx.writeFile(file, 'x\n')));
    assert.match((await check('.vscode/tasks.json')) ?? '', /editor configuration/);
    assert.match((await check('.env.local')) ?? '', /environment secrets/);
    assert.match((await check('.git/config')) ?? '', /git internals/);
    assert.match((await check(path.join(os.tmpdir(), `ioi-outside-${Date.now()}.ts`))) ?? '', /outside the workspace/);
    assert.equal(await check('src/ok.ts'), undefined);
  });

  it('key-leak scan: after the main flows, the key is nowhere but SecretStorage', async () => {
    await vscode.commands.executeCommand(CommandId.setApiKey, LEAKY_KEY);
    await vscode.commands.executeCommand(CommandId.selectModel, 'Qwen/Qwen2.5-Coder-32B-Instruct');
    const editor = await fx.open('src/math.ts');
    editor.selection = new vscode.Selection(0, 0, 6, 1);
    fx.server.enqueue(streamText(['Explained.']));
    await vscode.commands.executeCommand(CommandId.explainSelection);
    // A server that echoes the key back in its error must not get it shown or logged.
    fx.server.enqueue(httpError(401, { error: { message: `Key ${LEAKY_KEY} is not valid (Authorization: Bearer ${LEAKY_KEY})` } }));
    await fx.api.fromWebview({ type: 'send', text: 'follow-up' });
    fx.server.enqueue(faults.dropMidway('partial '));
    await fx.api.fromWebview({ type: 'send', text: 'another' });
    fx.server.enqueue(streamText(['export function average(values: number[]): number {\n  return 0;\n}\n']));
    const rewrite = await vscode.commands.executeCommand<RewriteResult>(CommandId.rewriteSelection, { instruction: 'Return 0.' });
    await vscode.commands.executeCommand(CommandId.rejectEdit);
    assert.equal(rewrite.outcome, 'pending');
    assert.ok(fx.server.requests.every((r) => r.headers.authorization === `Bearer ${LEAKY_KEY}`), 'the flows really used the key');

    const places: Record<string, string> = {
      'settings files': settingsFilesText(),
      'setting values': allSettingValues(),
      'global state': JSON.stringify(fx.api.globalState.keys().map((k) => [k, fx.api.globalState.get(k)])),
      'workspace state': JSON.stringify(fx.api.workspaceState.keys().map((k) => [k, fx.api.workspaceState.get(k)])),
      'log lines (every level)': fx.api.logLines.join('\n'),
      'messages to the webview': JSON.stringify(fx.api.postedToWebview),
      'error texts': JSON.stringify(fx.api.chat.current.turns.map((t) => t.error)),
      'log files on disk': filesUnder(path.join(process.env.IOI_TEST_USER_DATA_DIR ?? '/nonexistent', 'logs')).map((f) => fs.readFileSync(f, 'utf8')).join('\n'),
    };
    const hits = Object.entries(places).filter(([, text]) => text.includes(LEAKY_KEY)).map(([where]) => where);
    assert.deepEqual(hits, []);
    assert.ok(fx.api.logLines.length > 5, 'the scan saw a real log');
    assert.ok(JSON.stringify(fx.api.chat.current.turns).includes('[redacted]'), 'the echoed key was redacted in the error text');
    assert.equal(await fx.api.secrets.get(SECRET_KEY), LEAKY_KEY, 'SecretStorage itself holds it');
  });
});
