import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandId } from '../../src/commandIds';
import type { HostMessage, Turn } from '../../src/protocol/messages';
import type { ScriptedAnswer } from '../server/ioTestServer';
import { faults, streamText, usageOf } from '../server/scenarios';
import { useFixture } from './fixture';
import { until } from './helpers';

const KEY = 'io-failures-key-5c1d';
const QWEN = 'Qwen/Qwen2.5-Coder-32B-Instruct';
const LLAMA = 'meta-llama/Llama-3.3-70B-Instruct';

interface FaultCase {
  readonly name: string;
  readonly answer: () => ScriptedAnswer;
  readonly times?: number;
  readonly words: RegExp;
  readonly actions: readonly string[];
  readonly partial?: string;
}

const CASES: readonly FaultCase[] = [
  { name: '401', answer: faults.unauthorized, words: /API key was rejected \(401\)/, actions: ['setApiKey'] },
  { name: '403', answer: faults.forbidden, words: /rejected \(403\)/, actions: ['setApiKey'] },
  { name: '404', answer: faults.unknownModel, words: /is not available on this server/, actions: ['selectModel'] },
  { name: '429 with Retry-After', answer: () => faults.rateLimited(45), words: /Retry in 45 s/, actions: ['retry', 'switchModel'] },
  { name: '500', answer: faults.serverError, times: 3, words: /server failed \(500\)/, actions: ['retry'] },
  { name: 'HTML error page', answer: faults.htmlPage, times: 3, words: /HTML page instead of an API answer \(HTTP 502: 502 Bad Gateway\)/, actions: ['retry'] },
  { name: 'malformed SSE line', answer: faults.malformedLine, words: /could not be read/, actions: ['retry'], partial: 'Partial ' },
  { name: 'stalled stream', answer: () => faults.stall('Slow start. '), words: /stalled/, actions: ['retry'], partial: 'Slow start. ' },
  { name: 'dropped mid-stream', answer: () => faults.dropMidway('Half of it '), words: /The connection to \S+ broke/, actions: ['retry', 'openSettings'], partial: 'Half of it ' },
  { name: 'data: {"error"} mid-stream', answer: () => faults.errorEvent('Began '), words: /model crashed while generating/, actions: ['retry'], partial: 'Began ' },
];

