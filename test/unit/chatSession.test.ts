import assert from 'node:assert/strict';
import { RequestError } from '../../src/core/errors';
import { MAX_ATTEMPTS } from '../../src/core/chat/retryPolicy';
import { done, Gate, harness, text, usage, type Harness, type ScriptStep } from './chatSessionHarness';

const QWEN = 'Qwen/Qwen2.5-Coder-32B-Instruct';
const LLAMA = 'meta-llama/Llama-3.3-70B-Instruct';
const fail = (error: unknown): ScriptStep => ({ type: 'throw', error });
const serverError = (status = 503): ScriptStep => fail(new RequestError('server', { status }));

describe('chat session: an answer', () => {
  it('streams into a turn that ends done, saved with its usage, and says so in order', async () => {
    const h = harness();
    h.scripts.push([text('Hel'), text('lo.'), usage(42), done]);
    const turn = await h.session.ask('Say hello');
    assert.equal(turn.status, 'done');
    assert.equal(turn.text, 'Hello.');
    assert.deepEqual(turn.usage, { promptTokens: 41, completionTokens: 1, estimated: false });
    assert.deepEqual(h.recorded, [{ model: QWEN, usage: { promptTokens: 41, completionTokens: 1, totalTokens: 42, estimated: false } }]);
    assert.deepEqual(h.store.get(h.session.current.id)?.turns.map((t) => [t.role, t.text, t.status]), [['user', 'Say hello', 'done'], ['assistant', 'Hello.', 'done']]);
    assert.deepEqual(h.events.filter((e) => e.type !== 'notice').map((e) => e.type), ['turnAdded', 'turnAdded', 'delta', 'delta', 'turnEnded']);
  });

  it('without usage from the server records an estimate of what arrived', async () => {
    const h = harness();
    h.scripts.push([text('x'.repeat(30)), done]);
    const turn = await h.session.ask('q');
    assert.equal(turn.usage?.estimated, true);
    assert.equal(turn.usage?.completionTokens, 10);
    assert.equal(h.recorded.length, 1);
  });
});

describe('chat session: an answer always ends', () => {
  it('even when recording its usage fails (storage): the turn ends with what arrived, and the chat is not left busy', async () => {
    const h = harness();
    h.recordFails = new Error('disk full');
    h.scripts.push([text('kept'), usage(3), done]);
    const turn = await h.session.ask('q');
    assert.equal(turn.text, 'kept');
    assert.equal(turn.status, 'interrupted');
    assert.match(turn.error?.message ?? '', /unexpected/);
    assert.equal(h.session.busy, false);
    assert.equal(h.session.current.turns.at(-1)?.status, 'interrupted');
  });
});

describe('chat session: one settings snapshot per answer', () => {
  it('a retry after a countdown uses the settings the answer started with, also for the client', async () => {
    const h = harness();
    const countdown = (h.sleepGate = new Gate());
    h.scripts.push([serverError()], [text('ok'), done]);
    const answer = h.session.ask('q');
    await countdown.reached;
    const started = h.settings;
    h.settings = { ...h.settings, chatModel: 'changed/Model', temperature: 0.9 };
    countdown.open();
    await answer;
    assert.deepEqual(h.requests.map((r) => [r.model, r.temperature]), [[QWEN, 0.2], [QWEN, 0.2]]);
    assert.deepEqual(h.connected, [started, started]);
  });
});

