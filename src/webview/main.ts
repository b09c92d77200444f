import icons from 'virtual:codicons';
import type { ChatState, ErrorAction, HostMessage, TurnView } from '../protocol/messages';
import { parseHostMessage } from '../protocol/validate';
import './styles.css';
import { AttachmentChips } from './attachmentChips';
import { toolbarCommand } from './codeBlock';
import { Composer } from './composer';
import { ScrollFollower } from './followScroll';
import { MentionPopup } from './mentionPopup';
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
const historySearch = el('input', 'history-search');
historySearch.type = 'search';
historySearch.placeholder = 'Search conversations';
historySearch.setAttribute('aria-label', 'Search conversations');
const historyEntries = el('div', 'history-entries');
historyList.append(historySearch, historyEntries);
historySearch.addEventListener('input', filterHistory);
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
input.placeholder = 'Ask about your code… (@ to attach files, Enter to send, Shift+Enter for a new line)';
input.setAttribute('aria-label', 'Message');
// Created before the composer's and the form's key handlers, so that the open `@` list sees Enter and Escape first.
const mentions = new MentionPopup(input, send);
const chips = new AttachmentChips(input, send);
const sendButton = iconButton('send', 'send', 'Send');
const stopButton = iconButton('debug-stop', 'stop', 'Stop generating');
stopButton.hidden = true;
composer.append(input, sendButton, stopButton);
const editingNote = textEl('div', 'editing-note', 'Editing an earlier question: Enter resends it, Escape cancels.');
app.append(header, historyList, welcome, transcript, noticeLine, announcer, editingNote, mentions.list, chips.element, chips.announcer, composer);
const composing = new Composer(input, editingNote, () => [...(state?.turns ?? [])].reverse().find((t) => t.role === 'user')?.text);

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
  // An edit is of a question in the conversation shown: another conversation, or the question gone, ends it.
  const edited = composing.editedTurn;
  if (edited && (next.conversationId !== state?.conversationId || !next.turns.some((t) => t.id === edited))) composing.cancelEdit();
  state = next;
  modelButton.replaceChildren();
  modelButton.innerHTML = icons.sparkle ?? '';
  modelButton.append(textEl('span', 'model-name', next.model));
  demoBadge.hidden = !next.demo;
  renderWelcome(next.hasKey, next.demo);
  composer.hidden = !next.hasKey;
  follower.reset();
  transcript.replaceChildren(jumpButton);
  if (next.hasKey && !next.turns.length) transcript.prepend(emptyState());
  turns.clear();
  const hidden = showAllTurns ? 0 : Math.max(0, next.turns.length - MAX_RENDERED_TURNS);
  next.turns.slice(hidden).forEach(addTurn);
  updateEarlierButton(hidden);
  renderHistory(next);
  chips.render(next.attachments);
  setBusy(next.busy);
  follower.jumpToEnd();
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
  historyEntries.replaceChildren(...next.history.map((item) => historyEntry(item, item.id === next.conversationId)));
  if (!next.history.length) historyEntries.append(textEl('p', 'history-empty', 'No earlier conversations.'));
  filterHistory();
}

/** One conversation: open it (title, date), or rename, export, delete it. */
function historyEntry(item: ChatState['history'][number], current: boolean): HTMLElement {
  const entry = el('div', current ? 'history-entry current' : 'history-entry');
  const open = el('button', 'history-item');
  open.type = 'button';
  open.dataset.conversationId = item.id;
  open.title = `${item.title}\n${new Date(item.updatedAt).toLocaleString()}`;
  open.append(textEl('span', 'history-title', item.title), textEl('span', 'history-date', shortDate(item.updatedAt)));
  entry.append(open);
  for (const [action, icon, label] of HISTORY_ACTIONS) {
    const button = iconButton(icon, 'history-action', `${label} “${item.title}”`);
    button.dataset.historyAction = action;
    button.dataset.conversationId = item.id;
    entry.append(button);
  }
  return entry;
}

