import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ConversationStore, conversationMarkdown } from '../../src/core/conversations';
import { CommandId } from '../../src/commandIds';
import type { HostMessage, Turn } from '../../src/protocol/messages';
import { seededRandom } from '../fixtures/random';
import type { IoTestServer, StreamStep } from '../server/ioTestServer';
import { faults, reasoningContent, streamText } from '../server/scenarios';
import { useFixture, type Fixture } from './fixture';
import { until } from './helpers';

const KEY = 'io-chat-integration-key';

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
 * Makes vscode.env.openExternal only record what it is asked to open, until the test ends. The tests share the
 * extension's `vscode` API object, whose `env` VS Code leaves writable in test mode, so this sees the extension's real
 * calls.
 */
function recordOpenExternal(fx: Fixture): string[] {
  const opened: string[] = [];
  fx.patch(vscode.env as { openExternal: (target: vscode.Uri) => Thenable<boolean> }, 'openExternal', async (target) => {
    opened.push(target.toString(true));
    return true;
  });
  return opened;
}

function lastUserMessage(server: IoTestServer): string {
  const body = server.chatRequests().at(-1)?.body as { messages: { role: string; content: string }[] };
  return body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

describe('Chat panel and Explain Selection in a real VS Code', () => {
  const fx = useFixture({ server: { stepDelayMs: 2 }, key: KEY });
  const posted = (type: HostMessage['type']): HostMessage[] => fx.api.postedToWebview.filter((m) => m.type === type);

  beforeEach(async () => {
    await vscode.commands.executeCommand(CommandId.newChat);
  });

  it('Explain Selection opens the chat view, quotes file, language and lines, and streams the answer', async () => {
    const editor = await fx.open('src/math.ts');
    editor.selection = new vscode.Selection(0, 0, 6, 1);
    fx.server.enqueue(streamText(['`average` adds ', 'the values and ', 'divides by their count.']));
    const answer = await vscode.commands.executeCommand<Turn>(CommandId.explainSelection);
    assert.equal(answer.status, 'done');
    assert.equal(answer.text, '`average` adds the values and divides by their count.');
    const [user] = fx.api.chat.current.turns;
    assert.deepEqual({ ...user.quote, uri: undefined, code: undefined }, { uri: undefined, code: undefined, file: path.join('src', 'math.ts'), language: 'typescript', startLine: 1, endLine: 7 });
    assert.match(user.quote!.code, /^export function average[\s\S]*\n}$/);
    const sent = lastUserMessage(fx.server);
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
    const editor = await fx.open('src/math.ts');
    editor.selection = new vscode.Selection(9, 4, 9, 4);
    fx.server.enqueue(streamText(['Clamps.']));
    await vscode.commands.executeCommand(CommandId.explainSelection);
    const quote = fx.api.chat.current.turns[0].quote!;
    assert.equal(quote.startLine, 10);
    assert.equal(quote.endLine, 10);
    assert.equal(quote.code, '  return Math.min(Math.max(value, min), max);');
  });

  it('Stop mid-stream keeps what arrived, marked stopped', async () => {
    await fx.open('src/math.ts');
    fx.server.enqueue(faults.stall('The first half of the answer. '));
    const pending = vscode.commands.executeCommand<Turn>(CommandId.explainSelection);
    await until(() => fx.api.chat.busy && posted('delta').some((m) => m.type === 'delta' && m.content.includes('first half')), 'the first chunk');
    await vscode.commands.executeCommand(CommandId.stop);
    const answer = await pending;
    assert.equal(answer.status, 'stopped');
    assert.equal(answer.text, 'The first half of the answer. ');
    assert.equal(answer.error, undefined);
  });

  it('a failure keeps what arrived, marked interrupted, with the action that fixes it', async () => {
    await fx.open('src/math.ts');
    fx.server.enqueue(faults.dropMidway('Partial explanation '));
    const answer = await vscode.commands.executeCommand<Turn>(CommandId.explainSelection);
    assert.equal(answer.status, 'interrupted');
    assert.equal(answer.text, 'Partial explanation ');
    assert.deepEqual(answer.error?.actions, ['retry', 'openSettings']);
    fx.server.enqueue(faults.unauthorized());
    await fx.api.fromWebview({ type: 'send', text: 'And now?' });
    const failed = fx.api.chat.current.turns.at(-1)!;
    assert.deepEqual(failed.error?.actions, ['setApiKey']);
    assert.equal(failed.error?.message.includes(KEY), false);
  });

  it('a follow-up from the panel carries the conversation, and history survives a reload of the webview', async () => {
    await fx.open('src/math.ts');
    fx.server.enqueue(streamText(['First answer.']), streamText(['Second answer.']));
    await vscode.commands.executeCommand(CommandId.explainSelection);
    await fx.api.fromWebview({ type: 'send', text: 'What about empty arrays?' });
    const body = fx.server.chatRequests()[1].body as { messages: { role: string; content: string }[] };
    assert.deepEqual(body.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.equal(body.messages[2].content, 'First answer.');
    const conversationId = fx.api.chat.current.id;

    const before = posted('state').length;
    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    await until(() => posted('state').length > before, 'the reloaded webview to ask for state', 20_000);
    const state = posted('state').at(-1);
    assert.ok(state?.type === 'state');
    assert.equal(state.state.conversationId, conversationId);
    assert.deepEqual(state.state.turns.map((t) => t.text), ['Explain this code.', 'First answer.', 'What about empty arrays?', 'Second answer.']);
    // Persisted in workspace state: a new window (a new store over the same state) finds it.
    const stored = new ConversationStore(fx.api.workspaceState).get(conversationId);
    assert.equal(stored?.turns.length, 4);
  });

  it('New Chat starts a fresh conversation and the old one stays in history', async () => {
    await fx.open('src/math.ts');
    fx.server.enqueue(streamText(['Kept in history.']));
    await vscode.commands.executeCommand(CommandId.explainSelection);
    const oldId = fx.api.chat.current.id;
    await vscode.commands.executeCommand(CommandId.newChat);
    assert.notEqual(fx.api.chat.current.id, oldId);
    assert.equal(fx.api.chat.current.turns.length, 0);
    const state = await fx.api.chat.state();
    assert.ok(state.history.some((h) => h.id === oldId && h.title.startsWith('Explain this code.')));
    await fx.api.fromWebview({ type: 'openConversation', id: oldId });
    assert.equal(fx.api.chat.current.turns[1].text, 'Kept in history.');
  });

  it('reasoning never reaches the answer text, nor what Insert puts into the file', async () => {
    const editor = await fx.open('src/math.ts');
    fx.server.enqueue(reasoningContent(['SECRET-THOUGHT: the user wants a guard.'], ['Add a guard:\n\n```ts\nif (values.length === 0) return 0;\n```\n']));
    const answer = await vscode.commands.executeCommand<Turn>(CommandId.explainSelection);
    assert.equal(answer.reasoning, 'SECRET-THOUGHT: the user wants a guard.');
    assert.equal(answer.text.includes('SECRET-THOUGHT'), false);
    const original = editor.document.getText();
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await vscode.window.showTextDocument(editor.document);
    await fx.api.fromWebview({ type: 'insertCode', code: 'if (values.length === 0) return 0;\n' });
    assert.equal(editor.document.getText().includes('SECRET-THOUGHT'), false);
    assert.ok(editor.document.getText().includes('if (values.length === 0) return 0;'));
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original);
  });

  it('Export writes the conversation as markdown to the file chosen in the save dialog, and nowhere else', async () => {
    fx.server.enqueue(streamText(['An answer with `code`.']));
    await vscode.commands.executeCommand(CommandId.newChat);
    await fx.api.chat.ask('Export me');
    const conversation = fx.api.chat.current;
    const target = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'rewrite-tmp', 'exported.md');
    let offered: vscode.SaveDialogOptions | undefined;
    fx.patch(vscode.window, 'showSaveDialog', async (options) => {
      offered = options;
      return target;
    });
    fx.answerNotifications('showInformationMessage', () => undefined);
    try {
      await fx.api.fromWebview({ type: 'exportConversation', id: conversation.id });
      const written = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
      assert.equal(written, conversationMarkdown(conversation));
      assert.match(written, /^# Export me\n[\s\S]*## You\n\nExport me\n\n## Qwen\/Qwen2\.5-Coder-32B-Instruct\n\nAn answer with `code`\.\n$/);
      assert.match(offered?.defaultUri?.path ?? '', /\/Export-me\.md$/);
    } finally {
      // The file is missing when the export failed: that failure is the one to report, not this cleanup's.
      await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
    }
  });

  it('drops messages from the webview that are not in the protocol', async () => {
    const turnsBefore = fx.api.chat.current.turns.length;
    await fx.api.fromWebview({ type: 'send' });
    await fx.api.fromWebview({ type: 'eval', code: 'alert(1)' });
    assert.equal(fx.api.chat.current.turns.length, turnsBefore);
    assert.equal(fx.server.requests.length, 0);
  });

  it('a link clicked in an answer opens only when it is http(s): the host is asked to open nothing else', async () => {
    const opened = recordOpenExternal(fx);
    for (const href of [...OPENABLE_LINKS, ...UNOPENABLE_LINKS]) await fx.api.fromWebview({ type: 'openLink', href });
    // The http(s) links arriving prove the recorder sees what the extension opens; nothing else may arrive.
    assert.deepEqual(opened, OPENABLE_LINKS);
  });

  it('clicking the quoted code reveals and selects the quoted lines', async () => {
    const editor = await fx.open('src/math.ts');
    editor.selection = new vscode.Selection(8, 0, 10, 1);
    fx.server.enqueue(streamText(['Clamp.']));
    await vscode.commands.executeCommand(CommandId.explainSelection);
    const turn = fx.api.chat.current.turns[0];
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fx.api.fromWebview({ type: 'revealQuote', turnId: turn.id });
    const revealed = vscode.window.activeTextEditor!;
    assert.equal(revealed.document.uri.toString(), turn.quote!.uri);
    assert.deepEqual([revealed.selection.start.line, revealed.selection.end.line], [8, 10]);
  });

  describe('chat state is never lost or misattributed', () => {
    const store = (): ConversationStore => new ConversationStore(fx.api.workspaceState);
    const summary = (turns: readonly Pick<Turn, 'role' | 'text' | 'status'>[]): [string, string, string][] => turns.map((t) => [t.role, t.text, t.status]);
    /** Host messages that concern one turn. */
    const about = (messages: readonly HostMessage[], turnId: string): HostMessage[] =>
      messages.filter((m) => (m.type === 'delta' && m.turnId === turnId) || ((m.type === 'turnAdded' || m.type === 'turnEnded') && m.turn.id === turnId));
    const requestBody = (index: number): { messages: { role: string; content: string }[] } =>
      fx.server.chatRequests()[index].body as { messages: { role: string; content: string }[] };

    async function streamingAnswer(question: string, first: string): Promise<{ pending: Promise<Turn>; conversationId: string }> {
      fx.server.enqueue(faults.stall(first));
      const pending = fx.api.chat.ask(question);
      const conversationId = fx.api.chat.current.id;
      await until(() => posted('delta').some((m) => m.type === 'delta' && m.content.includes(first)), 'the first chunk');
      return { pending, conversationId };
    }

    it('New Chat while an answer streams: the answer ends, stopped, in the conversation it started in', async () => {
      const { pending, conversationId } = await streamingAnswer('Which conversation am I in?', 'Arrived before New Chat. ');
      const mark = fx.api.postedToWebview.length;
      await vscode.commands.executeCommand(CommandId.newChat);
      const ended = await pending;
      assert.equal(ended.status, 'stopped');
      assert.equal(ended.text, 'Arrived before New Chat. ');
      assert.deepEqual(summary(store().get(conversationId)?.turns ?? []), [
        ['user', 'Which conversation am I in?', 'done'],
        ['assistant', 'Arrived before New Chat. ', 'stopped'],
      ]);
      assert.notEqual(fx.api.chat.current.id, conversationId);
      assert.deepEqual(fx.api.chat.current.turns, []);
      await until(() => fx.api.postedToWebview.slice(mark).some((m) => m.type === 'state' && m.state.history.some((h) => h.id === conversationId)), 'the history to list it');
      assert.deepEqual(about(fx.api.postedToWebview.slice(mark), ended.id), [], 'nothing about the old answer reaches the new conversation’s view');
      const state = await fx.api.chat.state();
      assert.equal(state.busy, false);
      assert.deepEqual(state.turns, []);
    });

    it('opening another conversation while an answer streams: each keeps its own turns', async () => {
      fx.server.enqueue(streamText(['Answer in A.']));
      await fx.api.chat.ask('Question in A');
      const a = fx.api.chat.current;
      await vscode.commands.executeCommand(CommandId.newChat);
      const { pending, conversationId: b } = await streamingAnswer('Question in B', 'Partial B. ');
      const mark = fx.api.postedToWebview.length;
      await fx.api.fromWebview({ type: 'openConversation', id: a.id });
      const ended = await pending;
      assert.equal(fx.api.chat.current.id, a.id);
      assert.deepEqual(summary(fx.api.chat.current.turns), summary(a.turns));
      assert.deepEqual(summary(store().get(a.id)?.turns ?? []), summary(a.turns));
      assert.deepEqual(summary(store().get(b)?.turns ?? []), [
        ['user', 'Question in B', 'done'],
        ['assistant', 'Partial B. ', 'stopped'],
      ]);
      assert.deepEqual(about(fx.api.postedToWebview.slice(mark), ended.id), []);
      await fx.api.fromWebview({ type: 'openConversation', id: b });
      assert.deepEqual(summary(fx.api.chat.current.turns), summary(store().get(b)!.turns));
    });

    it('New Chat and an immediate question there: the old answer does not end the new one, nor land in it', async () => {
      const { pending, conversationId: old } = await streamingAnswer('Old question', 'Old partial. ');
      await vscode.commands.executeCommand(CommandId.newChat);
      fx.server.enqueue(streamText(['New answer.']));
      const answered = fx.api.chat.ask('New question');
      const [oldEnded, newEnded] = await Promise.all([pending, answered]);
      assert.equal(oldEnded.status, 'stopped');
      assert.equal(newEnded.status, 'done');
      assert.deepEqual(summary(fx.api.chat.current.turns), [['user', 'New question', 'done'], ['assistant', 'New answer.', 'done']]);
      assert.deepEqual(summary(store().get(old)?.turns ?? []), [['user', 'Old question', 'done'], ['assistant', 'Old partial. ', 'stopped']]);
      assert.equal((await fx.api.chat.state()).busy, false);
    });

    it('Stop pressed before the stream opens is honoured: no request is sent and the turn ends stopped', async () => {
      const pending = fx.api.chat.ask('Stop me before I am sent');
      fx.api.chat.stop();
      const turn = await pending;
      assert.equal(turn.status, 'stopped');
      assert.equal(turn.text, '');
      assert.equal(turn.error, undefined);
      assert.equal(fx.server.chatRequests().length, 0);
      assert.equal(fx.api.chat.busy, false);
    });

    it('Stop pressed right after Retry is honoured too: no request is sent', async () => {
      fx.server.enqueue(faults.dropMidway('Half. '));
      const failed = await fx.api.chat.ask('Retry me');
      assert.equal(failed.status, 'interrupted');
      const sent = fx.server.chatRequests().length;
      const pending = fx.api.chat.retry(failed.id);
      fx.api.chat.stop();
      const turn = await pending;
      assert.equal(turn?.status, 'stopped');
      assert.equal(fx.server.chatRequests().length, sent);
    });

    it('Retry on an older error card re-asks that turn in place, with only the turns before it as history', async () => {
      fx.server.enqueue(faults.dropMidway('Half of the first. '), streamText(['Second answer.']));
      const failed = await fx.api.chat.ask('First question');
      await fx.api.chat.ask('Second question');
      assert.equal(failed.status, 'interrupted');
      fx.server.enqueue(streamText(['First answer, retried.']));
      await fx.api.fromWebview({ type: 'runAction', action: 'retry', turnId: failed.id });
      const expected = [
        ['user', 'First question', 'done'],
        ['assistant', 'First answer, retried.', 'done'],
        ['user', 'Second question', 'done'],
        ['assistant', 'Second answer.', 'done'],
      ];
      assert.deepEqual(summary(fx.api.chat.current.turns), expected);
      assert.deepEqual(summary(store().get(fx.api.chat.current.id)?.turns ?? []), expected);
      assert.deepEqual(requestBody(2).messages.map((m) => [m.role, m.content]).slice(1), [['user', 'First question']]);
      const state = posted('state').at(-1);
      assert.ok(state?.type === 'state');
      assert.deepEqual(summary(state.state.turns).map(([role, text]) => [role, text]).slice(0, 2), [['user', 'First question'], ['assistant', '']]);
    });

    it('a retried Explain sends the same messages as the first try: quoted and surrounding code, also after switching conversations', async () => {
      const editor = await fx.open('src/math.ts');
      editor.selection = new vscode.Selection(8, 0, 10, 1);
      fx.server.enqueue(faults.dropMidway('Clamp keeps '));
      const failed = await vscode.commands.executeCommand<Turn>(CommandId.explainSelection);
      assert.equal(failed.status, 'interrupted');
      const explained = fx.api.chat.current.id;
      fx.server.enqueue(streamText(['Clamp keeps a value in range.']));
      await fx.api.fromWebview({ type: 'runAction', action: 'retry', turnId: failed.id });
      assert.match(lastUserMessage(fx.server), /export function average/, 'the surrounding code went along');
      assert.deepEqual(requestBody(1).messages, requestBody(0).messages);

      // Through the store: another conversation, then back, then retry the (now successful) answer again.
      await vscode.commands.executeCommand(CommandId.newChat);
      await fx.api.fromWebview({ type: 'openConversation', id: explained });
      fx.server.enqueue(streamText(['Once more.']));
      await fx.api.fromWebview({ type: 'runAction', action: 'retry', turnId: fx.api.chat.current.turns[1].id });
      assert.deepEqual(requestBody(2).messages, requestBody(0).messages);
      assert.equal(fx.api.chat.current.turns[1].text, 'Once more.');
    });
  });
});

