import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandId } from '../../src/commandIds';
import type { SetKeyResult } from '../../src/commands/apiKeyCommands';
import type { ChatState, HostMessage, Turn } from '../../src/protocol/messages';
import type { RewriteResult } from '../../src/rewrite/rewriteController';
import { demoServerOptions } from '../server/demoAnswers';
import { useFixture, type Fixture } from './fixture';
import { until } from './helpers';

/** The demo endpoint of `npm start` (the test server's --demo mode), driven through the real extension. */

function lastState(fx: Fixture): ChatState | undefined {
  const states = fx.api.postedToWebview.filter((m): m is Extract<HostMessage, { type: 'state' }> => m.type === 'state');
  return states.at(-1)?.state;
}

describe('Demo endpoint (npm start) in a real VS Code', () => {
  const fx = useFixture({ server: demoServerOptions(1) });

  it('any key is accepted and the demo is recognised by its marker: the chat view is told to show the Demo badge', async () => {
    const result = await vscode.commands.executeCommand<SetKeyResult>(CommandId.setApiKey, 'any key at all');
    assert.deepEqual(result, { stored: true, verified: 'ok', modelCount: 5 });
    assert.equal(fx.api.models.isDemo, true);
    await until(() => lastState(fx)?.demo === true, 'a state with demo: true for the chat view');
  });

  it('Explain Selection gets an explanation that names the selected code’s identifiers, lines and language', async () => {
    await vscode.commands.executeCommand(CommandId.setApiKey, 'demo');
    const editor = await fx.open('src/math.ts');
    editor.selection = new vscode.Selection(8, 0, 10, 1);
    const answer = await vscode.commands.executeCommand<Turn>(CommandId.explainSelection);
    assert.equal(answer.status, 'done');
    assert.match(answer.text, /3 lines of typescript/);
    assert.match(answer.text, /declares `clamp`/);
    assert.match(answer.text, /Demo endpoint/);
  });

  it('DeepSeek-R1 shows a short Thinking section; the answer itself carries no reasoning', async () => {
    await vscode.commands.executeCommand(CommandId.setApiKey, 'demo');
    await fx.setting('chatModel', 'deepseek-ai/DeepSeek-R1');
    await vscode.commands.executeCommand(CommandId.newChat);
    const editor = await fx.open('src/math.ts');
    editor.selection = new vscode.Selection(0, 0, 6, 1);
    const answer = await vscode.commands.executeCommand<Turn>(CommandId.explainSelection);
    assert.match(answer.reasoning ?? '', /7 lines of typescript from src\/math\.ts, declaring `average`/);
    assert.doesNotMatch(answer.text, /I should/);
  });

  it('a rewrite proposes only code: the selection with a doc comment above it, nothing else in the file', async () => {
    await vscode.commands.executeCommand(CommandId.setApiKey, 'demo');
    const editor = await fx.open('src/math.ts');
    const original = editor.document.getText();
    editor.selection = new vscode.Selection(8, 0, 10, 1);
    const result = await vscode.commands.executeCommand<RewriteResult>(CommandId.addDocumentation);
    assert.equal(result.outcome, 'pending');
    await vscode.commands.executeCommand(CommandId.acceptEdit);
    const doc = '/**\n * clamp: takes value, min, max.\n * @param value\n * @param min\n * @param max\n */\n';
    assert.equal(editor.document.getText(), original.replace('export function clamp', `${doc}export function clamp`));
  });

  it('another base URL is another server: the Demo labels go until it, too, says it is the demo', async () => {
    await vscode.commands.executeCommand(CommandId.setApiKey, 'demo');
    assert.equal(fx.api.models.isDemo, true);
    const plain = await fx.startServer({});
    await fx.setting('baseUrl', plain.baseUrl);
    await until(() => lastState(fx)?.demo === false, 'a state with demo: false after the base URL changed');
    assert.equal(fx.api.models.isDemo, false);
  });
});

describe('A local server that is not the demo (vLLM or Ollama on 127.0.0.1)', () => {
  const fx = useFixture({ server: {} });

  it('is never labelled Demo, although it is on a loopback address', async () => {
    const result = await vscode.commands.executeCommand<SetKeyResult>(CommandId.setApiKey, 'local-key');
    assert.equal(result?.verified, 'ok');
    assert.match(fx.server.baseUrl, /^http:\/\/127\.0\.0\.1:/);
    assert.equal(fx.api.models.isDemo, false);
    await fx.api.chat.publishState();
    assert.equal(lastState(fx)?.demo, false);
  });
});
