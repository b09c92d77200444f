import assert from 'node:assert/strict';
import type { ApiClient } from '../../src/core/apiClient';
import { RequestError } from '../../src/core/errors';
import { refusedTools } from '../../src/core/toolCalls';
import type { ChatMessage, ChatRequest, StreamEvent, ToolDefinition } from '../../src/core/streamEvents';
import { post, withServerAndClient } from '../fixtures/serverRequests';
import { IoTestServer, type StreamStep } from '../server/ioTestServer';
import { faults, reasoningContent, streamText, toolCall, toolCallSteps, toolCallsAnswer } from '../server/scenarios';

/** OpenAI tool calling through ApiClient.streamChat, against the local test server. */

const KEY = 'io-test-key-0123456789';
const MODEL = 'Qwen/Qwen2.5-Coder-32B-Instruct';
const READ_FILE: ToolDefinition = {
  name: 'read_file',
  description: 'Reads a file of the workspace',
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};
const SEARCH: ToolDefinition = { name: 'search', description: 'Searches the workspace', parameters: { type: 'object', properties: { query: { type: 'string' } } } };

function asking(messages: readonly ChatMessage[] = [{ role: 'user', content: 'What does src/a.ts do?' }]): ChatRequest {
  return { model: MODEL, messages, tools: [READ_FILE, SEARCH] };
}

async function events(client: ApiClient, request: ChatRequest): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of client.streamChat(request)) out.push(event);
  return out;
}

function calls(stream: readonly StreamEvent[]): Extract<StreamEvent, { type: 'toolCall' }>[] {
  return stream.filter((e): e is Extract<StreamEvent, { type: 'toolCall' }> => e.type === 'toolCall');
}

function sentBody(server: IoTestServer, n = 0): Record<string, unknown> {
  return server.chatRequests()[n].body as Record<string, unknown>;
}

