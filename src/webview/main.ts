import icons from 'virtual:codicons';
import type { ChatState, ErrorAction, HostMessage, TurnView } from '../protocol/messages';
import { parseHostMessage } from '../protocol/validate';
import './styles.css';
import { toolbarCommand } from './codeBlock';
import { el, TurnElement, textEl } from './turnView';
import { send } from './vscodeApi';

/** The chat view: renders host state and streamed turns, turns clicks and keys into protocol messages. */

const app = document.getElementById('app')!;
const header = el('header', 'toolbar');
const modelButton = iconButton('sparkle', 'model-button', 'Select model');
const historyButton = iconButton('history', 'history-button', 'Conversation history');
const historyList = el('nav', 'history-list');
historyList.hidden = true;
historyList.setAttribute('aria-label', 'Conversations');
/** Shown only when the host says the server is the demo endpoint (its own marker, never its address). */
const demoBadge = el('span', 'demo-badge');
demoBadge.innerHTML = icons.beaker ?? '';
demoBadge.append(textEl('span', '', 'Demo'));
demoBadge.title = 'Demo endpoint: answers come from the local demo server of npm start, not from IO Intelligence.';
demoBadge.setAttribute('role', 'note');
demoBadge.setAttribute('aria-label', demoBadge.title);
demoBadge.hidden = true;
header.append(modelButton, demoBadge, historyButton);

const welcome = el('section', 'welcome');
const transcript = el('main', 'transcript');
transcript.setAttribute('aria-label', 'Conversation');
const announcer = el('div', 'visually-hidden');
announcer.setAttribute('aria-live', 'polite');
/** Visible progress text (retry countdowns, model fallbacks), also read by screen readers. */
const noticeLine = el('div', 'notice');
noticeLine.setAttribute('role', 'status');
noticeLine.hidden = true;

const composer = el('form', 'composer');
const input = el('textarea', 'prompt');
input.rows = 3;
input.placeholder = 'Ask about your code… (Enter to send, Shift+Enter for a new line)';
input.setAttribute('aria-label', 'Message');
const sendButton = iconButton('send', 'send', 'Send');
const stopButton = iconButton('debug-stop', 'stop', 'Stop generating');
stopButton.hidden = true;
composer.append(input, sendButton, stopButton);
app.append(header, historyList, welcome, transcript, noticeLine, announcer, composer);

let state: ChatState | undefined;
const turns = new Map<string, TurnElement>();
/** Older turns leave the DOM so that a long conversation costs a bounded number of nodes; a button brings them back. */
const MAX_RENDERED_TURNS = 40;
let showAllTurns = false;
const earlierButton = el('button', 'earlier-turns');
earlierButton.type = 'button';
earlierButton.addEventListener('click', () => {
  showAllTurns = true;
  if (state) renderState(state);
});

function iconButton(icon: string, className: string, label: string): HTMLButtonElement {
  const button = el('button', `icon-button ${className}`);
  button.type = 'button';
  button.title = label;
  button.setAttribute('aria-label', label);
  button.innerHTML = icons[icon] ?? '';
  return button;
}

function renderState(next: ChatState): void {
  if (next.conversationId !== state?.conversationId) showAllTurns = false;
  state = next;
  modelButton.replaceChildren();
  modelButton.innerHTML = icons.sparkle ?? '';
  modelButton.append(textEl('span', 'model-name', next.model));
  demoBadge.hidden = !next.demo;
  renderWelcome(next.hasKey, next.demo);
  composer.hidden = !next.hasKey;
  transcript.replaceChildren(scrollAnchor);
  turns.clear();
  const hidden = showAllTurns ? 0 : Math.max(0, next.turns.length - MAX_RENDERED_TURNS);
  next.turns.slice(hidden).forEach(addTurn);
  updateEarlierButton(hidden);
  renderHistory(next);
  setBusy(next.busy);
  scrollToEnd();
}

const welcomeDemoNote = textEl('p', 'demo-note', 'This is the demo endpoint of npm start: any key works here, for example “demo”.');

function renderWelcome(hasKey: boolean, demo: boolean): void {
  welcome.hidden = hasKey;
  welcomeDemoNote.hidden = !demo;
  if (hasKey || welcome.childElementCount) return;
  const button = textEl('button', 'primary', 'Set API Key');
  button.dataset.action = 'setApiKey';
  welcome.append(
    textEl('h2', '', 'Welcome to IO Intelligence'),
    textEl('p', '', 'Explain, chat about and rewrite code with open models such as Qwen2.5-Coder, DeepSeek-R1 and Llama 3.3.'),
    textEl('p', '', 'Set your IO Intelligence API key to start. It is kept in VS Code’s secret storage.'),
    welcomeDemoNote,
    button,
  );
}

function renderHistory(next: ChatState): void {
  historyList.replaceChildren(
    ...next.history.map((item) => {
      const entry = textEl('button', item.id === next.conversationId ? 'history-item current' : 'history-item', item.title);
      entry.dataset.conversationId = item.id;
      entry.title = new Date(item.updatedAt).toLocaleString();
      return entry;
    }),
  );
  if (!next.history.length) historyList.append(textEl('p', 'history-empty', 'No earlier conversations.'));
}

