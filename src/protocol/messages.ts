/**
 * The one message protocol between the extension host and the chat webview, shared by both sides.
 * Every message is validated on receipt (see validate.ts); anything that does not match is dropped and logged.
 */
import type { ErrorAction } from '../core/errors';

export type TurnStatus = 'streaming' | 'done' | 'stopped' | 'interrupted' | 'cut';

/** Code the user asked about, shown above the question and clickable to reveal the range. */
export interface CodeQuote {
  readonly uri: string;
  readonly file: string;
  readonly language: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly code: string;
}

export interface UsageView {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly estimated: boolean;
}

export interface ErrorView {
  readonly message: string;
  readonly actions: readonly ErrorAction[];
}

export interface TurnView {
  readonly id: string;
  readonly role: 'user' | 'assistant';
  readonly text: string;
  readonly reasoning?: string;
  readonly quote?: CodeQuote;
  readonly status: TurnStatus;
  readonly model?: string;
  /** Why this answer differs from what was asked for (a fallback model, history left out). */
  readonly note?: string;
  readonly usage?: UsageView;
  readonly error?: ErrorView;
}

export interface HistoryItem {
  readonly id: string;
  readonly title: string;
  readonly updatedAt: number;
}

export interface ChatState {
  readonly conversationId: string;
  readonly turns: readonly TurnView[];
  readonly history: readonly HistoryItem[];
  readonly model: string;
  readonly hasKey: boolean;
  readonly showReasoning: boolean;
  readonly busy: boolean;
}

export type HostMessage =
  | { readonly type: 'state'; readonly state: ChatState }
  | { readonly type: 'turnAdded'; readonly turn: TurnView }
  | { readonly type: 'delta'; readonly turnId: string; readonly content: string; readonly reasoning: string }
  | { readonly type: 'turnEnded'; readonly turn: TurnView }
  | { readonly type: 'notice'; readonly text: string };

export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'send'; readonly text: string }
  | { readonly type: 'stop' }
  | { readonly type: 'newChat' }
  | { readonly type: 'openConversation'; readonly id: string }
  | { readonly type: 'copyCode'; readonly code: string }
  | { readonly type: 'insertCode'; readonly code: string }
  | { readonly type: 'applyCode'; readonly code: string }
  | { readonly type: 'openLink'; readonly href: string }
  | { readonly type: 'revealQuote'; readonly turnId: string }
  | { readonly type: 'runAction'; readonly action: ErrorAction; readonly turnId: string }
  | { readonly type: 'selectModel' };

export const ERROR_ACTIONS: readonly ErrorAction[] = ['setApiKey', 'selectModel', 'retry', 'switchModel', 'openSettings'];