describe('chat session: quota fallback', () => {
  it('when the chat model is already spent, the plan answers with the first fallback and the turn says why', async () => {
    const h = harness();
    h.exhausted.add(QWEN);
    h.scripts.push([text('ok'), done]);
    const turn = await h.session.ask('q');
    assert.equal(h.requests[0].model, LLAMA);
    assert.equal(turn.model, LLAMA);
    assert.match(turn.note ?? '', /Answered by meta-llama\/Llama-3\.3-70B-Instruct: the daily quota of Qwen\/Qwen2\.5-Coder-32B-Instruct is spent/);
  });

  it('when the server says the quota is spent, marks it, says so, and asks the fallback before anything arrived', async () => {
    const h = harness();
    h.scripts.push([fail(new RequestError('quotaExhausted', { status: 429 }))], [text('from llama'), done]);
    const turn = await h.session.ask('q');
    assert.deepEqual(h.requests.map((r) => r.model), [QWEN, LLAMA]);
    assert.ok(h.exhausted.has(QWEN));
    assert.equal(turn.status, 'done');
    assert.equal(turn.model, LLAMA);
    assert.ok(h.notices().some((n) => n.startsWith('Answered by meta-llama')), h.notices().join('\n'));
  });

  it('Stop while the spent quota is being recorded: no fallback request and no note claiming one', async () => {
    const h = harness();
    h.exhaustGate = new Gate();
    h.scripts.push([fail(new RequestError('quotaExhausted', { status: 429 }))], [text('never'), done]);
    const answer = h.session.ask('q');
    await h.exhaustGate.reached;
    h.session.stop();
    h.exhaustGate.open();
    const turn = await answer;
    assert.equal(turn.status, 'stopped');
    assert.equal(h.requests.length, 1);
    assert.equal(turn.note, undefined);
    assert.equal(turn.model, QWEN);
  });

  it('with no fallback left, ends with the quota error and its action', async () => {
    const h = harness({ settings: { fallbackModels: [] } });
    h.scripts.push([fail(new RequestError('quotaExhausted', { status: 429, model: QWEN }))]);
    const turn = await h.session.ask('q');
    assert.equal(h.requests.length, 1);
    assert.equal(turn.status, 'interrupted');
    assert.deepEqual(turn.error?.actions, ['switchModel']);
    assert.match(turn.error?.message ?? '', /quota/);
  });
});

describe('chat session: visible retries', () => {
  it('retries a server error after a visible countdown, at most MAX_ATTEMPTS times in all', async () => {
    const h = harness();
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) h.scripts.push([serverError()]);
    const turn = await h.session.ask('q');
    assert.equal(h.requests.length, MAX_ATTEMPTS);
    assert.equal(turn.status, 'interrupted');
    assert.deepEqual(turn.error?.actions, ['retry']);
    assert.ok(h.notices().some((n) => /Server error \(503\): retrying in 1 s \(attempt 2 of 3\)/.test(n)), h.notices().join('\n'));
    assert.ok(h.sleeps.length >= 2, 'waited between attempts');
  });

  it('a retry that succeeds ends done, and the countdown notice is cleared', async () => {
    const h = harness();
    h.scripts.push([serverError()], [text('fine'), done]);
    const turn = await h.session.ask('q');
    assert.equal(turn.status, 'done');
    assert.equal(turn.text, 'fine');
    const notices = h.events.filter((e) => e.type === 'notice');
    assert.equal(notices.at(-1)?.type === 'notice' && notices.at(-1)?.text, '');
  });

  it('never retries once something arrived: what arrived is kept and the failure shown', async () => {
    const h = harness();
    h.scripts.push([text('partial '), serverError()], [text('never'), done]);
    const turn = await h.session.ask('q');
    assert.equal(h.requests.length, 1);
    assert.equal(turn.text, 'partial ');
    assert.equal(turn.status, 'interrupted');
  });

  it('a rate limit with a long Retry-After is not waited out silently', async () => {
    const h = harness();
    h.scripts.push([fail(new RequestError('rateLimited', { status: 429, retryAfterSeconds: 60 }))]);
    const turn = await h.session.ask('q');
    assert.equal(h.requests.length, 1);
    assert.deepEqual(turn.error?.actions, ['retry', 'switchModel']);
  });

  it('an unexpected throw is an internal error, not a network failure', async () => {
    const h = harness();
    h.scripts.push([fail(new TypeError('boom'))]);
    const turn = await h.session.ask('q');
    assert.match(turn.error?.message ?? '', /unexpected/);
  });
});

describe('chat session: context retry', () => {
  it('when the server says too long, sends again once with less history, and says so', async () => {
    const h = harness({ contextTokens: 4_000, settings: { maxOutputTokens: 256 } });
    const long = 'word '.repeat(700);
    h.scripts.push([text(long), done], [text(long), done]);
    await h.session.ask('first ' + long);
    await h.session.ask('second ' + long);
    h.scripts.push([fail(new RequestError('contextTooLong', { status: 400 }))], [fail(new RequestError('contextTooLong', { status: 400 }))]);
    const turn = await h.session.ask('third');
    assert.equal(h.requests.length, 4, 'one retry only');
    const [first, retried] = h.requests.slice(2);
    assert.ok(retried.messages.length < first.messages.length, `history shrank: ${first.messages.length} → ${retried.messages.length}`);
    assert.equal(retried.messages.at(-1)?.content, 'third');
    assert.match(turn.note ?? '', /sent again with less history/);
    assert.equal(turn.status, 'interrupted');
  });

  it('a request that cannot fit even alone is not sent, and names a model whose context would fit', async () => {
    const h = harness({ contextTokens: 1_000 });
    const turn = await h.session.ask('x'.repeat(6_000));
    assert.equal(h.requests.length, 0);
    assert.match(turn.error?.message ?? '', /context window/);
    assert.deepEqual(turn.error?.actions, ['selectModel']);
  });
});