describe('ApiClient tool calls (OpenAI tools / tool_calls)', () => {
  let server: IoTestServer;
  let client: ApiClient;

  withServerAndClient(KEY, (s, c) => {
    server = s;
    client = c;
  });

  it('offers the tools as OpenAI functions, with tool_choice only when asked', async () => {
    server.enqueue(streamText(['ok']), streamText(['ok']));
    await events(client, { ...asking(), toolChoice: 'required' });
    await events(client, asking());
    assert.deepEqual(sentBody(server).tools, [
      { type: 'function', function: { name: 'read_file', description: 'Reads a file of the workspace', parameters: READ_FILE.parameters } },
      { type: 'function', function: { name: 'search', description: 'Searches the workspace', parameters: SEARCH.parameters } },
    ]);
    assert.equal(sentBody(server).tool_choice, 'required');
    assert.equal('tool_choice' in sentBody(server, 1), false);
  });

  it('a request without tools carries neither tools nor tool_choice, as before', async () => {
    server.enqueue(streamText(['ok']));
    await events(client, { model: MODEL, messages: [{ role: 'user', content: 'Hi' }], toolChoice: 'required' });
    assert.equal('tools' in sentBody(server), false);
    assert.equal('tool_choice' in sentBody(server), false);
  });

  it('puts a call streamed in many fragments back together, and emits it once, before usage and finish', async () => {
    server.enqueue(toolCall('read_file', { path: 'src/a.ts', reason: 'to see what it exports' }, { id: 'call_abc', pieces: 12 }));
    const stream = await events(client, asking());
    assert.deepEqual(calls(stream), [{ type: 'toolCall', id: 'call_abc', name: 'read_file', arguments: '{"path":"src/a.ts","reason":"to see what it exports"}' }]);
    assert.deepEqual(stream.map((e) => e.type), ['toolCall', 'usage', 'finish']);
    assert.deepEqual(stream.at(-1), { type: 'finish', reason: 'toolCalls' });
  });

  it('two parallel calls with interleaved fragments come out whole, in index order', async () => {
    const first = toolCallSteps(0, 'read_file', { path: 'src/a.ts' }, { id: 'call_a', pieces: 4 });
    const second = toolCallSteps(1, 'search', { query: 'exports' }, { id: 'call_b', pieces: 4 });
    const interleaved: StreamStep[] = [second[0], first[0], first[1], second[1], second[2], first[2], first[3], second[3]];
    server.enqueue(toolCallsAnswer(interleaved));
    assert.deepEqual(calls(await events(client, asking())), [
      { type: 'toolCall', id: 'call_a', name: 'read_file', arguments: '{"path":"src/a.ts"}' },
      { type: 'toolCall', id: 'call_b', name: 'search', arguments: '{"query":"exports"}' },
    ]);
  });

  it('content before a call stays content, and the call follows it', async () => {
    server.enqueue(toolCallsAnswer([{ type: 'content', text: 'Let me look ' }, { type: 'content', text: 'at the file.' }, ...toolCallSteps(0, 'read_file', { path: 'a.ts' })]));
    const stream = await events(client, asking());
    const types = stream.map((e) => e.type).filter((type, i, all) => type !== all[i - 1]);
    assert.deepEqual(types, ['content', 'toolCall', 'usage', 'finish']);
    assert.equal(stream.map((e) => (e.type === 'content' ? e.text : '')).join(''), 'Let me look at the file.');
  });

  it('reasoning stays out of the content of an answer that calls a tool', async () => {
    const thinking = reasoningContent(['I should read ', 'the file.'], []);
    const steps = thinking.kind === 'stream' ? thinking.steps.filter((s) => s.type === 'reasoning') : [];
    server.enqueue(toolCallsAnswer([...steps, ...toolCallSteps(0, 'read_file', { path: 'a.ts' })]));
    const stream = await events(client, asking());
    assert.deepEqual(stream.filter((e) => e.type === 'reasoning').map((e) => (e as { text: string }).text).join(''), 'I should read the file.');
    assert.equal(stream.some((e) => e.type === 'content'), false);
    assert.equal(calls(stream).length, 1);
  });

  it('a call whose arguments are not valid JSON is still passed on, as written', async () => {
    server.enqueue(toolCall('read_file', '{"path": "src/a.ts"', { id: 'call_bad' }));
    assert.deepEqual(calls(await events(client, asking())), [{ type: 'toolCall', id: 'call_bad', name: 'read_file', arguments: '{"path": "src/a.ts"' }]);
  });

  it('fragments without an index (some servers) still make separate calls, told apart by their ids', async () => {
    const chunk = (toolCalls: unknown): StreamStep => ({ type: 'raw', text: `data: ${JSON.stringify({ choices: [{ index: 0, delta: { tool_calls: toolCalls } }] })}\n\n` });
    server.enqueue(toolCallsAnswer([
      chunk([{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":' } }]),
      chunk([{ function: { arguments: '"a.ts"}' } }]),
      chunk([{ id: 'c2', type: 'function', function: { name: 'search', arguments: '{}' } }]),
    ]));
    assert.deepEqual(calls(await events(client, asking())).map((c) => [c.id, c.name, c.arguments]), [['c1', 'read_file', '{"path":"a.ts"}'], ['c2', 'search', '{}']]);
  });

  it('sends the call and its result back in the next request, as OpenAI spells them', async () => {
    server.enqueue(toolCall('read_file', { path: 'src/a.ts' }, { id: 'call_1' }), streamText(['It exports two functions.']));
    const question: ChatMessage = { role: 'user', content: 'What does src/a.ts do?' };
    const [called] = calls(await events(client, asking([question])));
    const call = { id: called.id, name: called.name, arguments: called.arguments };
    const history: ChatMessage[] = [question, { role: 'assistant', content: '', toolCalls: [call] }, { role: 'tool', toolCallId: call.id, content: 'export function a() {}' }];
    const answer = await events(client, asking(history));
    assert.deepEqual(answer.at(-1), { type: 'finish', reason: 'stop' });
    assert.deepEqual((sentBody(server, 1).messages as unknown[]).slice(1), [
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/a.ts"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'export function a() {}' },
    ]);
  });

  it('a non-streamed answer from the test server lists the whole calls too', async () => {
    server.enqueue(toolCall('search', { query: 'x' }, { id: 'call_s', pieces: 5 }));
    const response = await post(server, 'chat/completions', { model: MODEL, messages: [{ role: 'user', content: 'q' }], tools: [] });
    const answer = (await response.json()) as { choices: { message: { tool_calls: unknown }; finish_reason: string }[] };
    assert.deepEqual(answer.choices[0].message.tool_calls, [{ id: 'call_s', type: 'function', function: { name: 'search', arguments: '{"query":"x"}' } }]);
    assert.equal(answer.choices[0].finish_reason, 'tool_calls');
  });

  it("Ollama's 400 for a model without tools is a refusal of tools; other failures of a tools request are not", async () => {
    server.enqueue(faults.toolsUnsupported('gemma:2b'), faults.contextTooLong(), faults.toolsUnsupported('gemma:2b'));
    const failure = (request: ChatRequest): Promise<RequestError> => events(client, request).then(() => assert.fail('an error'), (e: unknown) => e as RequestError);
    const refused = await failure(asking());
    assert.equal(refused.kind, 'badRequest');
    assert.match(refused.details.serverMessage ?? '', /does not support tools/);
    assert.equal(refusedTools(refused, asking()), true);
    assert.equal(refusedTools(await failure(asking()), asking()), false, 'context too long says nothing about tools');
    const withoutTools = { model: MODEL, messages: [{ role: 'user' as const, content: 'q' }] };
    assert.equal(refusedTools(await failure(withoutTools), withoutTools), false, 'a request without tools refused nothing');
  });

  it('an assistant message that said something and called a tool keeps its words', async () => {
    server.enqueue(streamText(['ok']));
    const call = { id: 'c', name: 'search', arguments: '{}' };
    await events(client, asking([{ role: 'user', content: 'q' }, { role: 'assistant', content: 'Searching.', toolCalls: [call] }, { role: 'tool', toolCallId: 'c', content: 'nothing' }]));
    assert.equal((sentBody(server).messages as { content: unknown }[])[1].content, 'Searching.');
  });
});

describe('ApiClient and a model served without tool calling', () => {
  let server: IoTestServer;
  let client: ApiClient;

  withServerAndClient(KEY, (s, c) => {
    server = s;
    client = c;
  }, { toolsUnsupported: [MODEL] });

  it("answers a tools request with badRequest and the server's words (so the caller can stop offering tools)", async () => {
    const error = await events(client, asking()).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof RequestError, String(error));
    assert.equal(error.kind, 'badRequest');
    assert.equal(error.details.status, 400);
    assert.match(error.details.serverMessage ?? '', /tool choice requires --enable-auto-tool-choice/);
    assert.equal(server.chatRequests().length, 1, 'no retry of its own');
    assert.equal(refusedTools(error, asking()), true);
  });

  it('the same model answers without tools', async () => {
    server.enqueue(streamText(['Fine.']));
    const stream = await events(client, { model: MODEL, messages: [{ role: 'user', content: 'Hi' }] });
    assert.deepEqual(stream.at(-1), { type: 'finish', reason: 'stop' });
  });
});
