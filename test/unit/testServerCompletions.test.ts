import assert from 'node:assert/strict';
import { FIM_STOP, fimPrompt } from '../../src/core/completions/fimPrompt';
import { holePrompt } from '../../src/core/completions/holePrompt';
import { demoServerOptions } from '../server/demoAnswers';
import { continuation } from '../server/demoCompletions';
import { IoTestServer, type ScriptedAnswer, type TestServerOptions } from '../server/ioTestServer';
import { faults, httpError, streamText, usageOf } from '../server/scenarios';
import { assertServerSeesAbort, post, until } from '../fixtures/serverRequests';

/** The test server's legacy `/completions` endpoint (raw FIM prompts for inline completions), as vLLM serves it. */

const MODEL = 'Qwen/Qwen2.5-Coder-32B-Instruct';
const PROMPT = '<|fim_prefix|>function add(a, b) {\n  <|fim_suffix|>\n}\n<|fim_middle|>';

interface Choice {
  index: number;
  text: string;
  logprobs: null;
  finish_reason: string | null;
  stop_reason: string | null;
}

interface TextCompletion {
  id: string;
  object: string;
  model: string;
  choices: Choice[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

async function complete(server: IoTestServer, body: Record<string, unknown> = {}): Promise<TextCompletion> {
  const response = await post(server, 'completions', { model: MODEL, prompt: PROMPT, max_tokens: 64, temperature: 0, stream: false, ...body });
  assert.equal(response.status, 200);
  return (await response.json()) as TextCompletion;
}

/** The `data:` events of an SSE body, `[DONE]` as the string. */
async function events(response: Response): Promise<(TextCompletion | '[DONE]')[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice(6))
    .map((data) => (data === '[DONE]' ? '[DONE]' : (JSON.parse(data) as TextCompletion)));
}

const text = (value: string): ScriptedAnswer => streamText([value]);

describe('test server: legacy /completions (inline completions)', () => {
  let server: IoTestServer;
  const servers: IoTestServer[] = [];
  const another = async (options: TestServerOptions): Promise<IoTestServer> => {
    const started = await new IoTestServer(options).start(0);
    servers.push(started);
    return started;
  };

  before(async () => {
    server = await new IoTestServer().start(0);
  });
  after(async () => {
    await Promise.all([server, ...servers].map((s) => s.stop()));
  });
  beforeEach(() => server.reset());

  it('answers from its own queue, in order, apart from the chat queue, and records the requests', async () => {
    server.enqueueCompletion(text('first'), text('second'));
    server.enqueue(text('for chat'));
    const chat = await post(server, 'chat/completions', { model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(((await chat.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content, 'for chat');
    assert.equal((await complete(server)).choices[0].text, 'first');
    assert.equal((await complete(server)).choices[0].text, 'second');
    assert.equal(server.completionRequests().length, 2);
    assert.equal((server.completionRequests()[0].body as { prompt: string }).prompt, PROMPT);
    assert.equal(server.chatRequests().length, 1);
  });

  it('a non-streamed answer is shaped like vLLM’s text_completion, with the scripted usage', async () => {
    server.enqueueCompletion(streamText(['return ', 'a + b;'], { usage: usageOf(20, 4) }));
    const body = await complete(server);
    assert.match(body.id, /^cmpl-/);
    assert.equal(body.object, 'text_completion');
    assert.equal(body.model, MODEL);
    assert.deepEqual(body.choices, [{ index: 0, text: 'return a + b;', logprobs: null, finish_reason: 'stop', stop_reason: null }]);
    assert.deepEqual(body.usage, usageOf(20, 4));
  });

  it('cuts the text at the first stop sequence, leaving it out, and names it in stop_reason', async () => {
    server.enqueueCompletion(text('return a + b;\n}\n<|file_sep|>other.ts'), text('x<|endoftext|>y\nz'));
    const first = (await complete(server, { stop: ['<|file_sep|>', '\n'] })).choices[0];
    assert.equal(first.text, 'return a + b;');
    assert.equal(first.finish_reason, 'stop');
    assert.equal(first.stop_reason, '\n');
    assert.equal((await complete(server, { stop: FIM_STOP })).choices[0].text, 'x');
  });

  it('stops at max_tokens (about 4 characters a token) with finish_reason length, and counts what it sent', async () => {
    server.enqueueCompletion({ kind: 'stream', steps: [{ type: 'content', text: 'abcdefghijklmnop' }] });
    const body = await complete(server, { max_tokens: 2, prompt: 'x'.repeat(40) });
    assert.equal(body.choices[0].text, 'abcdefgh');
    assert.equal(body.choices[0].finish_reason, 'length');
    assert.deepEqual(body.usage, usageOf(10, 2));
  });

  it('streams text_completion chunks with the cut text, the finish, usage when asked, then [DONE]', async () => {
    server.enqueueCompletion(streamText(['ret', 'urn a', ';\n}'], { usage: null }));
    const response = await post(server, 'completions', { model: MODEL, prompt: PROMPT, max_tokens: 64, stop: ['\n'], stream: true, stream_options: { include_usage: true } });
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const all = await events(response);
    assert.equal(all.at(-1), '[DONE]');
    const chunks = all.slice(0, -1) as TextCompletion[];
    assert.ok(chunks.every((c) => c.object === 'text_completion' && c.model === MODEL));
    const choices = chunks.flatMap((c) => c.choices);
    assert.deepEqual(choices.map((c) => c.text), ['ret', 'urn a', ';', '']);
    assert.deepEqual(choices.map((c) => c.finish_reason), [null, null, null, 'stop']);
    assert.deepEqual(chunks.at(-1), { ...chunks.at(-1), choices: [], usage: usageOf(Math.ceil(PROMPT.length / 4), 3) });
  });

  it('http answers give their status and body, as for chat', async () => {
    server.enqueueCompletion(httpError(400, { error: { message: 'bad prompt', type: 'BadRequestError', code: 400 } }));
    const response = await post(server, 'completions', { model: MODEL, prompt: PROMPT });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: { message: 'bad prompt', type: 'BadRequestError', code: 400 } });
  });

  it('answers ioCompletion() when the test scripted nothing, counting the prompt', async () => {
    const body = await complete(server);
    assert.equal(body.choices[0].text, 'ioCompletion()');
    assert.deepEqual(body.usage, usageOf(Math.ceil(PROMPT.length / 4), 3));
  });

  it('defaultCompletion overrides the unscripted answer', async () => {
    const custom = await another({ defaultCompletion: (body) => text(`echo ${String(body.model)}`) });
    assert.equal((await complete(custom)).choices[0].text, `echo ${MODEL}`);
  });

  it('a chat-only server (fim: false) answers 404 Not Found there, and chat still works', async () => {
    const chatOnly = await another({ fim: false });
    const response = await post(chatOnly, 'completions', { model: MODEL, prompt: PROMPT });
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { detail: 'Not Found' });
    assert.equal((await post(chatOnly, 'chat/completions', { model: MODEL, messages: [{ role: 'user', content: 'hi' }] })).status, 200);
  });

  it('notices a /completions request the client aborted before the answer', async () => {
    server.enqueueCompletion({ kind: 'stream', steps: [{ type: 'stall' }] });
    await assertServerSeesAbort(server, 'completions', { model: MODEL, prompt: PROMPT }, () => server.completionRequests().length === 1);
  });

  it('notices a streamed chat request the client aborted mid-answer', async () => {
    server.enqueue(faults.stall('Before the stall. '));
    const controller = new AbortController();
    const response = await post(server, 'chat/completions', { model: MODEL, stream: true, messages: [{ role: 'user', content: 'hi' }] }, controller.signal);
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await until(() => server.abortedPaths().length === 1, 'the server saw the abort');
    assert.deepEqual(server.abortedPaths(), ['/api/v1/chat/completions']);
  });

  it('a finished answer, or one the server dropped itself, is not an abort', async () => {
    server.enqueueCompletion(text('done'), { kind: 'stream', steps: [{ type: 'wait', ms: 5 }, { type: 'drop' }] });
    await complete(server);
    await assert.rejects(post(server, 'completions', { model: MODEL, prompt: PROMPT }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(server.abortedPaths(), []);
  });

  it('reset() empties the completion queue and the aborted list', async () => {
    server.enqueueCompletion(text('left over'));
    server.aborted.push(server.requests[0] ?? { method: 'POST', path: '/x', headers: {}, body: undefined, at: 0 });
    server.reset();
    assert.deepEqual(server.abortedPaths(), []);
    assert.equal((await complete(server)).choices[0].text, 'ioCompletion()');
  });
});

describe('demo endpoint: inline completions (npm start)', () => {
  let demo: IoTestServer;

  before(async () => {
    demo = await new IoTestServer(demoServerOptions(0)).start(0);
  });
  after(() => demo.stop());

  it('fills a block just opened with a body, and leaves out the closing brace already after the cursor', async () => {
    const prompt = fimPrompt({ before: 'function add(a, b) {\n  ', after: '\n}\n', path: 'src/math.ts', budgetTokens: 1_000 }).prompt;
    const body = await complete(demo, { prompt, stop: FIM_STOP });
    assert.equal(body.choices[0].text, 'console.log(a, b);\n  return a;');
    assert.deepEqual(body.usage, usageOf(Math.ceil(prompt.length / 4), 8));
  });

  it('closes the block when nothing after the cursor does', () => {
    assert.equal(continuation('function add(a, b) {', '\n'), '\n  console.log(a, b);\n  return a;\n}');
  });

  it('completes console. with a log of the nearest variable', async () => {
    const before = 'function add(a, b) {\n  const sum = a + b;\n  console.';
    const prompt = fimPrompt({ before, after: '\n}\n', path: 'src/math.ts', budgetTokens: 1_000, neighbours: [{ path: 'src/util.ts', content: 'export const x = 1;' }], repoName: 'demo' }).prompt;
    assert.equal((await complete(demo, { prompt, stop: FIM_STOP })).choices[0].text, 'log(sum);');
  });

  it('turns a comment into the call it describes, and closes an open call only without ) after it', () => {
    assert.equal(continuation('const users = load();\n// sort the users by age\n', '\n'), 'sortUsersByAge(users);');
    assert.equal(continuation('names = os.listdir(".")\n# print the names\n', ''), 'print_names(names)');
    assert.equal(continuation('const total = 3;\nMath.max(', '\n'), 'total)');
    assert.equal(continuation('const total = 3;\nMath.max(', ')\n'), 'total');
    assert.equal(continuation('def area(r):\n    result = 3.14 * r * r\n    ', '\n'), 'return result');
  });

  it('the chat fallback (system prompt with <FILL_HERE>) streams the same continuation, code only', async () => {
    const messages = holePrompt({ before: 'def area(r):\n    result = 3.14 * r * r\n    ', after: '\n', path: 'geo.py', language: 'python', multiline: true });
    const response = await post(demo, 'chat/completions', { model: MODEL, stream: true, messages });
    const chunks = (await response.text()).split('\n\n').filter((b) => b.startsWith('data: {'));
    const content = chunks.map((b) => (JSON.parse(b.slice(6)) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? '').join('');
    assert.equal(content, 'return result');
  });

  it('a single-line chat request gets the rest of the line only', async () => {
    const messages = holePrompt({ before: 'function add(a, b) {\n  ', after: '\n}\n', path: 'src/math.ts', language: 'typescript', multiline: false });
    const response = await post(demo, 'chat/completions', { model: MODEL, stream: false, messages });
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    assert.equal(body.choices[0].message.content, 'console.log(a, b);');
  });
});