describe('chat session: Stop at each phase', () => {
  it('right after asking (before the client is ready): nothing is sent, the turn ends stopped', async () => {
    const h = harness();
    const answer = h.session.ask('q');
    h.session.stop();
    const turn = await answer;
    assert.equal(h.requests.length, 0);
    assert.equal(turn.status, 'stopped');
    assert.equal(turn.error, undefined, 'a stop is not an error card');
  });

  it('while connecting (key read, base-URL question): nothing is sent', async () => {
    const h = harness();
    h.connectGate = new Gate();
    const answer = h.session.ask('q');
    await h.connectGate.reached;
    h.session.stop();
    h.connectGate.open();
    assert.equal((await answer).status, 'stopped');
    assert.equal(h.requests.length, 0);
  });

  it('while streaming: what arrived is kept, usage of what arrived is recorded, no retry', async () => {
    const h = harness();
    const mid = new Gate();
    h.scripts.push([text('half'), { type: 'gate', gate: mid }, text('never'), done]);
    const answer = h.session.ask('q');
    await mid.reached;
    h.session.stop();
    const turn = await answer;
    assert.equal(turn.status, 'stopped');
    assert.equal(turn.text, 'half');
    assert.equal(h.recorded.length, 1);
    assert.equal(h.requests.length, 1);
  });

  it('during a retry countdown: no further request', async () => {
    const h = harness();
    h.sleepGate = new Gate();
    h.scripts.push([serverError()], [text('never'), done]);
    const answer = h.session.ask('q');
    await h.sleepGate.reached;
    h.session.stop();
    const turn = await answer;
    assert.equal(turn.status, 'stopped');
    assert.equal(h.requests.length, 1);
    const last = h.events.filter((e) => e.type === 'notice').at(-1);
    assert.deepEqual(last, { type: 'notice', text: '' }, 'the countdown does not stay on screen');
  });

  it('while usage is being recorded after the stream: the answer still ends, once', async () => {
    const h = harness();
    h.recordGate = new Gate();
    h.scripts.push([text('all'), usage(5), done]);
    const answer = h.session.ask('q');
    await h.recordGate.reached;
    h.session.stop();
    h.recordGate.open();
    const turn = await answer;
    assert.equal(turn.text, 'all');
    assert.equal(h.events.filter((e) => e.type === 'turnEnded').length, 1);
  });
});

