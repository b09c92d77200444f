import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { IoTestServer } from '../server/ioTestServer';
import { httpError, redirectTo } from '../server/scenarios';
import { notificationLinks } from '../unit/notificationLinks';
import { activateExtension, setGlobal, until } from './helpers';

const KEY = 'io-untrusted-key-93af';
const LINK = '[Click](command:workbench.action.files.delete)';
const WJ = '\u2060';
const QWEN = 'Qwen/Qwen2.5-Coder-32B-Instruct';

type Severity = 'showErrorMessage' | 'showWarningMessage' | 'showInformationMessage';

/**
 * Records the message of every notification the extension shows, and still shows it: VS Code's real `window` API
 * is observed, not replaced (the extension and these tests share one API object in the extension host).
 */
function recordNotifications(): { shown: { severity: Severity; message: string }[]; restore: () => void } {
  const window = vscode.window as unknown as Record<Severity, (message: string, ...rest: unknown[]) => Thenable<unknown>>;
  const shown: { severity: Severity; message: string }[] = [];
  const originals = new Map<Severity, (message: string, ...rest: unknown[]) => Thenable<unknown>>();
  for (const severity of ['showErrorMessage', 'showWarningMessage', 'showInformationMessage'] as const) {
    const original = window[severity];
    originals.set(severity, original);
    window[severity] = (message: string, ...rest: unknown[]) => {
      shown.push({ severity, message });
      return original.call(vscode.window, message, ...rest);
    };
  }
  return { shown, restore: () => originals.forEach((original, severity) => (window[severity] = original)) };
}

describe('Untrusted server text and redirects in a real VS Code', () => {
  let server: IoTestServer;
  /** Another origin that redirects point to; it must never receive a request. */
  let elsewhere: IoTestServer;
  let api: TestApi;
  let notifications: ReturnType<typeof recordNotifications>;

  before(async () => {
    server = await new IoTestServer({ validKeys: [KEY] }).start();
    elsewhere = await new IoTestServer().start();
    await setGlobal('baseUrl', server.baseUrl);
    api = await activateExtension();
    await api.secrets.store('ioIntelligence.apiKey', KEY);
  });
  after(async () => {
    for (const key of ['baseUrl', 'chatModel']) await setGlobal(key, undefined);
    await server.stop();
    await elsewhere.stop();
  });
  beforeEach(async () => {
    server.reset();
    elsewhere.reset();
    notifications = recordNotifications();
    await vscode.commands.executeCommand('ioIntelligence.newChat');
  });
  afterEach(async () => {
    notifications.restore();
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  /** The one notification matching `words`, once it was shown. */
  async function shownMatching(severity: Severity, words: RegExp): Promise<string> {
    const find = (): string | undefined => notifications.shown.find((n) => n.severity === severity && words.test(n.message.replaceAll(WJ, '')))?.message;
    await until(() => find() !== undefined, `a ${severity} matching ${words} (shown: ${JSON.stringify(notifications.shown)})`);
    return find()!;
  }

  function assertNoLink(message: string): void {
    assert.ok(message.replaceAll(WJ, '').includes(LINK), `the server's words are shown as they are: ${message}`);
    assert.notDeepEqual(notificationLinks(message.replaceAll(WJ, '')), [], 'unescaped, VS Code would make a link of it');
    assert.deepEqual(notificationLinks(message), [], `VS Code makes no link of what was shown: ${JSON.stringify(message)}`);
  }

  it('a server error message with a command link reaches showErrorMessage as plain text', async () => {
    server.enqueueModels(httpError(401, { error: { message: `Key revoked. ${LINK} to restore it.` } }));
    await vscode.commands.executeCommand('ioIntelligence.selectModel');
    assertNoLink(await shownMatching('showErrorMessage', /API key was rejected \(401\).*Key revoked/));
  });

  it('a server message in "the key could not be checked" is plain text too', async () => {
    server.enqueueModels(httpError(500, { error: { message: `Overloaded. ${LINK}` } }));
    await vscode.commands.executeCommand('ioIntelligence.setApiKey', KEY);
    assertNoLink(await shownMatching('showWarningMessage', /could not be checked: .*Overloaded/));
  });

  it('a model id the server does not list is plain text in the error', async () => {
    await vscode.commands.executeCommand('ioIntelligence.selectModel', LINK);
    assertNoLink(await shownMatching('showErrorMessage', /does not offer a chat model/));
  });

  it('a redirect on /models is named in Select Model’s warning, and nothing reaches the other port', async () => {
    server.enqueueModels(redirectTo(308, `${elsewhere.origin}/api/v1/models`));
    const chosen = await vscode.commands.executeCommand<string | undefined>('ioIntelligence.selectModel', QWEN);
    assert.equal(chosen, QWEN, 'the documented table still lets the user choose');
    const warning = await shownMatching('showWarningMessage', /Could not list the server’s models/);
    assert.match(warning, new RegExp(`redirected the request \\(308\\) to ${elsewhere.origin.replace(/\./g, '\\.')}; .*Check ioIntelligence\\.baseUrl\\.`));
    assert.deepEqual(elsewhere.requests, []);
  });

  // Last: asking in the chat refreshes /models in the background, which must not take another test's scripted answer.
  it('a chat request against a redirecting server shows the refusal in the chat, and nothing reaches the other port', async () => {
    server.enqueue(redirectTo(307, `${elsewhere.origin}/api/v1/chat/completions`));
    await api.fromWebview({ type: 'send', text: 'function secretAlgorithm() { return 42; }' });
    const turn = api.chat.current.turns.at(-1)!;
    assert.equal(turn.status, 'interrupted');
    assert.equal(
      turn.error?.message,
      `The server redirected the request (307) to ${elsewhere.origin}; IO Intelligence does not follow redirects, so your code and key go only to the configured base URL. Check ioIntelligence.baseUrl.`,
    );
    assert.deepEqual(turn.error?.actions, ['openSettings']);
    assert.equal(server.chatRequests().length, 1, 'asked once: a redirect is not retried');
    assert.deepEqual(elsewhere.requests, [], 'the other origin received nothing: no code, no key');
  });
});
