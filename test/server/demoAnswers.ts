import { DEMO_OWNER } from '../../src/core/modelCatalog';
import { demoCompletion, demoHoleAnswer, isHolePrompt } from './demoCompletions';
import { toolTurn, type ToolTurn } from './demoTools';
import type { ChatBody, ScriptedAnswer, StreamStep, TestServerOptions, Usage } from './ioTestServer';
import { toolCallsAnswer, toolCallSteps } from './scenarios';

/**
 * What the demo endpoint of `npm start` answers. No model runs here: the answers are written from what the request
 * carries (the quoted code, the question, the rewrite instruction), and they say so, so that a newcomer sees every
 * surface of the extension work with content that fits what they did, and is never misled about where it came from.
 * Pure functions of the request: unit-tested in test/unit/demoAnswers.test.ts.
 */

export { DEMO_OWNER };

/**
 * What the demo's `/models` lists: a coder model, a reasoning model and a general one, and IO's two embedding models,
 * whose `/embeddings` answers are the test server's hashed bags of words (embeddings.ts): deterministic, and good
 * enough that `@codebase` finds code that shares words with the question.
 */
export const DEMO_MODELS = [
  { id: 'Qwen/Qwen2.5-Coder-32B-Instruct', max_model_len: 32_768 },
  { id: 'deepseek-ai/DeepSeek-R1', max_model_len: 128_000 },
  { id: 'meta-llama/Llama-3.3-70B-Instruct', max_model_len: 128_000 },
  { id: 'mixedbread-ai/mxbai-embed-large-v1', max_model_len: 512, embedding: true },
  { id: 'BAAI/bge-multilingual-gemma2', max_model_len: 4_096, embedding: true },
] as const;

/**
 * The test server in demo mode (`cli.ts --demo`): the demo's models with their marker, answers from demoAnswer, and
 * inline completions from demoCompletion.
 */
export function demoServerOptions(stepDelayMs = 25): TestServerOptions {
  return { stepDelayMs, models: DEMO_MODELS, ownedBy: DEMO_OWNER, defaultAnswer: demoAnswer, defaultCompletion: demoCompletion };
}

const NOTE = '*Demo endpoint: written by the local demo server from what you sent, not by a model. Set `IOINTELLIGENCE_API_KEY` before `npm start` to use IO Intelligence.*';

/** The code a chat or rewrite request quotes, as the extension's prompts (src/core/prompts.ts) lay it out. */
export interface QuotedCode {
  readonly file: string;
  readonly language: string;
  readonly code: string;
}

type Message = NonNullable<ChatBody['messages']>[number];

export function demoAnswer(chat: ChatBody): ScriptedAnswer {
  // The chat fallback of inline completions: code for the hole, not a chat answer.
  if (isHolePrompt(chat)) return demoHoleAnswer(chat);
  const turn = toolTurn(chat);
  if (turn) return toolAnswer(turn, chat);
  const messages = chat.messages ?? [];
  const rewrite = messages[0]?.role === 'system' && messages[0].content.startsWith('You rewrite code');
  const text = rewrite ? rewriteAnswer(messages.at(-1)?.content ?? '') : chatAnswer(messages);
  const thoughts = isReasoningModel(chat.model ?? '') ? thinking(messages, rewrite) : [];
  return stream(thoughts, text, messages);
}

export function isReasoningModel(model: string): boolean {
  return /DeepSeek-R1|QwQ/i.test(model);
}

/** Streamed like the real API: reasoning in `delta.reasoning_content` first, then the content, a few words a chunk. */
function stream(thoughts: readonly string[], text: string, messages: readonly Message[]): ScriptedAnswer {
  return {
    kind: 'stream',
    steps: [
      ...reasoningSteps(thoughts),
      ...pieces(text).map((piece): StreamStep => ({ type: 'content', text: piece })),
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: usageOf(messages, text + thoughts.join('')) },
      { type: 'done' },
    ],
  };
}

/** A tool call streamed in fragments (after the reasoning of a reasoning model), or the answer from the results. */
function toolAnswer(turn: ToolTurn, chat: ChatBody): ScriptedAnswer {
  const messages = chat.messages ?? [];
  const thoughts = isReasoningModel(chat.model ?? '') ? [turn.thought] : [];
  if (turn.kind === 'summary') return stream(thoughts, `${turn.text}\n\n${NOTE}`, messages);
  const call = toolCallSteps(0, turn.name, turn.args, { id: turn.id });
  return toolCallsAnswer([...reasoningSteps(thoughts), ...call], usageOf(messages, JSON.stringify(turn.args) + thoughts.join('')));
}