describe('chat session: New Chat and switching while an answer streams', () => {
  it('New Chat mid-stream: the answer stops and ends in its own conversation, nothing of it reaches the new one', async () => {
    const h = harness();
    const mid = new Gate();
    h.scripts.push([text('old answer'), { type: 'gate', gate: mid }, text(' more'), done]);
    const answer = h.session.ask('old question');
    const oldId = h.session.current.id;
    await mid.reached;
    h.session.newChat();
    const fresh = h.session.current.id;
    assert.notEqual(fresh, oldId);
    assert.deepEqual(h.events.filter((e) => e.type === 'notice').at(-1), { type: 'notice', text: '' }, 'a notice of the old answer is cleared');
    assert.equal(h.session.busy, false, 'the new conversation is not busy');
    const eventsAfterSwitch = h.events.length;
    const turn = await answer;
    assert.equal(turn.status, 'stopped');
    assert.deepEqual(h.store.get(oldId)?.turns.map((t) => [t.role, t.text, t.status]), [['user', 'old question', 'done'], ['assistant', 'old answer', 'stopped']]);
    assert.equal(h.session.current.id, fresh);
    assert.deepEqual(h.session.current.turns, []);
    const leaked = h.events.slice(eventsAfterSwitch).filter((e) => e.type === 'delta' || e.type === 'turnEnded' || e.type === 'turnAdded');
    assert.deepEqual(leaked, [], 'no message about the old answer while the new conversation is shown');
  });

  it('a chunk already on its way when New Chat is pressed is kept in the old conversation and never shown in the new one', async () => {
    const h = harness();
    const late = new Gate();
    h.scripts.push([text('old'), { type: 'late', gate: late, event: text(' late') }, done]);
    const answer = h.session.ask('q');
    const oldId = h.session.current.id;
    await late.reached;
    h.session.newChat();
    const eventsAfterSwitch = h.events.length;
    late.open();
    await answer;
    assert.deepEqual(h.events.slice(eventsAfterSwitch).filter((e) => e.type === 'delta'), []);
    assert.equal(h.store.get(oldId)?.turns[1].text, 'old late');
  });

  it('a question asked right after New Chat is answered in the new conversation', async () => {
    const h = harness();
    const mid = new Gate();
    h.scripts.push([text('a'), { type: 'gate', gate: mid }, done], [text('b'), done]);
    const first = h.session.ask('one');
    await mid.reached;
    h.session.newChat();
    const second = await h.session.ask('two');
    await first;
    assert.equal(second.text, 'b');
    assert.deepEqual(h.session.current.turns.map((t) => t.text), ['two', 'b']);
  });

  it('opening the left conversation again while its answer ends: it ends there, in view', async () => {
    const h = harness();
    const mid = new Gate();
    const late = new Gate();
    h.recordGate = late;
    h.scripts.push([text('x'), { type: 'gate', gate: mid }, done]);
    const answer = h.session.ask('q');
    const oldId = h.session.current.id;
    await mid.reached;
    h.session.newChat();
    await late.reached;
    h.session.open(oldId);
    late.open();
    await answer;
    assert.equal(h.session.current.id, oldId);
    assert.deepEqual(h.session.current.turns.map((t) => t.status), ['done', 'stopped']);
  });
});

describe('chat session: Retry on an error card', () => {
  it('asks the same question again in the failed turn\'s place, with only the turns before it', async () => {
    const h = harness();
    h.scripts.push([fail(new RequestError('badKey', { status: 401 }))]);
    const failed = await h.session.ask('q1');
    h.scripts.push([text('a2'), done]);
    await h.session.ask('q2');
    h.scripts.push([text('a1'), done]);
    const eventsBefore = h.events.length;
    const retried = await h.session.retry(failed.id);
    assert.equal(h.events[eventsBefore]?.type, 'changed', 'the view is told the turn was replaced before it streams');
    assert.equal(retried?.text, 'a1');
    assert.deepEqual(h.requests.at(-1)?.messages.slice(1).map((m) => m.content), ['q1']);
    assert.deepEqual(h.session.current.turns.map((t) => t.text), ['q1', 'a1', 'q2', 'a2']);
  });

  it('refuses while busy or for a turn that is not an answer', async () => {
    const h = harness();
    h.scripts.push([text('a'), done]);
    const turn = await h.session.ask('q');
    const question = h.session.current.turns[0];
    assert.equal(await h.session.retry(question.id), undefined);
    const mid = new Gate();
    h.scripts.push([{ type: 'gate', gate: mid }, done]);
    const running = h.session.ask('q2');
    await mid.reached;
    assert.equal(await h.session.retry(turn.id), undefined);
    h.session.stop();
    await running;
  });
});

