import type { ChatBody, ChatBodyMessage, WireTool } from './ioTestServer';

/**
 * The demo endpoint in VS Code's own chat and agent mode, which offer the model tools: asked a question, the demo
 * calls one tool (the first that reads or searches, so that running it changes nothing), and given the tool's
 * result it answers from that result. No model runs here; like every demo answer, the text says so.
 * Pure functions of the request: unit-tested in test/unit/demoTools.test.ts.
 */

export type ToolTurn =
  | { readonly kind: 'call'; readonly id: string; readonly name: string; readonly args: Record<string, unknown>; readonly thought: string }
  | { readonly kind: 'summary'; readonly text: string; readonly thought: string };

/** What the demo does with tools in this request: call one, sum up results, or nothing (a plain chat answer). */
export function toolTurn(chat: ChatBody): ToolTurn | undefined {
  const messages = chat.messages ?? [];
  const last = messages.at(-1);
  if (last?.role === 'tool') return summary(messages);
  const tool = chat.tools?.length ? readingToolOf(chat.tools) : undefined;
  if (last?.role !== 'user' || !tool) return undefined;
  const question = userRequest(last.content);
  return {
    kind: 'call',
    // Unique within the conversation, and the same for the same request: the answer stays a pure function.
    id: `call_demo_${messages.filter((m) => m.role === 'assistant' && m.tool_calls?.length).length + 1}`,
    name: tool.function.name,
    args: argumentsFor(tool.function.parameters ?? {}, question),
    thought: `To answer this I should look first: \`${tool.function.name}\` can tell me more.\n`,
  };
}

const READING_WORDS = new Set(['read', 'search', 'find', 'grep', 'list', 'get', 'fetch', 'view', 'open', 'lookup', 'query', 'show']);

/** The first tool whose name reads or searches (`copilot_readFile`, `search_files`), else the first tool. */
export function readingToolOf(tools: readonly WireTool[]): WireTool {
  return tools.find((tool) => nameWords(tool.function.name).some((word) => READING_WORDS.has(word))) ?? tools[0];
}

/** `copilot_findTextInFiles` → copilot, find, text, in, files. */
function nameWords(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/** VS Code's agent prompt wraps the user's words in `<userRequest>` among attachments and reminders. */
function userRequest(content: string): string {
  return (/<userRequest>\s*([\s\S]*?)\s*<\/userRequest>/.exec(content)?.[1] ?? content).trim();
}

type Schema = Record<string, unknown>;

/** Arguments that fit the schema: every required parameter gets a plausible value, taken from the question where it can. */
export function argumentsFor(schema: Schema, question: string): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string') : [];
  return Object.fromEntries(required.map((name) => [name, valueFor(name, properties[name] ?? {}, question)]));
}

function valueFor(name: string, schema: Schema, question: string): unknown {
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  switch (schema.type) {
    case 'integer':
    case 'number':
      return numberFor(name, schema);
    case 'boolean':
      return false;
    case 'array':
      return [valueFor(name, (schema.items ?? { type: 'string' }) as Schema, question)];
    case 'object':
      return argumentsFor(schema, question);
    default:
      return textFor(name, question);
  }
}

/** A line range or a count that reads a screenful: an end or limit of 50, a start at the minimum or 1. */
function numberFor(name: string, schema: Schema): number {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : 1;
  return /end|max|limit|count/i.test(name) ? Math.max(minimum, 50) : minimum;
}

/** A path parameter gets the file the question names (else the workspace root); any other text, the question. */
function textFor(name: string, question: string): string {
  if (/path|file|uri|dir|folder/i.test(name)) return pathIn(question) ?? '.';
  return question.slice(0, 200);
}

/** `src/a.ts`, `README.md`: a word with an extension, not `e.g.` or `1.5`. */
function pathIn(text: string): string | undefined {
  return /(?:[\w.-]+\/)*[A-Za-z_][\w-]+\.[A-Za-z][A-Za-z0-9]{0,5}\b/.exec(text)?.[0];
}

const QUOTE_CHARS = 200;

/** The results of the last calls (parallel calls answer together), each named and quoted briefly. */
function summary(messages: readonly ChatBodyMessage[]): ToolTurn {
  const results = trailingResults(messages);
  const question = [...messages].reverse().find((m) => m.role === 'user');
  const parts = results.flatMap((result) => [resultLine(result, messages), '', ...(result.content ? [quote(result.content), ''] : [])]);
  const asked = question ? ` (“${shortened(userRequest(question.content), 120)}”)` : '';
  parts.push(`With a real key, the model you picked answers your question${asked} from ${results.length === 1 ? 'this result' : 'these results'}.`);
  return { kind: 'summary', text: parts.join('\n'), thought: `The tool answered with ${results[0].content.length} characters. I should answer from them.\n` };
}

function trailingResults(messages: readonly ChatBodyMessage[]): readonly ChatBodyMessage[] {
  let start = messages.length;
  while (start > 0 && messages[start - 1].role === 'tool') start--;
  return messages.slice(start);
}

function resultLine(result: ChatBodyMessage, messages: readonly ChatBodyMessage[]): string {
  const call = messages.flatMap((m) => m.tool_calls ?? []).find((c) => c.id === result.tool_call_id);
  const chars = result.content.length;
  return `\`${call?.function.name ?? 'The tool'}\` returned ${chars.toLocaleString('en-US')} character${chars === 1 ? '' : 's'}${chars ? ', beginning:' : '.'}`;
}

/** The start of a result as a Markdown quote, on a few lines. */
function quote(text: string): string {
  return shortened(text.trim(), QUOTE_CHARS).split('\n').slice(0, 6).map((line) => `> ${line}`).join('\n');
}

function shortened(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