function reasoningSteps(thoughts: readonly string[]): StreamStep[] {
  return thoughts.flatMap((t) => pieces(t)).map((piece): StreamStep => ({ type: 'reasoning', text: piece }));
}

/** About four characters a token, as the real tokenizers count English. */
function usageOf(messages: readonly Message[], written: string): Usage {
  const prompt = Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4);
  const completion = Math.ceil(written.length / 4);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** Two or three words at a time, keeping line breaks, as a model's tokens arrive. */
function pieces(text: string): string[] {
  return text.match(/(?:\S+\s*){1,3}|\s+/g) ?? [];
}

/** The last quoted code in the request: `Code from FILE (LANG, lines …):` or the rewrite prompt's `File:` line. */
export function quotedCode(content: string): QuotedCode | undefined {
  const heading = /Code from (.+) \(([^,()]+), lines? [^)]*\):\n(`{3,})[^\n]*\n([\s\S]*?)\n\3/.exec(content);
  if (heading) return { file: heading[1], language: heading[2], code: heading[4] };
  const file = /^File: (.+) \(([^()]+)\)$/m.exec(content);
  const selected = /Selected code to rewrite:\n(`{3,})[^\n]*\n([\s\S]*?)\n\1/.exec(content);
  return file && selected ? { file: file[1], language: file[2], code: selected[2] } : undefined;
}

const KEYWORDS = new Set(
  ('abstract as async await boolean break case catch class const constructor continue def default del do elif else enum ' +
    'export extends false final finally fn for from function if impl import in instanceof interface is let match mut new ' +
    'None not null number of or pass private protected pub public return self static string super switch this throw ' +
    'true try type typeof undefined var void while with yield True False struct use mod and lambda raise except ' +
    'readonly any unknown never int float str bool').split(' '),
);

/** Names the code declares (functions, classes, variables, parameters come later), in order of appearance. */
export function declaredNames(code: string): string[] {
  const found = code.matchAll(/\b(?:function\*?|class|def|fn|interface|type|enum|struct|const|let|var)\s+([A-Za-z_$][\w$]*)/g);
  return unique(Array.from(found, (m) => m[1]));
}

