import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { faults, reasoningContent, streamText, toolCall } from '../server/scenarios';
import { useFixture, type Fixture } from './fixture';
import { until } from './helpers';

const KEY = 'io-lm-key';
const QWEN = 'Qwen/Qwen2.5-Coder-32B-Instruct';
const LLAMA = 'meta-llama/Llama-3.3-70B-Instruct';
const VENDOR = 'io-intelligence';
const USAGE_KEY = 'ioIntelligence.usage';

/** Our models are offered to VS Code a moment after activation (activation itself reads no key): wait for them. */
async function offered(): Promise<void> {
  await until(async () => (await vscode.lm.selectChatModels({ vendor: VENDOR })).length > 0, 'the IO models to be offered');
}

async function model(id: string): Promise<vscode.LanguageModelChat> {
  const [found] = await vscode.lm.selectChatModels({ vendor: VENDOR, id });
  assert.ok(found, `no IO model ${id}`);
  return found;
}

/** Sends one user message through VS Code's language model API and collects the text parts. */
async function ask(chat: vscode.LanguageModelChat, text: string, token?: vscode.CancellationToken): Promise<string> {
  const response = await chat.sendRequest([vscode.LanguageModelChatMessage.User(text)], {}, token);
  let answer = '';
  for await (const part of response.stream) if (part instanceof vscode.LanguageModelTextPart) answer += part.value;
  return answer;
}

async function ask2(chat: vscode.LanguageModelChat, messages: vscode.LanguageModelChatMessage[], tools: vscode.LanguageModelChatTool[]): Promise<string> {
  const response = await chat.sendRequest(messages, { tools });
  let answer = '';
  for await (const part of response.stream) if (part instanceof vscode.LanguageModelTextPart) answer += part.value;
  return answer;
}

async function failure(run: () => Promise<unknown>): Promise<vscode.LanguageModelError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof Error, String(error));
    return error as vscode.LanguageModelError;
  }
  assert.fail('the request did not fail');
}

