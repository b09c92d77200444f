import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandId } from '../../src/commandIds';
import type { SetKeyResult } from '../../src/commands/apiKeyCommands';
import { useFixture } from './fixture';
import { allSettingValues, EXTENSION_ID, SECRET_KEY, settingsFilesText } from './helpers';

const VALID_KEY = 'io-v2-RECOGNISABLE-test-key-7f3a9c';
const OTHER_VALID_KEY = 'io-v2-second-valid-key-1b2c';

describe('Foundation: activation, API key and model selection in a real VS Code', () => {
  const fx = useFixture({ server: { validKeys: [VALID_KEY, OTHER_VALID_KEY] } });

  it('activates lazily: no "*" activation event, and its commands are registered', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(extension.isActive, true);
    const events: string[] = extension.packageJSON.activationEvents ?? [];
    assert.equal(events.includes('*'), false);
    const commands = await vscode.commands.getCommands(true);
    for (const id of [CommandId.setApiKey, CommandId.clearApiKey, CommandId.selectModel]) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  it('Set API Key checks the key against /models and stores it in SecretStorage only', async () => {
    const result = await vscode.commands.executeCommand<SetKeyResult>(CommandId.setApiKey, VALID_KEY);
    assert.deepEqual(result, { stored: true, verified: 'ok', modelCount: 6 });
    assert.equal(await fx.api.secrets.get(SECRET_KEY), VALID_KEY);
    const check = fx.server.requests.find((r) => r.path === '/api/v1/models');
    assert.equal(check?.headers.authorization, `Bearer ${VALID_KEY}`);
    assert.equal(settingsFilesText().includes(VALID_KEY), false, 'key in a settings file');
    assert.equal(allSettingValues().includes(VALID_KEY), false, 'key in a setting value');
    assert.equal(JSON.stringify(fx.api.globalState.keys().map((k) => fx.api.globalState.get(k))).includes(VALID_KEY), false, 'key in global state');
  });

  it('Set API Key refuses a key the server rejects and keeps the previous one', async () => {
    await vscode.commands.executeCommand(CommandId.setApiKey, VALID_KEY);
    const result = await vscode.commands.executeCommand<SetKeyResult>(CommandId.setApiKey, 'io-wrong-key');
    assert.deepEqual(result, { stored: false, verified: 'rejected' });
    assert.equal(await fx.api.secrets.get(SECRET_KEY), VALID_KEY);
  });

  it('Select Model lists the test server’s chat models and sets the chat model', async () => {
    await vscode.commands.executeCommand(CommandId.setApiKey, VALID_KEY);
    fx.server.reset();
    const chosen = await vscode.commands.executeCommand<string>(CommandId.selectModel, 'meta-llama/Llama-3.3-70B-Instruct');
    assert.equal(chosen, 'meta-llama/Llama-3.3-70B-Instruct');
    assert.equal(vscode.workspace.getConfiguration('ioIntelligence').get('chatModel'), 'meta-llama/Llama-3.3-70B-Instruct');
    assert.equal(fx.server.requests.filter((r) => r.path === '/api/v1/models').length, 1);
  });

  it('Select Model sets the model of the target it is given: the chat, rewrites, completions, or all; nothing else', async () => {
    await vscode.commands.executeCommand(CommandId.setApiKey, VALID_KEY);
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('ioIntelligence');
    const models = (): unknown[] => [config().get('chatModel'), config().get('editModel'), config().get('completionModel')];
    const [qwen, llama, mistral, r1] = ['Qwen/Qwen2.5-Coder-32B-Instruct', 'meta-llama/Llama-3.3-70B-Instruct', 'nvidia/AceMath-7B-Instruct', 'deepseek-ai/DeepSeek-R1-0528'];
    await fx.setting('chatModel', qwen);
    await fx.setting('editModel', qwen);
    await fx.setting('completionModel', qwen);
    assert.equal(await vscode.commands.executeCommand(CommandId.selectModel, llama, { target: 'edit' }), llama);
    assert.deepEqual(models(), [qwen, llama, qwen]);
    assert.equal(await vscode.commands.executeCommand(CommandId.selectModel, mistral, { target: 'all' }), mistral);
    assert.deepEqual(models(), [mistral, mistral, mistral]);
    assert.equal(await vscode.commands.executeCommand(CommandId.selectModel, qwen, { target: 'chat' }), qwen);
    assert.deepEqual(models(), [qwen, mistral, mistral]);
    assert.equal(await vscode.commands.executeCommand(CommandId.selectModel, llama, { target: 'completion' }), llama);
    assert.deepEqual(models(), [qwen, mistral, llama]);
    assert.equal(await vscode.commands.executeCommand(CommandId.selectModel, llama, { target: 'embeddings' }), undefined);
    assert.deepEqual(models(), [qwen, mistral, llama]);
    // A reasoning model never serves completions: refused for them alone, left out of them for "all".
    assert.equal(await vscode.commands.executeCommand(CommandId.selectModel, r1, { target: 'completion' }), undefined);
    assert.deepEqual(models(), [qwen, mistral, llama]);
    assert.equal(await vscode.commands.executeCommand(CommandId.selectModel, r1, { target: 'all' }), r1);
    assert.deepEqual(models(), [r1, r1, llama]);
  });

  it('Select Model refuses a model the server does not list, and an embeddings model', async () => {
    await vscode.commands.executeCommand(CommandId.setApiKey, VALID_KEY);
    await fx.setting('chatModel', 'meta-llama/Llama-3.3-70B-Instruct');
    assert.equal(await vscode.commands.executeCommand(CommandId.selectModel, 'acme/not-served'), undefined);
    assert.equal(await vscode.commands.executeCommand(CommandId.selectModel, 'BAAI/bge-multilingual-gemma2'), undefined);
    assert.equal(vscode.workspace.getConfiguration('ioIntelligence').get('chatModel'), 'meta-llama/Llama-3.3-70B-Instruct');
  });

  it('Clear API Key forgets the key: nothing is sent afterwards', async () => {
    await vscode.commands.executeCommand(CommandId.setApiKey, VALID_KEY);
    await vscode.commands.executeCommand(CommandId.clearApiKey);
    assert.equal(await fx.api.secrets.get(SECRET_KEY), undefined);
    fx.server.reset();
    assert.equal(await vscode.commands.executeCommand(CommandId.selectModel, 'meta-llama/Llama-3.3-70B-Instruct'), undefined);
    assert.equal(fx.server.requests.length, 0, 'no request without a key');
  });

  it('sends the key as a Bearer token to the configured base URL only; a workspace baseUrl is ignored', async () => {
    const elsewhere = await fx.startServer();
    fx.writeFile('.vscode/settings.json', JSON.stringify({ 'ioIntelligence.baseUrl': elsewhere.baseUrl }));
    await vscode.commands.executeCommand(CommandId.setApiKey, OTHER_VALID_KEY);
    await vscode.commands.executeCommand(CommandId.selectModel, 'Qwen/Qwen2.5-Coder-32B-Instruct');
    assert.ok(fx.server.requests.length >= 2);
    for (const request of fx.server.requests) {
      assert.equal(request.headers.authorization, `Bearer ${OTHER_VALID_KEY}`);
      assert.ok(request.path.startsWith('/api/v1/'));
    }
    assert.equal(elsewhere.requests.length, 0, 'the workspace base URL received nothing');
  });
});