describe('chat session: Regenerate and Edit and resend', () => {
  async function threeExchanges(): Promise<Harness> {
    const h = harness();
    for (const n of [1, 2, 3]) {
      h.scripts.push([text(`a${n}`), done]);
      await h.session.ask(`q${n}`);
    }
    return h;
  }

  it('regenerating an earlier answer asks its question with the turns before it, with the model chosen now, and drops what followed', async () => {
    const h = await threeExchanges();
    const second = h.session.current.turns[3];
    assert.equal(h.session.turnsAfter(second.id), 2);
    h.settings = { ...h.settings, chatModel: 'meta-llama/Llama-3.3-70B-Instruct' };
    h.scripts.push([text('a2 again'), done]);
    const again = await h.session.regenerate(second.id);
    assert.equal(again?.model, 'meta-llama/Llama-3.3-70B-Instruct');
    assert.equal(h.requests.at(-1)?.model, 'meta-llama/Llama-3.3-70B-Instruct');
    assert.deepEqual(h.requests.at(-1)?.messages.slice(1).map((m) => m.content), ['q1', 'a1', 'q2']);
    assert.deepEqual(h.session.current.turns.map((t) => t.text), ['q1', 'a1', 'q2', 'a2 again']);
  });

  it('an edited question replaces its text, its answer and everything after it, and is asked with the turns before it', async () => {
    const h = await threeExchanges();
    const first = h.session.current.turns[0];
    assert.equal(h.session.turnsAfter(first.id), 5);
    h.scripts.push([text('a1 edited'), done]);
    await h.session.edit(first.id, 'q1 edited');
    assert.deepEqual(h.requests.at(-1)?.messages.slice(1).map((m) => m.content), ['q1 edited']);
    assert.deepEqual(h.session.current.turns.map((t) => t.text), ['q1 edited', 'a1 edited']);
    assert.equal(h.session.current.turns[0].id, first.id, 'the question keeps its place (and its quoted code)');
  });

  it('neither runs while an answer streams, nor for a turn of the wrong kind', async () => {
    const h = await threeExchanges();
    const [question, answer] = h.session.current.turns;
    assert.equal(await h.session.regenerate(question.id), undefined);
    assert.equal(h.session.edit(answer.id, 'x'), undefined);
    const mid = new Gate();
    h.scripts.push([{ type: 'gate', gate: mid }, done]);
    const running = h.session.ask('q4');
    await mid.reached;
    assert.equal(await h.session.regenerate(answer.id), undefined);
    assert.equal(h.session.edit(question.id, 'x'), undefined);
    h.session.stop();
    await running;
    assert.equal(h.session.current.turns[0].text, 'q1');
  });
});

describe('chat session: history — rename, delete', () => {
  it('a renamed conversation keeps its name as it grows; an empty name goes back to its first question', async () => {
    const h = harness();
    h.scripts.push([text('a1'), done]);
    await h.session.ask('first question');
    const id = h.session.current.id;
    await h.session.rename(id, '  My name  ');
    h.scripts.push([text('a2'), done]);
    await h.session.ask('second question');
    assert.equal(h.session.current.title, 'My name');
    assert.equal(h.store.get(id)?.title, 'My name', 'stored');
    await h.session.rename(id, ' ');
    assert.equal(h.session.current.title, 'first question');
  });

  it('renames a stored conversation that is not shown', async () => {
    const h = harness();
    h.scripts.push([text('a1'), done]);
    await h.session.ask('old question');
    const old = h.session.current.id;
    h.session.newChat();
    h.scripts.push([text('a2'), done]);
    await h.session.ask('newer question');
    await h.session.rename(old, 'Old one');
    assert.deepEqual(h.store.history().map((c) => c.title), ['newer question', 'Old one'], 'renamed in its place');
  });

  it('deleting the shown conversation starts a new chat; an answer still streaming in it is stopped and not saved back', async () => {
    const h = harness();
    h.scripts.push([text('a1'), done]);
    await h.session.ask('kept');
    const kept = h.session.current.id;
    h.session.newChat();
    const mid = new Gate();
    h.scripts.push([text('part'), { type: 'gate', gate: mid }, text(' more'), done]);
    const running = h.session.ask('deleted');
    await mid.reached;
    const doomed = h.session.current.id;
    await h.session.remove(doomed);
    assert.notEqual(h.session.current.id, doomed);
    assert.equal(h.session.current.turns.length, 0);
    mid.open();
    await running;
    assert.deepEqual(h.store.history().map((c) => c.id), [kept], 'the deleted conversation is not saved again');
    assert.deepEqual(h.errors, [], 'its ending answer is expected, not an error');
  });

  it('deleting a conversation left while its answer ends: the answer stops, is not saved back, and the view gets only the history', async () => {
    const h = harness();
    const mid = new Gate();
    h.scripts.push([text('part'), { type: 'gate', gate: mid }, text(' more'), done]);
    const running = h.session.ask('left behind');
    await mid.reached;
    const left = h.session.current.id;
    h.session.newChat();
    const eventsBefore = h.events.length;
    await h.session.remove(left);
    assert.deepEqual(h.events.slice(eventsBefore).map((e) => e.type), ['historyChanged']);
    mid.open();
    await running;
    assert.equal(h.store.get(left), undefined);
    assert.deepEqual(h.errors, []);
  });
});