describe("IO models in VS Code's language model API (vscode.lm) in a real VS Code", () => {
  const fx: Fixture = useFixture({ server: { stepDelayMs: 1, validKeys: [KEY], toolsUnsupported: [QWEN] }, key: KEY });

  // Today's ledger is global state, shared with the suites before: a quota they spent is not this suite's.
  before(() => fx.api.globalState.update(USAGE_KEY, undefined));

  it("selectChatModels lists the server's chat models with their windows, never an embedding model", async () => {
    await offered();
    const models = await vscode.lm.selectChatModels({ vendor: VENDOR });
    const ids = models.map((m) => m.id).sort();
    assert.deepEqual(ids, ['Qwen/Qwen2.5-Coder-32B-Instruct', 'deepseek-ai/DeepSeek-R1-0528', 'meta-llama/Llama-3.3-70B-Instruct', 'nvidia/AceMath-7B-Instruct'].sort());
    const qwen = models.find((m) => m.id === QWEN)!;
    assert.equal(qwen.vendor, VENDOR);
    assert.equal(qwen.name, 'Qwen2.5-Coder-32B-Instruct');
    assert.equal(qwen.family, 'qwen2.5-coder');
    assert.equal(qwen.maxInputTokens, 32_768 - 4_096, 'the window less the output budget of the settings');
    const llama = models.find((m) => m.id === LLAMA)!;
    assert.equal(llama.maxInputTokens, 128_000 - 4_096);
  });

  it('sendRequest streams the answer (reasoning kept out of the text) and records its usage in the ledger', async () => {
    const before = fx.api.usage.ledger.usageOf(QWEN).tokens;
    fx.server.enqueue(reasoningContent(['SECRET-THOUGHT '], ['The answer ', 'is 42.']));
    const answer = await ask(await model(QWEN), 'What is the answer?');
    assert.equal(answer, 'The answer is 42.');
    const body = fx.server.chatRequests().at(-1)?.body as { model: string; messages: { role: string; content: string }[] };
    assert.equal(body.model, QWEN);
    assert.deepEqual(body.messages.at(-1), { role: 'user', content: 'What is the answer?' });
    await until(() => fx.api.usage.ledger.usageOf(QWEN).tokens > before, 'the usage to be recorded');
  });

  it("cancelling the provider's token aborts the HTTP request at once (the server sees it), and the prompt is counted", async () => {
    // VS Code 1.104 does not forward a consumer's cancel to the provider once the response has started (1.139 does):
    // the provider's own token is what this extension controls, so that is what is cancelled here.
    await fx.setting('idleTimeoutSeconds', 120);
    await offered();
    const info = (await fx.api.languageModels.provideLanguageModelChatInformation({ silent: true })).find((m) => m.id === QWEN)!;
    const before = fx.api.usage.ledger.usageOf(QWEN).requests;
    fx.server.enqueue({ kind: 'stream', steps: [{ type: 'content', text: 'Starting…' }, { type: 'stall' }] });
    const source = new vscode.CancellationTokenSource();
    const started = Date.now();
    const parts: string[] = [];
    const answering = fx.api.languageModels.provideLanguageModelChatResponse(
      info,
      [vscode.LanguageModelChatMessage.User('Long answer please')],
      { toolMode: vscode.LanguageModelChatToolMode.Auto },
      { report: (part) => parts.push(part instanceof vscode.LanguageModelTextPart ? part.value : '?') },
      source.token,
    );
    await until(() => parts.length > 0, 'the first part');
    source.cancel();
    await assert.rejects(answering, (error: Error) => error instanceof vscode.CancellationError);
    await until(() => fx.server.abortedPaths().some((p) => p.endsWith('/chat/completions')), 'the server to see the abort', 3_000);
    assert.ok(Date.now() - started < 10_000, 'the abort came from the cancel, not from a timeout');
    assert.equal(fx.api.usage.ledger.usageOf(QWEN).requests, before + 1, 'what was sent is counted');
  });

  it('a token cancelled before the request goes out sends nothing', async () => {
    await offered();
    const info = (await fx.api.languageModels.provideLanguageModelChatInformation({ silent: true })).find((m) => m.id === QWEN)!;
    const source = new vscode.CancellationTokenSource();
    source.cancel();
    const sent = fx.server.chatRequests().length;
    await assert.rejects(
      fx.api.languageModels.provideLanguageModelChatResponse(info, [vscode.LanguageModelChatMessage.User('hi')], { toolMode: vscode.LanguageModelChatToolMode.Auto }, { report: () => undefined }, source.token),
      (error: Error) => error instanceof vscode.CancellationError,
    );
    assert.equal(fx.server.chatRequests().length, sent);
  });

  it('a spent quota is the Blocked error with what to do; the next request is refused before it is sent', async () => {
    await fx.setting('fallbackModels', [LLAMA]);
    fx.server.enqueue(faults.quotaExhausted());
    const chat = await model('nvidia/AceMath-7B-Instruct');
    const error = await failure(() => ask(chat, 'hello'));
    assert.equal(error.code, vscode.LanguageModelError.Blocked.name);
    assert.match(error.message, /quota for nvidia\/AceMath-7B-Instruct is spent\. Switch to another model, such as meta-llama\/Llama-3\.3-70B-Instruct/);
    const sent = fx.server.chatRequests().length;
    const again = await failure(() => ask(chat, 'hello again'));
    assert.equal(again.code, vscode.LanguageModelError.Blocked.name);
    assert.equal(fx.server.chatRequests().length, sent, 'nothing was sent, and no other model answered');
  });

  it('a rejected key is NoPermissions, an unknown model NotFound, a server failure keeps our message', async () => {
    const chat = await model(LLAMA);
    fx.server.enqueue(faults.unauthorized());
    assert.equal((await failure(() => ask(chat, 'a'))).code, vscode.LanguageModelError.NoPermissions.name);
    fx.server.enqueue(faults.unknownModel(LLAMA));
    assert.equal((await failure(() => ask(chat, 'b'))).code, vscode.LanguageModelError.NotFound.name);
    fx.server.enqueue(faults.serverError());
    assert.match((await failure(() => ask(chat, 'c'))).message, /server/i);
  });

  it('tool calls round-trip: tools go out as OpenAI functions, a call comes back as a tool call part, its result goes back as a tool message', async () => {
    const tools: vscode.LanguageModelChatTool[] = [{ name: 'readFile', description: 'Read a file of the workspace', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }];
    const chat = await model(LLAMA);
    fx.server.enqueue(toolCall('readFile', { path: 'src/math.ts' }, { id: 'call_1', pieces: 4 }));
    const first = await chat.sendRequest([vscode.LanguageModelChatMessage.User('What does math.ts export?')], { tools });
    const calls: vscode.LanguageModelToolCallPart[] = [];
    for await (const part of first.stream) if (part instanceof vscode.LanguageModelToolCallPart) calls.push(part);
    assert.deepEqual(
      calls.map((c) => [c.callId, c.name, c.input]),
      [['call_1', 'readFile', { path: 'src/math.ts' }]],
    );
    const sent = fx.server.chatRequests().at(-1)?.body as { tools: { type: string; function: { name: string } }[]; tool_choice: string };
    assert.deepEqual(
      sent.tools.map((t) => [t.type, t.function.name]),
      [['function', 'readFile']],
    );
    assert.equal(sent.tool_choice, 'auto');

    fx.server.enqueue(streamText(['It exports average and clamp.']));
    const second = await ask2(chat, [
      vscode.LanguageModelChatMessage.User('What does math.ts export?'),
      vscode.LanguageModelChatMessage.Assistant([calls[0]]),
      vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart('call_1', [new vscode.LanguageModelTextPart('export function average… export function clamp…')])]),
    ], tools);
    assert.equal(second, 'It exports average and clamp.');
    const body = fx.server.chatRequests().at(-1)?.body as { messages: { role: string; content: string | null; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[] };
    const [assistant, tool] = body.messages.slice(-2);
    assert.equal(assistant.role, 'assistant');
    assert.deepEqual(assistant.tool_calls?.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments)]), [['call_1', 'readFile', { path: 'src/math.ts' }]]);
    assert.deepEqual([tool.role, tool.tool_call_id, tool.content], ['tool', 'call_1', 'export function average… export function clamp…']);
  });

  it('a structured (prompt-tsx) tool result goes back as its JSON, never as an empty tool message', async () => {
    const tools: vscode.LanguageModelChatTool[] = [{ name: 'listFiles', description: 'List files', inputSchema: { type: 'object', properties: {} } }];
    fx.server.enqueue(streamText(['Two files.']));
    const call = new vscode.LanguageModelToolCallPart('call_9', 'listFiles', {});
    await ask2(await model(LLAMA), [
      vscode.LanguageModelChatMessage.User('Which files?'),
      vscode.LanguageModelChatMessage.Assistant([call]),
      vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart('call_9', [new vscode.LanguageModelPromptTsxPart({ files: ['a.ts', 'b.ts'] })])]),
    ], tools);
    const body = fx.server.chatRequests().at(-1)?.body as { messages: { role: string; content: string | null; tool_call_id?: string }[] };
    const tool = body.messages.find((m) => m.role === 'tool');
    assert.equal(tool?.tool_call_id, 'call_9');
    assert.match(tool?.content ?? '', /"files":\["a\.ts","b\.ts"\]/);
  });

  it('a model that refuses a tools request is asked without tools from then on (for the session); one not on the list never gets them', async () => {
    const tools: vscode.LanguageModelChatTool[] = [{ name: 'search', description: 'Search', inputSchema: { type: 'object', properties: {} } }];
    const qwen = await model(QWEN);
    const refused = await failure(() => ask2(qwen, [vscode.LanguageModelChatMessage.User('find it')], tools));
    assert.match(refused.message, /does not take tools on this server/);
    fx.server.enqueue(streamText(['Answered without tools.']));
    assert.equal(await ask2(qwen, [vscode.LanguageModelChatMessage.User('find it')], tools), 'Answered without tools.');
    assert.equal((fx.server.chatRequests().at(-1)?.body as { tools?: unknown }).tools, undefined);
    fx.server.enqueue(streamText(['No tools here.']));
    assert.equal(await ask2(await model('deepseek-ai/DeepSeek-R1-0528'), [vscode.LanguageModelChatMessage.User('hi')], tools), 'No tools here.');
    assert.equal((fx.server.chatRequests().at(-1)?.body as { tools?: unknown }).tools, undefined);
  });

  it('a prompt too long for the model is refused before it is sent, naming a model whose window it fits', async () => {
    const sent = fx.server.chatRequests().length;
    const qwen = await model(QWEN);
    const error = await failure(() => ask(qwen, 'x'.repeat(100_000)));
    assert.match(error.message, /longer than Qwen\/Qwen2\.5-Coder-32B-Instruct's context window.*such as (meta-llama\/Llama-3\.3-70B-Instruct|deepseek-ai\/DeepSeek-R1-0528)/);
    assert.equal(fx.server.chatRequests().length, sent);
    fx.server.enqueue(streamText(['fits']));
    assert.equal(await ask(qwen, 'x'.repeat(88_000)), 'fits', 'a long prompt that fits is sent, its answer budget cut to what is left');
    const body = fx.server.chatRequests().at(-1)?.body as { max_completion_tokens?: number; max_tokens?: number };
    const budget = body.max_completion_tokens ?? body.max_tokens ?? 0;
    assert.ok(budget > 0 && budget < 4_096, `answer budget ${budget}`);
  });

  it('token counts are local and cheap', async () => {
    const chat = await model(QWEN);
    const requests = fx.server.chatRequests().length;
    assert.equal(await chat.countTokens('x'.repeat(300)), 100);
    assert.ok((await chat.countTokens(vscode.LanguageModelChatMessage.User('hello there'))) > 0);
    assert.equal(fx.server.chatRequests().length, requests);
  });
});

describe('IO models without a key', () => {
  const fx: Fixture = useFixture({ server: { stepDelayMs: 1 } });

  it('are not listed when VS Code asks silently (no prompt, no request)', async () => {
    await fx.storeKey(undefined);
    fx.server.enqueue(streamText(['never']));
    const models = await vscode.lm.selectChatModels({ vendor: VENDOR });
    assert.deepEqual(models, []);
    assert.equal(fx.server.chatRequests().length, 0);
  });
});
