import { FIM } from '../../src/core/completions/fimPrompt';
import { HOLE } from '../../src/core/completions/holePrompt';
import type { ChatBody, CompletionBody, ScriptedAnswer, StreamStep } from './ioTestServer';
import { promptOf } from './ioTestServer';

/**
 * Inline completions of the demo endpoint: a plausible, deterministic continuation of the code at the cursor, read from
 * the raw FIM prompt (`/completions`) or from the hole-filling chat prompt (the fallback transport), so that ghost
 * text shows in `npm start` whichever transport the extension picks. Rules, not a model: a block gets a body, a comment
 * the code it describes, `console.` a log, an open call its arguments. Unit-tested in testServerCompletions.test.ts.
 */

/** What a real server takes before answering, so that the extension's debounce and cancellation show. */
const THINK_MS = 150;

/** `/completions`: the continuation, without usage, so the server counts what it sent after its stop/max_tokens cut. */
export function demoCompletion(body: CompletionBody): ScriptedAnswer {
  const prompt = promptOf(body);
  const before = between(prompt, FIM.prefix, FIM.suffix);
  const after = between(prompt, FIM.suffix, FIM.middle);
  const path = /<\|file_sep\|>([^\n]*)\n(?![\s\S]*<\|file_sep\|>)/.exec(prompt)?.[1] ?? '';
  return { kind: 'stream', steps: [{ type: 'wait', ms: THINK_MS }, ...pieces(continuation(before, after, path))] };
}

/** The chat fallback asks for the text that replaces HOLE: code only, no fence, like a model that follows the prompt. */
export function isHolePrompt(chat: ChatBody): boolean {
  return chat.messages?.[0]?.role === 'system' && chat.messages[0].content.includes(HOLE);
}

export function demoHoleAnswer(chat: ChatBody): ScriptedAnswer {
  const messages = chat.messages ?? [];
  const user = messages.at(-1)?.content ?? '';
  const heading = /^(.*) \(([^()]*)\):\n/.exec(user);
  const code = user.slice(heading?.[0].length ?? 0);
  const [before, after = ''] = code.split(HOLE);
  const text = continuation(before, after, heading?.[1] ?? '');
  // A single-line request gets the rest of the line only, as the prompt asks.
  const answer = messages[0].content.includes('rest of the line') ? text.split('\n')[0] : text;
  const prompt = Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4);
  const completion = Math.ceil(answer.length / 4);
  const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  return { kind: 'stream', steps: [{ type: 'wait', ms: THINK_MS }, ...pieces(answer), { type: 'finish', reason: 'stop' }, { type: 'usage', usage }, { type: 'done' }] };
}

/** The code to insert at the cursor, between `before` and `after`. */
export function continuation(before: string, after: string, path = ''): string {
  const line = before.slice(before.lastIndexOf('\n') + 1);
  const lines = before.split('\n');
  const python = /\.py$/.test(path) || /^\s*(?:(?:def|class|if|elif|for|while|with|try|else)\b.*:\s*$|# |import [\w.]+\s*$)/m.test(before);
  const end = python ? '' : ';';
  const name = nearbyName(before);
  const blank = line.trim() === '';
  const previous = blank ? ([...lines.slice(0, -1)].reverse().find((l) => l.trim()) ?? '') : line;
  // Text on the cursor's line is continued there; a blank line is filled from its indentation on.
  const start = (indent: string): string => (blank ? (indent.startsWith(line) ? indent.slice(line.length) : '') : `\n${indent}`);
  const comment = /^\s*(?:\/\/|#)\s*(.+)$/.exec(previous);
  if (comment && (blank || !after.split('\n')[0].trim())) return `${start(indentOf(previous))}${callFrom(comment[1], python)}(${name})${end}`;
  if (/[{:]\s*$/.test(previous) && (blank || /[{:]\s*$/.test(line))) {
    const indent = indentOf(previous);
    const inner = indent + unitOf(before, python);
    const body = blockBody(previous, name, python).join(`\n${inner}`);
    const close = previous.trimEnd().endsWith('{') && !after.trimStart().startsWith('}') ? `\n${indent}}` : '';
    return `${start(inner)}${body}${close}`;
  }
  if (/console\.$/.test(line)) return `log(${name})${after.split('\n')[0].trim() ? '' : end}`;
  const call = /[\w$.]+\(([^()]*)$/.exec(line);
  if (call) return `${call[1].trim() ? '' : name}${after.trimStart().startsWith(')') ? '' : ')'}`;
  if (/(?:=|\breturn)\s*$/.test(line)) return `${line.endsWith(' ') ? '' : ' '}${name}${end}`;
  return blank ? `return ${name}${end}` : '';
}

/** One or two lines for a block just opened: a function logs and returns its parameters, a class gets a constructor. */
function blockBody(opener: string, name: string, python: boolean): string[] {
  const log = python ? 'print' : 'console.log';
  const end = python ? '' : ';';
  if (/\bclass\b/.test(opener)) return [python ? 'pass' : 'constructor() {}'];
  const params = /\b(?:function|def)\b[^(]*\(([^)]*)\)|\(([^)]*)\)\s*(?::[^=]*)?=>/.exec(opener);
  const names = (params?.[1] ?? params?.[2] ?? '').split(',').map(identifier).filter((p) => p && p !== 'self');
  if (names.length) return [`${log}(${names.join(', ')})${end}`, `return ${names[0]}${end}`];
  return [`${log}(${name})${end}`];
}

/** The identifier declared or assigned last before the cursor (a parameter, a variable), for the arguments. */
function nearbyName(before: string): string {
  const code = before.replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""').replace(/\/\/.*|#.*/g, '');
  const found = code.matchAll(/\b(?:const|let|var|for)\b\s*\(?\s*(?:const|let|var)?\s*([A-Za-z_$][\w$]*)|^[ \t]*([A-Za-z_$][\w$]*)\s*=[^=>]|\b(?:function|def)\b[^(\n]*\(([^)]*)\)/gm);
  const names = Array.from(found, (m) => m[1] ?? m[2] ?? (m[3] ?? '').split(',').map(identifier).filter((p) => p && p !== 'self').at(-1));
  return names.filter(Boolean).at(-1) ?? 'value';
}

/** `// sort the users by age` → `sortUsersByAge` (`sort_users_by_age` in Python). */
function callFrom(comment: string, python: boolean): string {
  const words = (comment.toLowerCase().match(/[a-z][a-z0-9]*/g) ?? []).filter((w) => !['a', 'an', 'the'].includes(w)).slice(0, 4);
  if (!words.length) return python ? 'print' : 'console.log';
  return python ? words.join('_') : words.map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w)).join('');
}

function identifier(param: string): string {
  return /^\s*(?:\.\.\.)?([A-Za-z_$][\w$]*)/.exec(param)?.[1] ?? '';
}

function indentOf(line: string): string {
  return /^\s*/.exec(line)?.[0] ?? '';
}

/** The file's own indentation step: the first indented line's, else the language's usual one. */
function unitOf(before: string, python: boolean): string {
  const indented = /^([ \t]+)\S/m.exec(before)?.[1];
  return indented ?? (python ? '    ' : '  ');
}

function between(text: string, open: string, close: string): string {
  const start = text.indexOf(open);
  const end = text.indexOf(close, start + open.length);
  return start < 0 || end < 0 ? '' : text.slice(start + open.length, end);
}

/** A few characters at a time, as tokens arrive. */
function pieces(text: string): StreamStep[] {
  return (text.match(/[\s\S]{1,8}/g) ?? []).map((piece) => ({ type: 'content', text: piece }));
}
