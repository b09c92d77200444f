import type { ChatMessage } from '../streamEvents';

/** Marks the hole in the code sent to a chat model (the fallback when the raw FIM endpoint is not there). */
export const HOLE = '<FILL_HERE>';

export interface HoleInput {
  readonly before: string;
  readonly after: string;
  readonly path: string;
  readonly language: string;
  /** A block may take several lines; otherwise only the rest of the cursor's line is asked for. */
  readonly multiline: boolean;
}

/**
 * A hole-filling prompt for a chat model: the code with a marker where the cursor is, and an instruction to answer with
 * the missing code only. Whatever it adds around the code anyway is removed by cleanCompletion.
 */
export function holePrompt(input: HoleInput): ChatMessage[] {
  const scope = input.multiline ? 'the missing code (it may take several lines, up to the end of the current block)' : 'the rest of the line at the marker only';
  return [
    {
      role: 'system',
      content: `You complete code. Reply with ${scope}: exactly the text that replaces ${HOLE}, nothing before or after it, no explanation, no markdown fences. Never repeat code that is already there.`,
    },
    { role: 'user', content: `${input.path} (${input.language}):\n${input.before}${HOLE}${input.after}` },
  ];
}
