import assert from 'node:assert/strict';
import { ApiClient } from '../../src/core/apiClient';
import type { ChatMessage, StreamEvent, ToolDefinition } from '../../src/core/streamEvents';
import { demoAnswer, demoServerOptions } from '../server/demoAnswers';
import { IoTestServer, wholeToolCalls, type ChatBody, type ChatBodyMessage, type ScriptedAnswer, type WireTool } from '../server/ioTestServer';

/** The demo endpoint of `npm start` in VS Code's own chat and agent mode, which offer the model tools. */

const CODER = 'Qwen/Qwen2.5-Coder-32B-Instruct';

function wireTool(name: string, parameters: Record<string, unknown>): WireTool {
  return { type: 'function', function: { name, description: `The ${name} tool`, parameters } };
}

const RUN = wireTool('run_in_terminal', { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] });
const READ = wireTool('copilot_readFile', {
  type: 'object',
  properties: { filePath: { type: 'string' }, startLine: { type: 'number' }, endLine: { type: 'number' } },
  required: ['filePath', 'startLine', 'endLine'],
});
const SEARCH = wireTool('copilot_searchCodebase', { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] });

interface Streamed {
  readonly content: string;
  readonly reasoning: string;
  readonly calls: { id: string; name: string; arguments: string }[];
  readonly finish?: string;
}

/** The scripted steps read back the way a client puts them together. */
function streamed(answer: ScriptedAnswer): Streamed {
  const steps = answer.kind === 'stream' ? answer.steps : assert.fail('a streamed answer');
  const text = (type: 'content' | 'reasoning'): string => steps.map((s) => (s.type === type ? s.text : '')).join('');
  const calls = wholeToolCalls(steps).map((call) => ({ id: call.id, ...call.function }));
  const finish = steps.find((s) => s.type === 'finish');
  return { content: text('content'), reasoning: text('reasoning'), calls, finish: finish?.type === 'finish' ? finish.reason : undefined };
}

function asked(question: string, tools: readonly WireTool[], model = CODER): ChatBody {
  return { model, stream: true, tools, messages: [{ role: 'system', content: 'You are an agent.' }, { role: 'user', content: question }] };
}

function afterCall(name: string, result: string): ChatBodyMessage[] {
  return [
    { role: 'user', content: 'What does src/math.ts export?' },
    { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name, arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: result },
  ];
}

