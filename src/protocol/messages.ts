/**
 * The one message protocol between the extension host and the chat webview, shared by both sides.
 * Every message is validated on receipt (see validate.ts); anything that does not match is dropped and logged.
 */
import { ERROR_ACTION_LABELS, type ErrorAction, type Turn } from '../core/domain';

export type { CodeQuote, ErrorAction, Turn, TurnStatus } from '../core/domain';
export { ERROR_ACTIONS } from '../core/domain';

/** A button on an error card: what it does and what it says, so that the webview needs no table of its own. */
export interface ActionView {
  readonly id: ErrorAction;
  readonly label: string;
}

export interface ErrorView {
  readonly message: string;
  readonly actions: readonly ActionView[];
}

/** A turn as the webview receives it: the stored turn, its error ready to render. */
export interface TurnView extends Omit<Turn, 'error'> {
  readonly error?: ErrorView;
}

export function toTurnView(turn: Turn): TurnView {
  const { error, ...rest } = turn;
  if (!error) return rest;
  return { ...rest, error: { message: error.message, actions: error.actions.map((id) => ({ id, label: ERROR_ACTION_LABELS[id] })) } };
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
  /** The server is the local demo of `npm start` (its `/models` carries the demo marker): the view says so. */
  readonly demo: boolean;
  readonly showReasoning: boolean;
  readonly busy: boolean;
}

export type HostMessage =
  | { readonly type: 'state'; readonly state: ChatState }
  | { readonly type: 'turnAdded'; readonly turn: TurnView }
  | { readonly type: 'delta'; readonly turnId: string; readonly content: string; readonly reasoning: string }
  | { readonly type: 'turnEnded'; readonly turn: TurnView }
  | { readonly type: 'notice'; readonly text: string }
  | { readonly type: 'history'; readonly history: readonly HistoryItem[] };

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
  | { readonly type: 'selectModel' }
  | { readonly type: 'copyAnswer'; readonly turnId: string }
  | { readonly type: 'regenerate'; readonly turnId: string }
  | { readonly type: 'editTurn'; readonly turnId: string; readonly text: string }
  | { readonly type: 'renameConversation'; readonly id: string }
  | { readonly type: 'deleteConversation'; readonly id: string }
  | { readonly type: 'exportConversation'; readonly id: string };