function addTurn(turn: TurnView): void {
  const element = new TurnElement(turn, state?.showReasoning ?? true);
  turns.set(turn.id, element);
  transcript.insertBefore(element.element, scrollAnchor);
  if (!showAllTurns && turns.size > MAX_RENDERED_TURNS) collapseOldest();
}

let hiddenCount = 0;

function collapseOldest(): void {
  const [oldestId, oldest] = turns.entries().next().value as [string, TurnElement];
  oldest.element.remove();
  turns.delete(oldestId);
  updateEarlierButton(hiddenCount + 1);
}

function updateEarlierButton(hidden: number): void {
  hiddenCount = hidden;
  earlierButton.textContent = `Show ${hidden} earlier message${hidden === 1 ? '' : 's'}`;
  if (hidden > 0) transcript.prepend(earlierButton);
  else earlierButton.remove();
}

function setBusy(busy: boolean): void {
  stopButton.hidden = !busy;
  sendButton.hidden = busy;
}

/**
 * Following a streaming answer is left to the browser's scroll anchoring: the anchor below the last turn is the
 * only element that may anchor, so while the user is at the bottom the view stays there as the answer grows, and
 * once they scroll up it stays where they are. No layout is read per chunk (that was the costliest part of
 * streaming, per `npm run bench`).
 */
const scrollAnchor = el('div', 'scroll-anchor');
transcript.append(scrollAnchor);

function scrollToEnd(): void {
  scrollAnchor.scrollIntoView({ block: 'end' });
}

function onHostMessage(message: HostMessage): void {
  switch (message.type) {
    case 'state':
      return renderState(message.state);
    case 'turnAdded':
      if (state) state = { ...state, turns: [...state.turns, message.turn] };
      if (message.turn.role === 'assistant') {
        setBusy(true);
        announcer.textContent = 'IO Intelligence is answering…';
      }
      addTurn(message.turn);
      return scrollToEnd();
    case 'delta':
      turns.get(message.turnId)?.appendDelta(message.content, message.reasoning);
      return;
    case 'turnEnded':
      if (state) state = { ...state, turns: state.turns.map((t) => (t.id === message.turn.id ? message.turn : t)) };
      // The composer comes back even if ending this turn failed (TurnElement already contains rendering errors).
      try {
        turns.get(message.turn.id)?.end(message.turn);
      } finally {
        setBusy(false);
      }
      announcer.textContent = message.turn.error ? `Error: ${message.turn.error.message}` : `Answer ${message.turn.status === 'done' ? 'complete' : message.turn.status}.`;
      return;
    case 'notice':
      noticeLine.textContent = message.text;
      noticeLine.hidden = !message.text;
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (message) onHostMessage(message);
});

function submit(): void {
  const text = input.value.trim();
  if (!text || state?.busy === true || !stopButton.hidden) return;
  input.value = '';
  send({ type: 'send', text });
}

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  submit();
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  }
});
sendButton.addEventListener('click', submit);
stopButton.addEventListener('click', () => send({ type: 'stop' }));
modelButton.addEventListener('click', () => send({ type: 'selectModel' }));
historyButton.addEventListener('click', () => {
  historyList.hidden = !historyList.hidden;
  historyButton.setAttribute('aria-expanded', String(!historyList.hidden));
});
historyList.addEventListener('click', (event) => {
  const item = (event.target as HTMLElement).closest<HTMLElement>('[data-conversation-id]');
  if (!item?.dataset.conversationId) return;
  historyList.hidden = true;
  send({ type: 'openConversation', id: item.dataset.conversationId });
});

/** One delegated click handler for everything inside answers: code actions, links, quotes, error actions. */
document.addEventListener('click', (event) => {
  const target = event.target as HTMLElement;
  const link = target.closest<HTMLAnchorElement>('a[data-href], a[href]');
  if (link) {
    event.preventDefault();
    if (link.dataset.href) send({ type: 'openLink', href: link.dataset.href });
    return;
  }
  // Code actions only from toolbar buttons our code created (codeBlock.ts), with the code recorded for them.
  const tool = toolbarCommand(target);
  if (tool) return send({ type: `${tool.action}Code`, code: tool.code });
  // Everything else with a data-action is ours too: an answer's body (model text) is never a source of actions.
  const button = target.closest<HTMLElement>('[data-action]');
  if (!button || button.closest('.turn-body')) return;
  const turnId = button.closest<HTMLElement>('[data-turn-id]')?.dataset.turnId ?? '';
  switch (button.dataset.action) {
    case 'revealQuote':
      return send({ type: 'revealQuote', turnId });
    case 'setApiKey':
      return send({ type: 'runAction', action: 'setApiKey', turnId });
    case 'runAction':
      return send({ type: 'runAction', action: button.dataset.errorAction as ErrorAction, turnId });
  }
});

send({ type: 'ready' });