/** Other identifiers the code uses, most frequent first, without keywords and without the declared ones. */
export function usedNames(code: string, declared: readonly string[]): string[] {
  const withoutStrings = code.replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, ' ').replace(/\/\/.*|#.*/g, ' ');
  const counts = new Map<string, number>();
  for (const [name] of withoutStrings.matchAll(/\b[A-Za-z_$][\w$]*\b/g)) {
    if (KEYWORDS.has(name) || declared.includes(name) || /^\d/.test(name)) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

function codeList(names: readonly string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

/** Lines as the editor numbers them: a selection ending with a line break does not count the empty line after it. */
function lineCount(code: string): number {
  return code.replace(/\r?\n$/, '').split('\n').length;
}

function chatAnswer(messages: readonly Message[]): string {
  const question = messages.at(-1)?.content ?? '';
  const quote = quotedCode(question);
  if (quote) return explanation(quote);
  return followUp(question.trim(), messages.slice(0, -1));
}

export function explanation(quote: QuotedCode): string {
  const lines = lineCount(quote.code);
  const declared = declaredNames(quote.code);
  const used = usedNames(quote.code, declared).slice(0, 6);
  const parts = [`\`${quote.file}\`: ${lines} line${lines === 1 ? '' : 's'} of ${quote.language}.`, ''];
  if (declared.length) parts.push(`- It declares ${codeList(declared)}.`);
  if (used.length) parts.push(`- It uses ${codeList(used)}.`);
  if (!declared.length && !used.length) parts.push('- It names no identifiers the demo could pick out.');
  const returns = (quote.code.match(/\breturn\b/g) ?? []).length;
  if (returns) parts.push(`- It has ${returns} \`return\` statement${returns === 1 ? '' : 's'}.`);
  const first = declared[0];
  if (first) parts.push('', `Ask a follow-up about \`${first}\`, or try **Rewrite Selection…** to see an edit proposed in the file.`);
  parts.push('', NOTE);
  return parts.join('\n');
}

function followUp(question: string, earlier: readonly Message[]): string {
  const quote = [...earlier].reverse().map((m) => quotedCode(m.content)).find(Boolean);
  const about = quote ? ` about \`${quote.file}\` (${codeList(declaredNames(quote.code).slice(0, 3)) || 'the quoted code'})` : '';
  const turns = earlier.filter((m) => m.role === 'user').length;
  const context = turns ? `It would see this conversation (${turns} earlier question${turns === 1 ? '' : 's'})${about}.` : 'Select code and run **Explain Selection** to give it something to read.';
  return [`You asked: “${question.length > 160 ? `${question.slice(0, 157)}…` : question}”`, '', `With a real key, the model you picked answers this. ${context}`, '', NOTE].join('\n');
}

/** The short reasoning a reasoning model shows before its answer. */
function thinking(messages: readonly Message[], rewrite: boolean): string[] {
  const last = messages.at(-1)?.content ?? '';
  const quote = quotedCode(last);
  if (!quote) return [`The user asks a follow-up. I should answer from the conversation so far, briefly.\n`];
  const names = codeList(declaredNames(quote.code).slice(0, 3)) || 'no named declarations';
  const task = rewrite ? 'return only the rewritten code, with the change the instruction asks for' : 'say what it declares and uses';
  return [`${lineCount(quote.code)} lines of ${quote.language} from ${quote.file}, declaring ${names}. I should ${task}.\n`];
}

/**
 * The rewrite: the selected code with a documentation comment above each function it declares (or above the block),
 * in the file's comment style. Code only, as REWRITE_SYSTEM_PROMPT asks: no fence, no chatter.
 */
export function rewriteAnswer(content: string): string {
  const quote = quotedCode(content);
  if (!quote) return '';
  const instruction = /^Instruction: (.*)$/m.exec(content)?.[1] ?? '';
  const lines = quote.code.split('\n');
  const out: string[] = [];
  let documented = false;
  lines.forEach((line, i) => {
    const fn = functionOn(line);
    if (fn && !hasCommentAbove(lines, i)) {
      out.push(...docComment(quote.language, indentOf(line), fn, instruction));
      documented = true;
    }
    out.push(line);
  });
  if (!documented) out.unshift(...docComment(quote.language, indentOf(lines[0] ?? ''), undefined, instruction));
  return out.join('\n');
}

interface FunctionLine {
  readonly name: string;
  readonly params: string[];
}

function functionOn(line: string): FunctionLine | undefined {
  const match =
    /\b(?:function\*?|def|fn)\s+([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\(([^)]*)\)/.exec(line) ??
    /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?\(([^)]*)\)\s*(?::[^=]*)?=>/.exec(line);
  if (!match) return undefined;
  const params = match[2]
    .split(',')
    .map((p) => p.trim().replace(/^(?:\.\.\.)?([A-Za-z_$][\w$]*).*$/, '$1'))
    .filter((p) => p && p !== 'self');
  return { name: match[1], params };
}

function hasCommentAbove(lines: readonly string[], index: number): boolean {
  const above = lines[index - 1]?.trim() ?? '';
  return /^(?:\*\/|\/\/|#|--|\*)/.test(above) || /\*\/$/.test(above);
}

function indentOf(line: string): string {
  return /^\s*/.exec(line)?.[0] ?? '';
}

const HASH_COMMENTS = new Set(['python', 'shellscript', 'ruby', 'perl', 'r', 'yaml', 'dockerfile', 'makefile', 'powershell', 'toml']);
const DASH_COMMENTS = new Set(['sql', 'lua', 'haskell']);

function docComment(language: string, indent: string, fn: FunctionLine | undefined, instruction: string): string[] {
  const summary = fn ? `${fn.name}${fn.params.length ? `: takes ${fn.params.join(', ')}` : ''}.` : 'This block, documented by the demo rewrite.';
  const note = /doc|comment/i.test(instruction) ? [] : [`Demo rewrite for “${instruction}”: the logic is unchanged.`];
  const body = [summary, ...note];
  if (HASH_COMMENTS.has(language)) return body.map((l) => `${indent}# ${l}`);
  if (DASH_COMMENTS.has(language)) return body.map((l) => `${indent}-- ${l}`);
  if (language === 'rust') return body.map((l) => `${indent}/// ${l}`);
  const params = fn && /script|java|php|kotlin|swift|dart|csharp/.test(language) ? fn.params.map((p) => `@param ${p}`) : [];
  return [`${indent}/**`, ...[...body, ...params].map((l) => `${indent} * ${l}`), `${indent} */`];
}