const HISTORY_ACTIONS = [
  ['renameConversation', 'edit', 'Rename'],
  ['exportConversation', 'export', 'Export to Markdown'],
  ['deleteConversation', 'trash', 'Delete'],
] as const;

/** Today: the time; this year: day and month; before: the date with its year. */
function shortDate(time: number): string {
  const date = new Date(time);
  const now = new Date();
  if (date.toDateString() === now.toDateString()) return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const sameYear = date.getFullYear() === now.getFullYear();
  return date.toLocaleDateString(undefined, sameYear ? { month: 'short', day: 'numeric' } : { year: 'numeric', month: 'short', day: 'numeric' });
}

function filterHistory(): void {
  const query = historySearch.value.trim().toLowerCase();
  for (const entry of historyEntries.querySelectorAll<HTMLElement>('.history-entry')) {
    entry.hidden = Boolean(query) && !(entry.textContent ?? '').toLowerCase().includes(query);
  }
}

function addTurn(turn: TurnView): void {
  transcript.querySelector('.empty-state')?.remove();
  const element = new TurnElement(turn, state?.showReasoning ?? true);
  turns.set(turn.id, element);
  transcript.insertBefore(element.element, jumpButton);
  follower.watch(element.element);
  if (!showAllTurns && turns.size > MAX_RENDERED_TURNS) collapseOldest();
}

let hiddenCount = 0;

function collapseOldest(): void {
  const [oldestId, oldest] = turns.entries().next().value as [string, TurnElement];
  oldest.element.remove();
  follower.unwatch(oldest.element);
  turns.delete(oldestId);
  updateEarlierButton(hiddenCount + 1);
}

function updateEarlierButton(hidden: number): void {
  hiddenCount = hidden;
  earlierButton.textContent = `Show ${hidden} earlier message${hidden === 1 ? '' : 's'}`;
  if (hidden > 0) transcript.prepend(earlierButton);
  else earlierButton.remove();
}

/** The state's busy flag follows too: a state posted while an answer streamed (Retry, Regenerate) must not block Send. */
function setBusy(busy: boolean): void {
  if (state) state = { ...state, busy };
  stopButton.hidden = !busy;
  sendButton.hidden = busy;
}

/** Shown while the user reads further up and the answer goes on below. */
const jumpButton = iconButton('arrow-down', 'jump-to-latest', 'Jump to latest');
jumpButton.append(textEl('span', '', 'Jump to latest'));
transcript.append(jumpButton);
const follower = new ScrollFollower(transcript, jumpButton);

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
      return follower.jumpToEnd();
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
    case 'history':
      if (!state) return;
      state = { ...state, history: message.history };
      return renderHistory(state);
    case 'notice':
      noticeLine.textContent = message.text;
      noticeLine.hidden = !message.text;
      return;
    case 'attachments':
      if (state) state = { ...state, attachments: message.attachments };
      return chips.render(message.attachments);
    case 'mentionOptions':
      return mentions.show(message.query, message.options);
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (message) onHostMessage(message);
});

function submit(): void {
  const text = input.value.trim();
  if (!text || state?.busy === true || !stopButton.hidden) return;
  const edited = composing.editedTurn;
  composing.clear();
  send(edited ? { type: 'editTurn', turnId: edited, text } : { type: 'send', text });
}

/** A new conversation: what to ask, and where the editor commands are. */
function emptyState(): HTMLElement {
  const section = el('section', 'empty-state');
  section.append(textEl('h2', '', 'Ask about your code'));
  const starters = el('div', 'starters');
  for (const text of STARTERS) {
    const button = textEl('button', 'starter', text);
    button.type = 'button';
    button.dataset.action = 'starter';
    starters.append(button);
  }
  const shortcuts = el('ul', 'shortcuts');
  for (const line of SHORTCUTS) shortcuts.append(textEl('li', '', line));
  section.append(starters, shortcuts);
  return section;
}

