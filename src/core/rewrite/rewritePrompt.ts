import { fence } from '../prompts';
import type { ChatMessage } from '../streamEvents';

export const REWRITE_SYSTEM_PROMPT = [
  'You rewrite code inside an editor.',
  'Reply with the rewritten code only: no explanation, no Markdown, no code fences, no comments about the change.',
  'Keep the original indentation style and everything the instruction does not ask to change.',
  'The code you return replaces the selected code exactly.',
].join(' ');

export interface RewriteInput {
  readonly instruction: string;
  readonly code: string;
  readonly language: string;
  readonly file: string;
  readonly before?: string;
  readonly after?: string;
  /** Diagnostic messages in the selection, for "Fix with IO Intelligence". */
  readonly diagnostics?: readonly string[];
}

export function rewriteMessages(input: RewriteInput): ChatMessage[] {
  const parts = [`Instruction: ${input.instruction}`, '', `File: ${input.file} (${input.language})`];
  if (input.diagnostics?.length) {
    parts.push('', 'Problems reported in the selected code:', ...input.diagnostics.map((d) => `- ${d}`));
  }
  if (input.before) parts.push('', 'Code before the selection (context, do not return it):', fence(input.before, input.language));
  if (input.after) parts.push('', 'Code after the selection (context, do not return it):', fence(input.after, input.language));
  parts.push('', 'Selected code to rewrite:', fence(input.code, input.language), '', 'Return only the rewritten selected code.');
  return [
    { role: 'system', content: REWRITE_SYSTEM_PROMPT },
    { role: 'user', content: parts.join('\n') },
  ];
}

export const PRESET_INSTRUCTIONS = [
  { label: 'Fix bugs', instruction: 'Fix the bugs in this code.' },
  { label: 'Simplify', instruction: 'Simplify this code without changing its behaviour.' },
  { label: 'Add types', instruction: 'Add precise type annotations.' },
  { label: 'Add doc comment', instruction: 'Add documentation comments.' },
  { label: 'Optimize', instruction: 'Make this code faster without changing its behaviour.' },
] as const;

export const ADD_DOCUMENTATION_INSTRUCTION = 'Add documentation comments.';
