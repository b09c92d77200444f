import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandId } from '../../src/commandIds';
import type { IoTestServer } from '../server/ioTestServer';
import { httpError, redirectTo } from '../server/scenarios';
import { notificationLinks } from '../unit/notificationLinks';
import { useFixture, type NotificationKind, type ShownNotification } from './fixture';
import { until } from './helpers';

const KEY = 'io-untrusted-key-93af';
const LINK = '[Click](command:workbench.action.files.delete)';
const WJ = '\u2060';
const QWEN = 'Qwen/Qwen2.5-Coder-32B-Instruct';

describe('Untrusted server text and redirects in a real VS Code', () => {
  const fx = useFixture({ server: { validKeys: [KEY] }, key: KEY });
  /** Another origin that redirects point to; it must never receive a request. */
  let elsewhere: IoTestServer;
  let notifications: ShownNotification[];

  before(async () => {
    elsewhere = await fx.startServer();
  });
  beforeEach(async () => {
    elsewhere.reset();
    notifications = fx.recordNotifications();
    await vscode.commands.executeCommand(CommandId.newChat);
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  /** The one notification matching `words`, once it was shown. */
  async function shownMatching(kind: NotificationKind, words: RegExp): Promise<string> {
    const find = (): string | undefined => notifications.find((n) => n.kind === kind && words.test(n.message.replaceAll(WJ, '')))?.message;
    await until(() => find() !== undefined, `a ${kind} matching ${words} (shown: ${JSON.stringify(notifications)})`);
    return find()!;
  }

  function assertNoLink(message: string): void {
    assert.ok(message.replaceAll(WJ, '').includes(LINK), `the server's words are shown as they are: ${message}`);
    assert.notDeepEqual(notificationLinks(message.replaceAll(WJ, '')), [], 'unescaped, VS Code would make a link of it');
    assert.deepEqual(notificationLinks(message), [], `VS Code makes no link of what was shown: ${JSON.stringify(message)}`);
  }

  it('a server error message with a command link reaches showErrorMessage as plain text', async () => {
    fx.server.enqueueModels(httpError(401, { error: { message: `Key revoked. ${LINK} to restore it.` } }));
    await vscode.commands.executeCommand(CommandId.selectModel);
    assertNoLink(await shownMatching('showErrorMessage', /API key was rejected \(401\).*Key revoked/));
  });

  it('a server message in "the key could not be checked" is plain text too', async () => {
    fx.server.enqueueModels(httpError(500, { error: { message: `Overloaded. ${LINK}` } }));
    await vscode.commands.executeCommand(CommandId.setApiKey, KEY);
    assertNoLink(await shownMatching('showWarningMessage', /could not be checked: .*Overloaded/));
  });

  it('a model id the server does not list is plain text in the error', async () => {
    await vscode.commands.executeCommand(CommandId.selectModel, LINK);
    assertNoLink(await shownMatching('showErrorMessage', /does not offer a chat model/));
  });

  it('a redirect on /models is named in Select Model’s warning, and nothing reaches the other port', async () => {
    fx.server.enqueueModels(redirectTo(308, `${elsewhere.origin}/api/v1/models`));
    const chosen = await vscode.commands.executeCommand<string | undefined>(CommandId.selectModel, QWEN);
    assert.equal(chosen, QWEN, 'the documented table still lets the user choose');
    const warning = await shownMatching('showWarningMessage', /Could not list the server’s models/);
    assert.match(warning, new RegExp(`redirected the request \\(308\\) to ${elsewhere.origin.replace(/\./g, '\\.')}; .*Check ioIntelligence\\.baseUrl\\.`));
    assert.deepEqual(elsewhere.requests, []);
  });

  // Last: asking in the chat refreshes /models in the background, which must not take another test's scripted answer.
  it('a chat request against a redirecting server shows the refusal in the chat, and nothing reaches the other port', async () => {
    fx.server.enqueue(redirectTo(307, `${elsewhere.origin}/api/v1/chat/completions`));
    await fx.api.fromWebview({ type: 'send', text: 'function secretAlgorithm() { return 42; }' });
    const turn = fx.api.chat.current.turns.at(-1)!;
    assert.equal(turn.status, 'interrupted');
    assert.equal(
      turn.error?.message,
      `The server redirected the request (307) to ${elsewhere.origin}; IO Intelligence does not follow redirects, so your code and key go only to the configured base URL. Check ioIntelligence.baseUrl.`,
    );
    assert.deepEqual(turn.error?.actions, ['openSettings']);
    assert.equal(fx.server.chatRequests().length, 1, 'asked once: a redirect is not retried');
    assert.deepEqual(elsewhere.requests, [], 'the other origin received nothing: no code, no key');
  });
});
