import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ConversationStore } from '../../src/core/conversations';
import type { TestApi } from '../../src/extension';
import type { HostMessage, TurnView } from '../../src/protocol/messages';
import { IoTestServer } from '../server/ioTestServer';
import { faults, reasoningContent, streamText } from '../server/scenarios';
import { activateExtension, setGlobal, until } from './helpers';

const KEY = 'io-chat-integration-key';

async function openFixture(relative: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders![0].uri;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, relative));
  return vscode.window.showTextDocument(document);
}

const OPENABLE_LINKS = ['https://example.com/docs?q=1#part', 'http://localhost:8080/'];
/** Every class of link an answer could carry that must never reach the OS or VS Code's URI handlers. */
const UNOPENABLE_LINKS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'command:workbench.action.terminal.new',
  'command:ioIntelligence.setApiKey',
  'file:///etc/passwd',
  'vscode://io-intelligence.io-intelligence/callback',
  'vscode-insiders://file/etc/passwd',
  'mailto:someone@example.com',
  'ftp://example.com/file',
  '//example.com/protocol-relative',
  '/relative/path',
  'not a url',
];

/**
 * Calls `body` while vscode.env.openExternal only records what it is asked to open. The tests share the extension's
 * `vscode` API object, whose `env` VS Code leaves writable in test mode, so this sees the extension's real calls.
 */
async function recordOpenExternal(body: () => Promise<void>): Promise<string[]> {
  const env = vscode.env as { openExternal: (target: vscode.Uri) => Thenable<boolean> };
  const original = env.openExternal;
  const opened: string[] = [];
  env.openExternal = async (target) => {
    opened.push(target.toString(true));
    return true;
  };
  try {
    await body();
  } finally {
    env.openExternal = original;
  }
  return opened;
}

