/**
 * The leaf of the dependency graph: what a conversation is made of and how a request can fail, as plain data.
 * It imports nothing, so that core, the protocol and the webview can all build on it without a cycle
 * (lint holds this: see eslint.config.mjs). Lists are `as const` arrays so that validation and types share one source.
 */

export const TURN_STATUSES = ['streaming', 'done', 'stopped', 'interrupted', 'cut'] as const;
export type TurnStatus = (typeof TURN_STATUSES)[number];

export const TURN_ROLES = ['user', 'assistant'] as const;
export type TurnRole = (typeof TURN_ROLES)[number];

/** How a request can fail; each kind has its words (errorText.ts) and its actions (errors.ts). */
export const ERROR_KINDS = [
  'noKey',
  'badKey',
  'unknownModel',
  'rateLimited',
  'quotaExhausted',
  'contextTooLong',
  'badRequest',
  'server',
  'network',
  /** The server answered with a redirect, which is never followed (the body is the user's code). */
  'redirected',
  'requestTimeout',
  'idleTimeout',
  'cancelled',
  'malformed',
  /** Not a failure of the server or the network: a bug or an unforeseen state on our side (the log has the stack). */
  'internal',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** What the user can do about a failure; each is a button in a notification or on an error card. */
export const ERROR_ACTIONS = ['setApiKey', 'selectModel', 'retry', 'switchModel', 'openSettings'] as const;
export type ErrorAction = (typeof ERROR_ACTIONS)[number];

export const ERROR_ACTION_LABELS: Readonly<Record<ErrorAction, string>> = {
  setApiKey: 'Set API Key',
  selectModel: 'Select Model',
  retry: 'Retry',
  switchModel: 'Switch Model',
  openSettings: 'Open Settings',
};

/** Code the user asked about, shown above the question and clickable to reveal the range. */
export interface CodeQuote {
  readonly uri: string;
  readonly file: string;
  readonly language: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly code: string;
}

/** Lines around a quote that help the model understand it: sent with the question, never shown. */
export interface SurroundingCode {
  readonly before: string;
  readonly after: string;
}

/** What can be attached to a question with `@` (a chip above the input). */
export const MENTION_KINDS = ['file', 'selection', 'open', 'problems', 'codebase'] as const;
export type MentionKind = (typeof MENTION_KINDS)[number];

/**
 * Something attached to a question: what it is, not its content, which is read when the question is sent (and read
 * again for a regenerate). `uri` names the file (file, selection, problems of one file); lines are 1-based.
 */
export interface Attachment {
  readonly id: string;
  readonly kind: MentionKind;
  readonly label: string;
  readonly uri?: string;
  readonly startLine?: number;
  readonly endLine?: number;
}

/** Lines of a file an answer was given with: listed under the answer, each opening the file at those lines. */
export interface Reference {
  readonly uri: string;
  /** The workspace-relative path the user reads. */
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
}

export interface TurnUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly estimated: boolean;
}

/** A failure as stored with the turn it ended: already in words, with what the user can do about it. */
export interface TurnError {
  readonly message: string;
  readonly actions: readonly ErrorAction[];
}

/** One turn of a conversation, as stored: a question, or an answer with what is known about how it ended. */
export interface Turn {
  readonly id: string;
  readonly role: TurnRole;
  readonly text: string;
  readonly reasoning?: string;
  readonly quote?: CodeQuote;
  /** A question's attachments (its chips). */
  readonly attachments?: readonly Attachment[];
  /** An answer's sources: the parts of files that were sent with its question. */
  readonly references?: readonly Reference[];
  readonly status: TurnStatus;
  readonly model?: string;
  /** Why this answer differs from what was asked for (a fallback model, history left out). */
  readonly note?: string;
  readonly usage?: TurnUsage;
  readonly error?: TurnError;
}