describe('demo endpoint with tools (VS Code chat, agent mode)', () => {
  it('asked a question, it calls the first tool that reads, with arguments from the question and the schema', () => {
    const answer = streamed(demoAnswer(asked('What does src/math.ts export?', [RUN, READ, SEARCH])));
    assert.equal(answer.finish, 'tool_calls');
    assert.equal(answer.content, '');
    assert.equal(answer.calls.length, 1);
    assert.equal(answer.calls[0].name, 'copilot_readFile');
    assert.match(answer.calls[0].id, /^call_demo_\d+$/);
    assert.deepEqual(JSON.parse(answer.calls[0].arguments), { filePath: 'src/math.ts', startLine: 1, endLine: 50 });
  });

  it('streams the arguments in fragments, as a model writes them', () => {
    const answer = demoAnswer(asked('Find where clamp is used', [SEARCH]));
    const fragments = answer.kind === 'stream' ? answer.steps.filter((s) => s.type === 'toolCall') : [];
    assert.ok(fragments.length > 1, `${fragments.length} fragments`);
    assert.deepEqual(JSON.parse(streamed(answer).calls[0].arguments), { query: 'Find where clamp is used' });
  });

  it('without a tool that reads, it calls the first one; required strings come from the question, optional ones are left out', () => {
    const mood = { type: 'string', enum: ['calm', 'loud'] };
    const tool = wireTool('make_note', { type: 'object', properties: { title: { type: 'string' }, mood, pinned: { type: 'boolean' }, tags: { type: 'array', items: { type: 'string' } }, body: { type: 'string' } }, required: ['title', 'mood', 'pinned', 'tags'] });
    const answer = streamed(demoAnswer(asked('Remember the deadline', [tool, wireTool('other', {})])));
    assert.equal(answer.calls[0].name, 'make_note');
    assert.deepEqual(JSON.parse(answer.calls[0].arguments), { title: 'Remember the deadline', mood: 'calm', pinned: false, tags: ['Remember the deadline'] });
  });

  it("reads the user's words out of VS Code's agent prompt (<userRequest>), not its attachments", () => {
    const content = '<attachments>\n<attachment id="x">lots of code</attachment>\n</attachments>\n<userRequest>\nWhere is clamp defined?\n</userRequest>';
    const answer = streamed(demoAnswer(asked(content, [SEARCH])));
    assert.deepEqual(JSON.parse(answer.calls[0].arguments), { query: 'Where is clamp defined?' });
  });

  it('given the result, it answers in text: which tool, how long, a short quote, and that it is the demo', () => {
    const result = `export function clamp(value: number) {\n  return value;\n}\n${'// filler\n'.repeat(100)}`;
    const body: ChatBody = { model: CODER, stream: true, tools: [READ], messages: afterCall('copilot_readFile', result) };
    const answer = streamed(demoAnswer(body));
    assert.equal(answer.finish, 'stop');
    assert.deepEqual(answer.calls, []);
    assert.match(answer.content, /`copilot_readFile` returned 1,057 characters, beginning:/);
    assert.match(answer.content, /^> export function clamp\(value: number\) \{$/m);
    assert.ok(answer.content.length < 900, 'a short quote, not the whole result');
    assert.match(answer.content, /answers your question \(“What does src\/math\.ts export\?”\) from this result/);
    assert.match(answer.content, /Demo endpoint/);
  });

  it('parallel results are each named', () => {
    const messages: ChatBodyMessage[] = [
      { role: 'user', content: 'Compare a.ts and b.ts' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_a', arguments: '{}' } }, { id: 'c2', type: 'function', function: { name: 'read_b', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'A' },
      { role: 'tool', tool_call_id: 'c2', content: '' },
    ];
    const answer = streamed(demoAnswer({ model: CODER, stream: true, messages }));
    assert.match(answer.content, /`read_a` returned 1 character, beginning:\n\n> A/);
    assert.match(answer.content, /`read_b` returned 0 characters\./);
    assert.match(answer.content, /from these results/);
  });

  it('a reasoning model thinks before the call, and its thoughts stay out of the content', () => {
    const answer = streamed(demoAnswer(asked('What does src/math.ts export?', [READ], 'deepseek-ai/DeepSeek-R1')));
    assert.match(answer.reasoning, /copilot_readFile/);
    assert.equal(answer.content, '');
    assert.equal(answer.calls.length, 1);
  });

  it('without tools, the same question gets the plain chat answer', () => {
    const answer = streamed(demoAnswer(asked('What does src/math.ts export?', [])));
    assert.equal(answer.finish, 'stop');
    assert.match(answer.content, /You asked: “What does src\/math\.ts export\?”/);
  });
});

describe('demo server and the client, a tool round trip on the wire', () => {
  let server: IoTestServer;
  before(async () => {
    server = await new IoTestServer(demoServerOptions(0)).start();
  });
  after(() => server.stop());

  const SEARCH_TOOL: ToolDefinition = { name: 'search_workspace', description: 'Searches', parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } };

  async function events(messages: readonly ChatMessage[]): Promise<StreamEvent[]> {
    const client = new ApiClient({ baseUrl: server.baseUrl, apiKey: 'demo', requestTimeoutMs: 5_000, idleTimeoutMs: 2_000 });
    const out: StreamEvent[] = [];
    for await (const event of client.streamChat({ model: CODER, messages, tools: [SEARCH_TOOL] })) out.push(event);
    return out;
  }

  it('calls the tool, then answers from the result the client sends back', async () => {
    const question: ChatMessage = { role: 'user', content: 'Where is clamp used?' };
    const first = await events([question]);
    const call = first.find((e) => e.type === 'toolCall');
    assert.ok(call?.type === 'toolCall');
    assert.deepEqual(JSON.parse(call.arguments), { query: 'Where is clamp used?' });
    assert.deepEqual(first.at(-1), { type: 'finish', reason: 'toolCalls' });
    const toolCalls = [{ id: call.id, name: call.name, arguments: call.arguments }];
    const second = await events([question, { role: 'assistant', content: '', toolCalls }, { role: 'tool', toolCallId: call.id, content: 'src/math.ts:3 clamp(x)' }]);
    const text = second.map((e) => (e.type === 'content' ? e.text : '')).join('');
    assert.match(text, /`search_workspace` returned 22 characters, beginning:\n\n> src\/math\.ts:3 clamp\(x\)/);
    assert.deepEqual(second.at(-1), { type: 'finish', reason: 'stop' });
  });
});
