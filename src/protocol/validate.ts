import { ERROR_ACTIONS, MENTION_KINDS, type ErrorAction, type HostMessage, type MentionKind, type WebviewMessage } from './messages';

/** Guards for messages crossing the webview boundary; both sides validate what they receive. */

type Fields = Record<string, unknown>;
const MAX_TEXT = 1_000_000;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown, max = MAX_TEXT): value is string {
  return typeof value === 'string' && value.length <= max;
}

function isAction(value: unknown): value is ErrorAction {
  return ERROR_ACTIONS.includes(value as ErrorAction);
}

function isMentionKind(value: unknown): value is MentionKind {
  return MENTION_KINDS.includes(value as MentionKind);
}

function isTextList(value: unknown, maxItems: number, maxText: number): boolean {
  return Array.isArray(value) && value.length <= maxItems && value.every((item) => isText(item, maxText));
}

const WEBVIEW_SHAPES: Record<WebviewMessage['type'], (m: Fields) => boolean> = {
  ready: () => true,
  send: (m) => isText(m.text, 200_000) && m.text.trim().length > 0,
  stop: () => true,
  newChat: () => true,
  openConversation: (m) => isText(m.id, 100),
  copyCode: (m) => isText(m.code),
  insertCode: (m) => isText(m.code),
  applyCode: (m) => isText(m.code),
  openLink: (m) => isText(m.href, 4_000),
  revealQuote: (m) => isText(m.turnId, 100),
  runAction: (m) => isAction(m.action) && isText(m.turnId, 100),
  selectModel: () => true,
  copyAnswer: (m) => isText(m.turnId, 100),
  regenerate: (m) => isText(m.turnId, 100),
  renameConversation: (m) => isText(m.id, 100),
  deleteConversation: (m) => isText(m.id, 100),
  exportConversation: (m) => isText(m.id, 100),
  editTurn: (m) => isText(m.turnId, 100) && isText(m.text, 200_000) && m.text.trim().length > 0,
  mentionQuery: (m) => isText(m.query, 500),
  attach: (m) => isMentionKind(m.kind) && (m.uri === undefined || isText(m.uri, 4_000)),
  detach: (m) => isText(m.id, 100),
  dropFiles: (m) => isTextList(m.uris, 100, 4_000),
  openReference: (m) => isText(m.turnId, 100) && Number.isInteger(m.index) && (m.index as number) >= 0,
};

export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  const check = WEBVIEW_SHAPES[value.type as WebviewMessage['type']];
  return check && Object.hasOwn(WEBVIEW_SHAPES, value.type) && check(value) ? (value as unknown as WebviewMessage) : undefined;
}

const HOST_SHAPES: Record<HostMessage['type'], (m: Fields) => boolean> = {
  state: (m) => isRecord(m.state) && Array.isArray(m.state.turns) && Array.isArray(m.state.history) && Array.isArray(m.state.attachments),
  turnAdded: (m) => isRecord(m.turn) && isText(m.turn.id),
  delta: (m) => isText(m.turnId) && isText(m.content) && isText(m.reasoning),
  turnEnded: (m) => isRecord(m.turn) && isText(m.turn.id),
  notice: (m) => isText(m.text),
  history: (m) => Array.isArray(m.history),
  attachments: (m) => Array.isArray(m.attachments),
  mentionOptions: (m) => isText(m.query) && Array.isArray(m.options),
};

export function parseHostMessage(value: unknown): HostMessage | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  const check = HOST_SHAPES[value.type as HostMessage['type']];
  return check && Object.hasOwn(HOST_SHAPES, value.type) && check(value) ? (value as unknown as HostMessage) : undefined;
}

/** Links from model output open only when they are http(s). */
export function isOpenableLink(href: string): boolean {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