describe('Failures, retries, quotas and fallback in a real VS Code', () => {
  const fx = useFixture({ server: {}, settings: { idleTimeoutSeconds: 1 }, key: KEY });

  async function ask(text: string): Promise<Turn> {
    await fx.api.fromWebview({ type: 'send', text });
    return fx.api.chat.current.turns.at(-1)!;
  }

  beforeEach(async () => {
    await vscode.commands.executeCommand(CommandId.newChat);
  });

  for (const fault of CASES) {
    it(`${fault.name}: one clear message with its action, and what arrived is kept`, async () => {
      for (let i = 0; i < (fault.times ?? 1); i++) fx.server.enqueue(fault.answer());
      const turn = await ask(`trigger ${fault.name}`);
      assert.equal(turn.status, 'interrupted');
      assert.match(turn.error?.message ?? '', fault.words);
      assert.deepEqual(turn.error?.actions, fault.actions);
      assert.equal(turn.text, fault.partial ?? '');
      assert.equal(JSON.stringify(turn).includes(KEY), false, 'no key in what the user sees');
    });
  }

  it('an unexpected throw on our side is an internal error, logged with its stack, not "check the network"', async () => {
    // `data: null` is valid JSON that no chunk handler expects: the stream code throws a TypeError of its own.
    fx.server.enqueue({ kind: 'stream', steps: [{ type: 'raw', text: 'data: null\n\n' }, { type: 'finish', reason: 'stop' }, { type: 'done' }] });
    const logged = fx.api.logLines.length;
    const turn = await ask('trigger an internal error');
    assert.equal(turn.status, 'interrupted');
    assert.match(turn.error?.message ?? '', /Something unexpected went wrong.*Output → IO Intelligence/);
    assert.doesNotMatch(turn.error?.message ?? '', /network/i);
    assert.deepEqual(turn.error?.actions, ['retry']);
    const lines = fx.api.logLines.slice(logged).join('\n');
    assert.match(lines, /TypeError: Cannot read properties of null/);
    assert.match(lines, /\n\s+at /, 'the stack is in the log');
  });

  it('a 500 is retried visibly, with a countdown, and the answer then arrives', async () => {
    fx.server.enqueue(faults.serverError(), streamText(['Recovered answer.']));
    const before = fx.api.postedToWebview.length;
    const turn = await ask('flaky server');
    assert.equal(turn.status, 'done');
    assert.equal(turn.text, 'Recovered answer.');
    const notices = fx.api.postedToWebview.slice(before).filter((m): m is Extract<HostMessage, { type: 'notice' }> => m.type === 'notice').map((m) => m.text);
    assert.ok(notices.some((n) => /Server error \(500\): retrying in 1 s \(attempt 2 of 3\)/.test(n)), notices.join(' | '));
    assert.equal(fx.server.chatRequests().length, 2);
  });

  it('usage from the stream is counted against the model for today, and Show Usage lists it', async () => {
    const before = fx.api.usage.ledger.usageOf(QWEN).tokens;
    fx.server.enqueue(streamText(['Counted.'], { usage: usageOf(1_200, 34) }));
    const turn = await ask('count me');
    assert.deepEqual(turn.usage, { promptTokens: 1_200, completionTokens: 34, estimated: false });
    assert.equal(fx.api.usage.ledger.usageOf(QWEN).tokens, before + 1_234);
    const listed = await vscode.commands.executeCommand<{ model: string; tokens: number }[]>(CommandId.showUsage);
    assert.ok(listed.some((u) => u.model === QWEN && u.tokens === before + 1_234));
    // A page to read (the markdown preview of a read-only document), not a picker.
    const usagePage = (): vscode.TextDocument | undefined => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'io-intelligence-usage');
    await until(() => usagePage() !== undefined, 'the usage page to open');
    const page = usagePage()!;
    assert.ok(page.getText().includes(`| \` ${QWEN} \` | ${(before + 1_234).toLocaleString('en')}`), page.getText());
    const usageTab = (): vscode.Tab | undefined => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /IO Intelligence usage today/.test(t.label));
    await until(() => usageTab() !== undefined, 'a tab to show it');
    const tab = usageTab();
    assert.ok(tab, `a tab shows it: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')}`);
    await vscode.window.tabGroups.close(tab);
  });

  it('a stream without usage is estimated, and says so', async () => {
    fx.server.enqueue(streamText(['No usage chunk from this fx.server.'], { usage: null }));
    const turn = await ask('estimate me');
    assert.equal(turn.usage?.estimated, true);
    assert.ok((turn.usage?.completionTokens ?? 0) > 0);
    assert.equal(fx.api.usage.ledger.usageOf(QWEN).estimated, true);
  });

  it('a quota 429 moves to the next fallback model, and the answer says which model produced it', async () => {
    await fx.setting('fallbackModels', [LLAMA]);
    fx.server.enqueue(faults.quotaExhausted(), streamText(['From the fallback.']));
    const turn = await ask('quota please');
    assert.equal(turn.status, 'done');
    assert.equal(turn.model, LLAMA);
    assert.match(turn.note ?? '', /Answered by meta-llama\/Llama-3\.3-70B-Instruct: the daily quota of Qwen\/Qwen2\.5-Coder-32B-Instruct is spent/);
    const models = fx.server.chatRequests().map((r) => (r.body as { model: string }).model);
    assert.deepEqual(models, [QWEN, LLAMA]);
    assert.equal(fx.api.usage.ledger.isExhausted(QWEN), true);
    // The next question goes to the fallback straight away: the ledger remembers the quota is spent today.
    fx.server.enqueue(streamText(['Still the fallback.']));
    await ask('again');
    assert.equal((fx.server.chatRequests().at(-1)!.body as { model: string }).model, LLAMA);
  });

  it('without fallback models a spent quota offers Switch Model', async () => {
    await fx.setting('fallbackModels', []);
    await fx.setting('chatModel', 'deepseek-ai/DeepSeek-R1-0528');
    fx.server.enqueue(faults.quotaExhausted());
    const turn = await ask('no fallback');
    assert.match(turn.error?.message ?? '', /quota for deepseek-ai\/DeepSeek-R1-0528 is spent/);
    assert.deepEqual(turn.error?.actions, ['switchModel']);
  });

  it('a request that cannot fit the model names one that fits, and sends nothing', async () => {
    await fx.setting('chatModel', 'nvidia/AceMath-7B-Instruct');
    const turn = await ask('x'.repeat(20_000));
    assert.match(turn.error?.message ?? '', /longer than nvidia\/AceMath-7B-Instruct's context window.*such as /);
    assert.equal(fx.server.chatRequests().length, 0);
  });

  it('when the server still says "too long", it retries once with less history and says so', async () => {
    await fx.setting('chatModel', QWEN);
    fx.server.enqueue(faults.contextTooLong(), streamText(['Shorter now.']));
    const turn = await ask('long one');
    assert.equal(turn.status, 'done');
    assert.match(turn.note ?? '', /sent again with less history/);
    assert.equal(fx.server.chatRequests().length, 2);
  });
});