const STARTERS = ['What does the code in my open file do?', 'How do I write a unit test for a function?', 'Explain async/await with an example.'];
const SHORTCUTS = [
  'Explain Selection: select code, then Ctrl+Alt+E (⌘⌥E), the context menu or the lightbulb.',
  'Rewrite Selection: Ctrl+Alt+R (⌘⌥R); the proposal waits for Accept (Ctrl+Enter) or Reject (Esc).',
  '↑ in the empty input recalls your last question.',
];

/** Feedback on the button itself: its label says what happened for a moment (a second click starts the moment again). */
function flash(button: HTMLElement, label: string): void {
  const shown = flashing.get(button) ?? { html: button.innerHTML, title: button.title, timer: 0 };
  clearTimeout(shown.timer);
  flashing.set(button, shown);
  button.innerHTML = `${icons.check ?? ''}<span>${label}</span>`;
  button.title = label;
  button.classList.add('flashed');
  shown.timer = window.setTimeout(() => {
    flashing.delete(button);
    button.innerHTML = shown.html;
    button.title = shown.title;
    button.classList.remove('flashed');
  }, 1500);
}
const flashing = new WeakMap<HTMLElement, { html: string; title: string; timer: number }>();

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
stopButton.addEventListener('click', () => {
  send({ type: 'stop' });
  input.focus();
});
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape' || historyList.hidden) return;
  historyList.hidden = true;
  historyButton.setAttribute('aria-expanded', 'false');
  historyButton.focus();
});
modelButton.addEventListener('click', () => send({ type: 'selectModel' }));
historyButton.addEventListener('click', () => {
  historyList.hidden = !historyList.hidden;
  historyButton.setAttribute('aria-expanded', String(!historyList.hidden));
  if (!historyList.hidden) historySearch.focus();
});
historyList.addEventListener('click', (event) => {
  const item = (event.target as HTMLElement).closest<HTMLElement>('[data-conversation-id]');
  if (!item?.dataset.conversationId) return;
  const action = item.dataset.historyAction as (typeof HISTORY_ACTIONS)[number][0] | undefined;
  if (action) return send({ type: action, id: item.dataset.conversationId });
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
  if (tool) {
    if (tool.action === 'copy') flash(target.closest('button')!, 'Copied');
    return send({ type: `${tool.action}Code`, code: tool.code });
  }
  // Everything else with a data-action is ours too: an answer's body (model text) is never a source of actions.
  const button = target.closest<HTMLElement>('[data-action]');
  if (!button || button.closest('.turn-body')) return;
  const turnId = button.closest<HTMLElement>('[data-turn-id]')?.dataset.turnId ?? '';
  switch (button.dataset.action) {
    case 'revealQuote':
      return send({ type: 'revealQuote', turnId });
    case 'copyAnswer':
      flash(button, 'Copied');
      return send({ type: 'copyAnswer', turnId });
    case 'regenerate':
      return send({ type: 'regenerate', turnId });
    case 'openReference':
      return send({ type: 'openReference', turnId, index: Number(button.dataset.index) });
    case 'editTurn':
      return composing.edit(turnId, state?.turns.find((t) => t.id === turnId)?.text ?? '');
    case 'starter':
      input.value = button.textContent ?? '';
      return submit();
    case 'setApiKey':
      return send({ type: 'runAction', action: 'setApiKey', turnId });
    case 'runAction':
      return send({ type: 'runAction', action: button.dataset.errorAction as ErrorAction, turnId });
  }
});

/** Files dragged onto the panel (from the explorer or the OS, where VS Code lets a drop reach the webview). */
const URI_LIST_TYPES = ['application/vnd.code.uri-list', 'text/uri-list'];
app.addEventListener('dragover', (event) => {
  if (!event.dataTransfer?.types.some((t) => URI_LIST_TYPES.includes(t))) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = 'copy';
});
app.addEventListener('drop', (event) => {
  const data = event.dataTransfer;
  const text = data && URI_LIST_TYPES.map((t) => data.getData(t)).find(Boolean);
  if (!text) return;
  event.preventDefault();
  const uris = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  if (uris.length) send({ type: 'dropFiles', uris: uris.slice(0, 100) });
});

send({ type: 'ready' });