function lastUserMessage(server: IoTestServer): string {
  const body = server.chatRequests().at(-1)?.body as { messages: { role: string; content: string }[] };
  return body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

describe('Chat panel and Explain Selection in a real VS Code', () => {
  let server: IoTestServer;
  let api: TestApi;
  const posted = (type: HostMessage['type']): HostMessage[] => api.postedToWebview.filter((m) => m.type === type);

  before(async () => {
    server = await new IoTestServer({ stepDelayMs: 2 }).start();
    await setGlobal('baseUrl', server.baseUrl);
    api = await activateExtension();
    await api.secrets.store('ioIntelligence.apiKey', KEY);
  });
  after(async () => {
    await setGlobal('baseUrl', undefined);
    await server.stop();
  });
  beforeEach(async () => {
    server.reset();
    await vscode.commands.executeCommand('ioIntelligence.newChat');
  });

  it('Explain Selection opens the chat view, quotes file, language and lines, and streams the answer', async () => {
    const editor = await openFixture('src/math.ts');
    editor.selection = new vscode.Selection(0, 0, 6, 1);
    server.enqueue(streamText(['`average` adds ', 'the values and ', 'divides by their count.']));
    const answer = await vscode.commands.executeCommand<TurnView>('ioIntelligence.explainSelection');
    assert.equal(answer.status, 'done');
    assert.equal(answer.text, '`average` adds the values and divides by their count.');
    const [user] = api.chat.current.turns;
    assert.deepEqual({ ...user.quote, uri: undefined, code: undefined }, { uri: undefined, code: undefined, file: path.join('src', 'math.ts'), language: 'typescript', startLine: 1, endLine: 7 });
    assert.match(user.quote!.code, /^export function average[\s\S]*\n}$/);
    const sent = lastUserMessage(server);
    assert.match(sent, /src\/math\.ts \(typescript, lines 1–7\)/);
    assert.match(sent, /total \/ values\.length/);
    assert.match(sent, /export function clamp/, 'the surrounding code goes along');
    // The webview loaded its script under the CSP (it asked for state) and received the stream.
    await until(() => posted('state').length > 0, 'the webview to say it is ready');
    const deltas = posted('delta').filter((m) => m.type === 'delta' && m.turnId === answer.id);
    assert.equal(deltas.map((m) => (m.type === 'delta' ? m.content : '')).join(''), answer.text);
    const usage = answer.usage!;
    assert.equal(usage.estimated, false);
  });

  it('an empty selection explains the current line', async () => {
    const editor = await openFixture('src/math.ts');
    editor.selection = new vscode.Selection(9, 4, 9, 4);
    server.enqueue(streamText(['Clamps.']));
    await vscode.commands.executeCommand('ioIntelligence.explainSelection');
    const quote = api.chat.current.turns[0].quote!;
    assert.equal(quote.startLine, 10);
    assert.equal(quote.endLine, 10);
    assert.equal(quote.code, '  return Math.min(Math.max(value, min), max);');
  });

  it('Stop mid-stream keeps what arrived, marked stopped', async () => {
    await openFixture('src/math.ts');
    server.enqueue(faults.stall('The first half of the answer. '));
    const pending = vscode.commands.executeCommand<TurnView>('ioIntelligence.explainSelection');
    await until(() => api.chat.busy && posted('delta').some((m) => m.type === 'delta' && m.content.includes('first half')), 'the first chunk');
    await vscode.commands.executeCommand('ioIntelligence.stop');
    const answer = await pending;
    assert.equal(answer.status, 'stopped');
    assert.equal(answer.text, 'The first half of the answer. ');
    assert.equal(answer.error, undefined);
  });

  it('a failure keeps what arrived, marked interrupted, with the action that fixes it', async () => {
    await openFixture('src/math.ts');
    server.enqueue(faults.dropMidway('Partial explanation '));
    const answer = await vscode.commands.executeCommand<TurnView>('ioIntelligence.explainSelection');
    assert.equal(answer.status, 'interrupted');
    assert.equal(answer.text, 'Partial explanation ');
    assert.deepEqual(answer.error?.actions, ['retry', 'openSettings']);
    server.enqueue(faults.unauthorized());
    await api.fromWebview({ type: 'send', text: 'And now?' });
    const failed = api.chat.current.turns.at(-1)!;
    assert.deepEqual(failed.error?.actions, ['setApiKey']);
    assert.equal(failed.error?.message.includes(KEY), false);
  });

  it('a follow-up from the panel carries the conversation, and history survives a reload of the webview', async () => {
    await openFixture('src/math.ts');
    server.enqueue(streamText(['First answer.']), streamText(['Second answer.']));
    await vscode.commands.executeCommand('ioIntelligence.explainSelection');
    await api.fromWebview({ type: 'send', text: 'What about empty arrays?' });
    const body = server.chatRequests()[1].body as { messages: { role: string; content: string }[] };
    assert.deepEqual(body.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.equal(body.messages[2].content, 'First answer.');
    const conversationId = api.chat.current.id;

    const before = posted('state').length;
    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    await until(() => posted('state').length > before, 'the reloaded webview to ask for state', 20_000);
    const state = posted('state').at(-1);
    assert.ok(state?.type === 'state');
    assert.equal(state.state.conversationId, conversationId);
    assert.deepEqual(state.state.turns.map((t) => t.text), ['Explain this code.', 'First answer.', 'What about empty arrays?', 'Second answer.']);
    // Persisted in workspace state: a new window (a new store over the same state) finds it.
    const stored = new ConversationStore(api.workspaceState).get(conversationId);
    assert.equal(stored?.turns.length, 4);
  });

  it('New Chat starts a fresh conversation and the old one stays in history', async () => {
    await openFixture('src/math.ts');
    server.enqueue(streamText(['Kept in history.']));
    await vscode.commands.executeCommand('ioIntelligence.explainSelection');
    const oldId = api.chat.current.id;
    await vscode.commands.executeCommand('ioIntelligence.newChat');
    assert.notEqual(api.chat.current.id, oldId);
    assert.equal(api.chat.current.turns.length, 0);
    const state = await api.chat.state();
    assert.ok(state.history.some((h) => h.id === oldId && h.title.startsWith('Explain this code.')));
    await api.fromWebview({ type: 'openConversation', id: oldId });
    assert.equal(api.chat.current.turns[1].text, 'Kept in history.');
  });

  it('reasoning never reaches the answer text, nor what Insert puts into the file', async () => {
    const editor = await openFixture('src/math.ts');
    server.enqueue(reasoningContent(['SECRET-THOUGHT: the user wants a guard.'], ['Add a guard:\n\n```ts\nif (values.length === 0) return 0;\n```\n']));
    const answer = await vscode.commands.executeCommand<TurnView>('ioIntelligence.explainSelection');
    assert.equal(answer.reasoning, 'SECRET-THOUGHT: the user wants a guard.');
    assert.equal(answer.text.includes('SECRET-THOUGHT'), false);
    const original = editor.document.getText();
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await vscode.window.showTextDocument(editor.document);
    await api.fromWebview({ type: 'insertCode', code: 'if (values.length === 0) return 0;\n' });
    assert.equal(editor.document.getText().includes('SECRET-THOUGHT'), false);
    assert.ok(editor.document.getText().includes('if (values.length === 0) return 0;'));
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original);
  });

  it('drops messages from the webview that are not in the protocol', async () => {
    const turnsBefore = api.chat.current.turns.length;
    await api.fromWebview({ type: 'send' });
    await api.fromWebview({ type: 'eval', code: 'alert(1)' });
    assert.equal(api.chat.current.turns.length, turnsBefore);
    assert.equal(server.requests.length, 0);
  });

  it('a link clicked in an answer opens only when it is http(s): the host is asked to open nothing else', async () => {
    const opened = await recordOpenExternal(async () => {
      for (const href of [...OPENABLE_LINKS, ...UNOPENABLE_LINKS]) await api.fromWebview({ type: 'openLink', href });
    });
    // The http(s) links arriving prove the recorder sees what the extension opens; nothing else may arrive.
    assert.deepEqual(opened, OPENABLE_LINKS);
  });

  it('clicking the quoted code reveals and selects the quoted lines', async () => {
    const editor = await openFixture('src/math.ts');
    editor.selection = new vscode.Selection(8, 0, 10, 1);
    server.enqueue(streamText(['Clamp.']));
    await vscode.commands.executeCommand('ioIntelligence.explainSelection');
    const turn = api.chat.current.turns[0];
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api.fromWebview({ type: 'revealQuote', turnId: turn.id });
    const revealed = vscode.window.activeTextEditor!;
    assert.equal(revealed.document.uri.toString(), turn.quote!.uri);
    assert.deepEqual([revealed.selection.start.line, revealed.selection.end.line], [8, 10]);
  });
});
