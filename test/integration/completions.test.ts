import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandId } from '../../src/commandIds';
import type { RecordedRequest } from '../server/ioTestServer';
import { useFixture, type Fixture } from './fixture';
import { until } from './helpers';

const KEY = 'io-completions-key';
const QWEN = 'Qwen/Qwen2.5-Coder-32B-Instruct';

function completion(text: string, extra: { waitMs?: number } = {}) {
  return {
    kind: 'stream' as const,
    steps: [...(extra.waitMs ? [{ type: 'wait' as const, ms: extra.waitMs }] : []), { type: 'content' as const, text }, { type: 'finish' as const, reason: 'stop' as const }, { type: 'usage' as const, usage: { prompt_tokens: 300, completion_tokens: 10, total_tokens: 310 } }],
  };
}

/** Opens a new file with `content` in the first editor group, the cursor at its end. */
async function editAtEnd(fx: Fixture, file: string, content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fx.writeFile(file, content));
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
  const end = editor.document.positionAt(content.length);
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

/** Asks for ghost text as Alt+\\ does; resolves once VS Code has the provider's answer. */
async function trigger(): Promise<void> {
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
}

/** Accepts the ghost text as Tab does, once VS Code shows it; resolves to the document's text after. */
async function acceptWhenShown(editor: vscode.TextEditor, before: string): Promise<string> {
  await until(async () => {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    return editor.document.getText() !== before;
  }, 'the ghost text to be accepted');
  return editor.document.getText();
}

function promptOf(request: RecordedRequest): string {
  return String((request.body as { prompt?: unknown }).prompt);
}

