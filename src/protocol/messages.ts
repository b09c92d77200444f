/**
 * The one message protocol between the extension host and the chat webview, shared by both sides.
 * Every message is validated on receipt (see validate.ts); anything that does not match is dropped and logged.
 */
import { ERROR_ACTION_LABELS, type Attachment, type ErrorAction, type MentionKind, type Turn } from '../core/domain';

export type { Attachment, CodeQuote, ErrorAction, MentionKind, Reference, Turn, TurnStatus } from '../core/domain';
export { ERROR_ACTIONS, MENTION_KINDS } from '../core/domain';

/** One line of the `@` list in the chat input: what picking it attaches. */
export interface MentionOption {
  readonly kind: MentionKind;
  readonly label: string;
  readonly description: string;
  /** The file it names (a file, or the one file whose problems are meant). */
  readonly uri?: string;
}

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
  /** What the next question carries (the chips above the input). */
  readonly attachments: readonly Attachment[];
}

export type HostMessage =
  | { readonly type: 'state'; readonly state: ChatState }
  | { readonly type: 'turnAdded'; readonly turn: TurnView }
  | { readonly type: 'delta'; readonly turnId: string; readonly content: string; readonly reasoning: string }
  | { readonly type: 'turnEnded'; readonly turn: TurnView }
  | { readonly type: 'notice'; readonly text: string }
  | { readonly type: 'history'; readonly history: readonly HistoryItem[] }
  | { readonly type: 'attachments'; readonly attachments: readonly Attachment[] }
  /** The answer to a `mentionQuery`: the webview shows it only while the input still has that query. */
  | { readonly type: 'mentionOptions'; readonly query: string; readonly options: readonly MentionOption[] };

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
  | { readonly type: 'exportConversation'; readonly id: string }
  /** The user typed `@query` in the input: what could it attach? */
  | { readonly type: 'mentionQuery'; readonly query: string }
  /** Attach what an option named; the host checks it again (a file must be in the workspace and not excluded). */
  | { readonly type: 'attach'; readonly kind: MentionKind; readonly uri?: string }
  | { readonly type: 'detach'; readonly id: string }
  /** Files dropped on the panel (a `text/uri-list`). */
  | { readonly type: 'dropFiles'; readonly uris: readonly string[] }
  /** Open the `index`-th reference of an answer at its lines. */
  | { readonly type: 'openReference'; readonly turnId: string; readonly index: number };