describe('Chat state under random switching, stopping and retrying in a real VS Code', () => {
  const SEED = Number(process.env.IOI_SEED ?? 0x11c4a7);
  const random = seededRandom(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const label = (question: string): string => `Answer to ${question}. `;

  // Every answer names the question it answers, in chunks with pauses, so that where it lands can be checked.
  const fx = useFixture({
    key: KEY,
    server: {
      defaultAnswer: (body) => {
        const question = body.messages?.filter((m) => m.role === 'user').at(-1)?.content ?? '?';
        const waits = [0, 5, 20, 60];
        return {
          kind: 'stream',
          steps: [
            { type: 'content', text: label(question) },
            ...[1, 2, 3].flatMap((i): StreamStep[] => [{ type: 'wait', ms: pick(waits) }, { type: 'content', text: `part ${i}. ` }]),
            { type: 'finish', reason: 'stop' },
            { type: 'done' },
          ],
        };
      },
    },
  });

  // The seed is in the title, so that the report shows it; IOI_SEED=<seed> repeats a run.
  it(`every answer ends in the conversation of its question, after its question, and nothing stays streaming (seed ${SEED})`, async function () {
    this.timeout(120_000);
    await vscode.commands.executeCommand(CommandId.newChat);
    const pending: Promise<unknown>[] = [];
    const asked: string[] = [];
    let newChats = 0;
    for (let step = 0; step < 80; step++) {
      const roll = random();
      if (roll < 0.35) {
        const question = `Q${step}`;
        asked.push(question);
        pending.push(fx.api.chat.ask(question));
      } else if (roll < 0.45 && newChats < 15) {
        newChats++;
        await vscode.commands.executeCommand(CommandId.newChat);
      } else if (roll < 0.6) {
        const history = (await fx.api.chat.state()).history;
        if (history.length) await fx.api.fromWebview({ type: 'openConversation', id: pick(history.slice(0, 10)).id });
      } else if (roll < 0.7) {
        fx.api.chat.stop();
      } else if (roll < 0.8) {
        const ended = fx.api.chat.current.turns.filter((t) => t.role === 'assistant' && t.status !== 'streaming');
        if (ended.length) pending.push(fx.api.chat.retry(pick(ended).id));
      } else {
        await new Promise((r) => setTimeout(r, Math.floor(random() * 80)));
      }
    }
    await Promise.all(pending);
    await until(() => !fx.api.chat.busy, 'the last answer to end');

    const stored = new ConversationStore(fx.api.workspaceState).all();
    const current = fx.api.chat.current;
    const storedCurrent = stored.find((c) => c.id === current.id);
    // Compared as stored (JSON): the store drops properties that are undefined.
    if (current.turns.length) assert.deepEqual(storedCurrent?.turns, JSON.parse(JSON.stringify(current.turns)), 'the shown conversation is saved as shown');
    const seen = new Map<string, string>();
    for (const conversation of stored) {
      conversation.turns.forEach((turn, i) => {
        const where = `${conversation.id} turn ${i} (${turn.role}: ${JSON.stringify(turn.text.slice(0, 40))}, ${turn.status})`;
        assert.equal(turn.role, i % 2 === 0 ? 'user' : 'assistant', `turns alternate: ${where}`);
        assert.notEqual(turn.status, 'streaming', `nothing stays streaming: ${where}`);
        if (turn.role === 'user') {
          if (/^Q\d+$/.test(turn.text)) {
            assert.equal(seen.has(turn.text), false, `${turn.text} is in one place only: ${where} and ${seen.get(turn.text)}`);
            seen.set(turn.text, where);
          }
        } else if (turn.text && /^Q\d+$/.test(conversation.turns[i - 1].text)) {
          assert.ok(turn.text.startsWith(label(conversation.turns[i - 1].text)), `the answer follows its own question: ${where}`);
        }
      });
    }
    assert.deepEqual(asked.filter((q) => !seen.has(q)), [], 'every question asked is kept');
  });
});