describe('Inline completions in a real VS Code', () => {
  const fx = useFixture({ server: { validKeys: [KEY] }, key: KEY, settings: { 'inlineCompletions.enabled': true } });

  it('the ghost text comes from the raw FIM endpoint, Tab accepts it, and it is counted apart', async () => {
    const before = fx.api.usage.ledger.completionUsageOf(QWEN);
    fx.server.enqueueCompletion(completion('a + b;'));
    const content = 'export function add(a: number, b: number): number {\n  return ';
    const editor = await editAtEnd(fx, 'src/add.ts', content);
    await trigger();
    assert.equal(await acceptWhenShown(editor, content), `${content}a + b;`);
    const [request] = fx.server.completionRequests();
    assert.match(promptOf(request), /^(?:[\s\S]*)<\|fim_prefix\|>export function add\(a: number, b: number\): number \{\n {2}return <\|fim_suffix\|><\|fim_middle\|>$/);
    const body = request.body as { model: string; max_tokens: number; stop: string[]; temperature: number };
    assert.equal(body.model, QWEN);
    assert.equal(body.temperature, 0);
    assert.ok(body.stop.length <= 4 && body.max_tokens <= 160);
    assert.equal(fx.server.chatRequests().length, 0);
    await until(() => fx.api.usage.ledger.completionUsageOf(QWEN).accepted === before.accepted + 1, 'the accepted completion counted');
    const after = fx.api.usage.ledger.completionUsageOf(QWEN);
    assert.deepEqual([after.tokens - before.tokens, after.requests - before.requests], [310, 1]);
  });

  it('typing through a suggestion sends no new request; what is left is still offered', async () => {
    fx.server.enqueueCompletion(completion('values.reduce((sum, v) => sum + v, 0);'));
    const content = 'const values = [1, 2, 3];\nconst total = ';
    const editor = await editAtEnd(fx, 'src/total.ts', content);
    await trigger();
    await until(() => fx.server.completionRequests().length === 1, 'the request');
    await until(() => fx.api.completions.counts.requests > 0, 'the answer');
    await vscode.commands.executeCommand('type', { text: 'values.re' });
    const text = await acceptWhenShown(editor, `${content}values.re`);
    assert.equal(text, `${content}values.reduce((sum, v) => sum + v, 0);`);
    assert.equal(fx.server.completionRequests().length, 1, 'typed through: no second request');
  });

  it('a keystroke while a request is on the wire aborts that HTTP request', async () => {
    fx.server.enqueueCompletion({ kind: 'stream', steps: [{ type: 'stall' }] }, completion('ms;'));
    const content = 'const timeoutMs = 1_000;\nconst wait = timeout';
    await editAtEnd(fx, 'src/wait.ts', content);
    // The trigger command waits for the answer, which this server never sends.
    void trigger();
    await until(() => fx.server.completionRequests().length === 1, 'the first request on the wire');
    await vscode.commands.executeCommand('type', { text: 'M' });
    // Well before the request's own 10 s timeout.
    await until(() => fx.server.abortedPaths().includes('/api/v1/completions'), 'the server to see the first request aborted', 3_000);
  });

  it('nothing from a file matching ioIntelligence.exclude is sent: not as the file typed in, not as an open neighbour', async () => {
    const secret = 'API_TOKEN=sk-live-never-send-this';
    const env = await editAtEnd(fx, '.env.local', `${secret}\nOTHER=`);
    await trigger();
    await until(() => fx.api.logLines.some((l) => /nothing asked in \.env\.local: it matches ioIntelligence\.exclude/.test(l)), 'the refusal in the log');
    // The .env stays open beside the file typed in: a neighbour, but never context.
    await vscode.window.showTextDocument(env.document, { viewColumn: vscode.ViewColumn.Two, preserveFocus: true });
    fx.server.enqueueCompletion(completion('process.env.OTHER;'));
    await editAtEnd(fx, 'src/config.ts', 'export const other = ');
    await trigger();
    await until(() => fx.server.completionRequests().length === 1, 'the request for config.ts');
    assert.equal(fx.server.requests.filter((r) => JSON.stringify(r.body ?? '').includes('sk-live')).length, 0);
    assert.doesNotMatch(promptOf(fx.server.completionRequests()[0]), /\.env|API_TOKEN/);
  });

  it('a pattern the user adds without a folder (`secrets/**`, `*.pem`) matches at any depth, as in files.exclude', async () => {
    await fx.setting('exclude', ['secrets/**', '*.pem']);
    await editAtEnd(fx, 'config/secrets/prod.json', '{ "password": ');
    await trigger();
    await until(() => fx.api.logLines.some((l) => /nothing asked in prod\.json: it matches ioIntelligence\.exclude/.test(l)), 'the refusal for prod.json');
    await editAtEnd(fx, 'certs/server.pem', '-----BEGIN ');
    await trigger();
    await until(() => fx.api.logLines.some((l) => /nothing asked in server\.pem: it matches ioIntelligence\.exclude/.test(l)), 'the refusal for server.pem');
    assert.equal(fx.server.requests.length, 0);
  });

  it("a folder's own ioIntelligence.exclude adds to the defaults and never drops one (here: an empty list)", async () => {
    const config = vscode.workspace.getConfiguration('ioIntelligence');
    await config.update('exclude', [], vscode.ConfigurationTarget.Workspace);
    try {
      await editAtEnd(fx, '.env.production', 'DB_PASSWORD=');
      await trigger();
      await until(() => fx.api.logLines.some((l) => /nothing asked in \.env\.production: it matches ioIntelligence\.exclude/.test(l)), 'the refusal');
      assert.equal(fx.server.requests.length, 0);
    } finally {
      await config.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a neighbour file that is not excluded goes into the prompt as <|file_sep|> context', async () => {
    const util = fx.writeFile('src/util.ts', 'export function double(x: number): number {\n  return x * 2;\n}\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(util), { viewColumn: vscode.ViewColumn.Two, preview: false });
    fx.server.enqueueCompletion(completion('double(21);'));
    await editAtEnd(fx, 'src/main.ts', "import { double } from './util';\nconst answer = ");
    await trigger();
    await until(() => fx.server.completionRequests().length === 1, 'the request');
    assert.match(promptOf(fx.server.completionRequests()[0]), /<\|file_sep\|>src\/util\.ts\nexport function double/);
  });

  it('at the daily completion budget they pause without a request, say so once, and offer the two ways on', async () => {
    const shown = fx.recordNotifications();
    const spent = fx.api.usage.ledger.completionUsageOf(QWEN).tokens;
    await fx.setting('inlineCompletions.dailyTokenBudget', spent + 100);
    fx.server.enqueueCompletion(completion('1;'));
    await editAtEnd(fx, 'src/budget.ts', 'const first = ');
    await trigger();
    await until(() => fx.api.usage.ledger.completionUsageOf(QWEN).tokens > spent + 100, 'the first request recorded past the budget');
    const config = { baseUrl: fx.server.baseUrl, model: QWEN, dailyTokenBudget: spent + 100, promptBudgetTokens: 1_024 };
    assert.equal(fx.api.completions.pause(config)?.reason, 'budget');
    await editAtEnd(fx, 'src/budget2.ts', 'const second = ');
    await trigger();
    await until(() => shown.some((n) => /inline completions paused — they used their daily budget/.test(n.message)), 'the pause told');
    assert.equal(fx.server.completionRequests().length, 1, 'no request past the budget');
    assert.equal(shown.filter((n) => /inline completions paused/.test(n.message)).length, 1, 'told once');
    assert.equal(fx.server.chatRequests().length, 0, 'never onto the chat model');
  });

  it('a bad key pauses them without a toast and without switching to chat', async () => {
    const shown = fx.recordNotifications();
    await fx.storeKey('not-the-key');
    await editAtEnd(fx, 'src/badkey.ts', 'const x = ');
    await trigger();
    await until(() => fx.api.completions.pause({ baseUrl: fx.server.baseUrl, model: QWEN, dailyTokenBudget: Infinity, promptBudgetTokens: 0 })?.reason === 'error', 'the pause');
    assert.equal(fx.server.chatRequests().length, 0);
    assert.deepEqual(shown, []);
  });

  it('without a key nothing is sent and nothing pops up', async () => {
    const shown = fx.recordNotifications();
    await fx.storeKey(undefined);
    await editAtEnd(fx, 'src/nokey.ts', 'const y = ');
    await trigger();
    await until(() => fx.api.logLines.some((l) => /nothing asked in nokey\.ts: there is no API key/.test(l)), 'the reason in the log');
    assert.equal(fx.server.requests.length, 0);
    assert.deepEqual(shown, []);
  });

  it('off for a language by its override, and by the toggle command', async () => {
    await vscode.workspace.getConfiguration('ioIntelligence', { languageId: 'markdown' }).update('inlineCompletions.enabled', false, vscode.ConfigurationTarget.Global, true);
    try {
      await editAtEnd(fx, 'notes.md', '# Notes\n\nThe plan is ');
      await trigger();
      await until(() => fx.api.logLines.some((l) => /nothing asked in notes\.md: inline completions are off for markdown/.test(l)), 'the markdown refusal');
    } finally {
      await vscode.workspace.getConfiguration('ioIntelligence', { languageId: 'markdown' }).update('inlineCompletions.enabled', undefined, vscode.ConfigurationTarget.Global, true);
    }
    await editAtEnd(fx, 'src/toggled.ts', 'const z = ');
    assert.equal(await vscode.commands.executeCommand(CommandId.toggleInlineCompletions), false);
    await trigger();
    await until(() => fx.api.logLines.some((l) => /nothing asked in toggled\.ts: inline completions are off for typescript/.test(l)), 'the toggled-off refusal');
    assert.equal(await vscode.commands.executeCommand(CommandId.toggleInlineCompletions), true);
    assert.equal(fx.server.requests.length, 0);
  });

  it('the status item says off, and why, for an excluded file and with editor.inlineSuggest.enabled false; on elsewhere', async () => {
    const shown = (): string => fx.api.status.shown('completions')?.tooltip ?? '';
    await editAtEnd(fx, '.env.local', 'API_TOKEN=');
    await until(() => /^Inline completions: off for this file: matches ioIntelligence\.exclude\./.test(shown()), 'off for the excluded file');
    assert.equal(fx.api.status.shown('completions')?.text, 'Completions off');
    await editAtEnd(fx, 'src/status.ts', 'const s = ');
    await until(() => /^Inline completions: on — /.test(shown()), 'on for a file that is not excluded');
    const editor = vscode.workspace.getConfiguration('editor');
    await editor.update('inlineSuggest.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      await until(() => /^Inline completions: off as you type — editor\.inlineSuggest\.enabled is false/.test(shown()), 'off with inlineSuggest off');
      assert.equal(fx.api.status.shown('completions')?.text, 'Completions off');
    } finally {
      await editor.update('inlineSuggest.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    await until(() => /^Inline completions: on — /.test(shown()), 'on again');
  });

  it('a 404 from the completions endpoint while /models cannot be read pauses them a short while, not as an unknown model', async () => {
    fx.api.models.forgetServer(); // no listing kept: the 404 makes the extension ask /models
    fx.server.enqueueModels({ kind: 'http', status: 503, body: JSON.stringify({ detail: 'Service Unavailable' }) });
    fx.server.enqueueCompletion({ kind: 'http', status: 404, body: JSON.stringify({ detail: 'Not Found' }) });
    await editAtEnd(fx, 'src/unlisted.ts', 'const u = ');
    await trigger();
    const config = { baseUrl: fx.server.baseUrl, model: QWEN, dailyTokenBudget: Infinity, promptBudgetTokens: 0 };
    try {
      await until(() => fx.api.completions.pause(config)?.reason === 'error', 'the pause');
      const pause = fx.api.completions.pause(config);
      assert.ok(pause?.reason === 'error' && !pause.lasting, 'a short pause, not one until the settings change');
      assert.equal(pause.error.kind, 'server', 'named for what failed: /models');
      assert.equal(fx.server.requests.filter((r) => r.path.endsWith('/models')).length, 1);
      assert.equal(fx.server.chatRequests().length, 0);
    } finally {
      fx.api.completions.clearFailure();
    }
  });
});

describe('Inline completions against a server without the raw completions endpoint', () => {
  const fx = useFixture({ server: { validKeys: [KEY], fim: false }, key: KEY, settings: { 'inlineCompletions.enabled': true } });

  it('fall back to chat with a hole-filling prompt, for the rest of the session', async () => {
    fx.server.enqueue(completion('```ts\nname.toUpperCase();\n```'), completion('2;'));
    const content = 'export function shout(name: string): string {\n  return ';
    const editor = await editAtEnd(fx, 'src/shout.ts', content);
    await trigger();
    assert.equal(await acceptWhenShown(editor, content), `${content}name.toUpperCase();`);
    const [chat] = fx.server.chatRequests();
    const body = chat.body as { temperature: number; max_completion_tokens: number; messages: { content: string }[] };
    assert.equal(body.temperature, 0);
    assert.ok(body.max_completion_tokens <= 160);
    assert.match(body.messages[1].content, /return <FILL_HERE>/);
    await editAtEnd(fx, 'src/two.ts', 'const one = 1;\nconst two = ');
    await trigger();
    await until(() => fx.server.chatRequests().length === 2, 'the second completion, by chat');
    assert.equal(fx.server.completionRequests().length, 1, 'the raw endpoint was asked once');
  });
});
