import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SetKeyResult } from '../../src/commands/apiKeyCommands';
import type { TestApi } from '../../src/extension';
import { IoTestServer } from '../server/ioTestServer';
import { activateExtension, allSettingValues, EXTENSION_ID, SECRET_KEY, setGlobal, settingsFilesText } from './helpers';

const VALID_KEY = 'io-v2-RECOGNISABLE-test-key-7f3a9c';
const OTHER_VALID_KEY = 'io-v2-second-valid-key-1b2c';

describe('Foundation: activation, API key and model selection in a real VS Code', () => {
  let server: IoTestServer;
  let api: TestApi;

  before(async () => {
    server = await new IoTestServer({ validKeys: [VALID_KEY, OTHER_VALID_KEY] }).start();
    await setGlobal('baseUrl', server.baseUrl);
    api = await activateExtension();
  });
  after(async () => {
    await setGlobal('baseUrl', undefined);
    await setGlobal('chatModel', undefined);
    await server.stop();
  });
  beforeEach(() => server.reset());

  it('activates lazily: no "*" activation event, and its commands are registered', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(extension.isActive, true);
    const events: string[] = extension.packageJSON.activationEvents ?? [];
    assert.equal(events.includes('*'), false);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['ioIntelligence.setApiKey', 'ioIntelligence.clearApiKey', 'ioIntelligence.selectModel']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  it('Set API Key checks the key against /models and stores it in SecretStorage only', async () => {
    const result = await vscode.commands.executeCommand<SetKeyResult>('ioIntelligence.setApiKey', VALID_KEY);
    assert.deepEqual(result, { stored: true, verified: 'ok', modelCount: 5 });
    assert.equal(await api.secrets.get(SECRET_KEY), VALID_KEY);
    const check = server.requests.find((r) => r.path === '/api/v1/models');
    assert.equal(check?.headers.authorization, `Bearer ${VALID_KEY}`);
    assert.equal(settingsFilesText().includes(VALID_KEY), false, 'key in a settings file');
    assert.equal(allSettingValues().includes(VALID_KEY), false, 'key in a setting value');
    assert.equal(JSON.stringify(api.globalState.keys().map((k) => api.globalState.get(k))).includes(VALID_KEY), false, 'key in global state');
  });

  it('Set API Key refuses a key the server rejects and keeps the previous one', async () => {
    await vscode.commands.executeCommand('ioIntelligence.setApiKey', VALID_KEY);
    const result = await vscode.commands.executeCommand<SetKeyResult>('ioIntelligence.setApiKey', 'io-wrong-key');
    assert.deepEqual(result, { stored: false, verified: 'rejected' });
    assert.equal(await api.secrets.get(SECRET_KEY), VALID_KEY);
  });

  it('Select Model lists the test server’s chat models and sets the chat model', async () => {
    await vscode.commands.executeCommand('ioIntelligence.setApiKey', VALID_KEY);
    server.reset();
    const chosen = await vscode.commands.executeCommand<string>('ioIntelligence.selectModel', 'meta-llama/Llama-3.3-70B-Instruct');
    assert.equal(chosen, 'meta-llama/Llama-3.3-70B-Instruct');
    assert.equal(vscode.workspace.getConfiguration('ioIntelligence').get('chatModel'), 'meta-llama/Llama-3.3-70B-Instruct');
    assert.equal(server.requests.filter((r) => r.path === '/api/v1/models').length, 1);
  });

  it('Select Model refuses a model the server does not list, and an embeddings model', async () => {
    await vscode.commands.executeCommand('ioIntelligence.setApiKey', VALID_KEY);
    await setGlobal('chatModel', 'meta-llama/Llama-3.3-70B-Instruct');
    assert.equal(await vscode.commands.executeCommand('ioIntelligence.selectModel', 'acme/not-served'), undefined);
    assert.equal(await vscode.commands.executeCommand('ioIntelligence.selectModel', 'BAAI/bge-multilingual-gemma2'), undefined);
    assert.equal(vscode.workspace.getConfiguration('ioIntelligence').get('chatModel'), 'meta-llama/Llama-3.3-70B-Instruct');
  });

  it('Clear API Key forgets the key: nothing is sent afterwards', async () => {
    await vscode.commands.executeCommand('ioIntelligence.setApiKey', VALID_KEY);
    await vscode.commands.executeCommand('ioIntelligence.clearApiKey');
    assert.equal(await api.secrets.get(SECRET_KEY), undefined);
    server.reset();
    assert.equal(await vscode.commands.executeCommand('ioIntelligence.selectModel', 'meta-llama/Llama-3.3-70B-Instruct'), undefined);
    assert.equal(server.requests.length, 0, 'no request without a key');
  });

  it('sends the key as a Bearer token to the configured base URL only; a workspace baseUrl is ignored', async () => {
    const elsewhere = await new IoTestServer().start();
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const workspaceSettings = path.join(folder, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(workspaceSettings), { recursive: true });
    fs.writeFileSync(workspaceSettings, JSON.stringify({ 'ioIntelligence.baseUrl': elsewhere.baseUrl }));
    try {
      await vscode.commands.executeCommand('ioIntelligence.setApiKey', OTHER_VALID_KEY);
      await vscode.commands.executeCommand('ioIntelligence.selectModel', 'Qwen/Qwen2.5-Coder-32B-Instruct');
      assert.ok(server.requests.length >= 2);
      for (const request of server.requests) {
        assert.equal(request.headers.authorization, `Bearer ${OTHER_VALID_KEY}`);
        assert.ok(request.path.startsWith('/api/v1/'));
      }
      assert.equal(elsewhere.requests.length, 0, 'the workspace base URL received nothing');
    } finally {
      fs.rmSync(path.join(folder, '.vscode'), { recursive: true, force: true });
      await elsewhere.stop();
    }
  });
});
