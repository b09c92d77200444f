import icons from 'virtual:codicons';
import type { ErrorView, TurnView } from '../protocol/messages';
import { chip } from './attachmentChips';
import { renderInto } from './renderSafely';
import { StreamingAnswer } from './streamingAnswer';

/** The DOM of one turn; an assistant turn that is streaming keeps a StreamingAnswer until it ends. */
export class TurnElement {
  readonly element: HTMLElement;
  private answer: StreamingAnswer | undefined;
  private readonly body: HTMLElement;
  private reasoning: HTMLElement | undefined;
  private readonly footer: HTMLElement;
  private header: HTMLElement;

  constructor(readonly turn: TurnView, private readonly showReasoning: boolean) {
    this.element = el('article', `turn ${turn.role}`);
    this.element.dataset.turnId = turn.id;
    this.element.setAttribute('aria-label', turn.role === 'user' ? 'You' : 'IO Intelligence');
    this.header = turnHeader(turn);
    this.element.append(this.header);
    if (turn.role === 'user') this.renderUser(turn);
    this.body = el('div', 'turn-body');
    this.footer = el('div', 'turn-footer');
    this.element.append(this.body, this.footer);
    if (turn.role === 'assistant') {
      if (turn.reasoning) this.appendReasoning(turn.reasoning);
      if (turn.status === 'streaming') {
        this.answer = new StreamingAnswer(this.body);
        this.answer.append(turn.text);
        this.element.classList.add('streaming');
      } else {
        this.end(turn);
      }
    } else {
      this.body.textContent = turn.text;
    }
  }

  appendDelta(content: string, reasoning: string): void {
    if (reasoning) this.appendReasoning(reasoning);
    if (content) this.answer?.append(content);
  }

  end(turn: TurnView): void {
    this.element.classList.remove('streaming');
    if (this.answer) {
      this.answer.finish();
      this.answer = undefined;
    } else {
      renderInto(this.body, turn.text);
    }
    this.element.dataset.status = turn.status;
    const summary = this.reasoning?.parentElement?.querySelector('summary');
    if (summary) summary.textContent = 'Thinking';
    this.footer.replaceChildren(...referenceList(turn), ...footerParts(turn), ...answerActions(turn));
    const header = turnHeader(turn); // the model that answered may be a fallback
    this.header.replaceWith(header);
    this.header = header;
    if (turn.error) this.element.append(errorCard(turn.error));
  }

  private renderUser(turn: TurnView): void {
    if (turn.attachments?.length) {
      const chips = el('div', 'turn-attachments');
      chips.setAttribute('role', 'list');
      chips.setAttribute('aria-label', 'Attached');
      chips.append(...turn.attachments.map((a) => chip(a, false)));
      this.element.append(chips);
    }
    if (!turn.quote) return;
    const q = turn.quote;
    const lines = q.startLine === q.endLine ? `line ${q.startLine}` : `lines ${q.startLine}–${q.endLine}`;
    const quote = el('button', 'quote');
    quote.dataset.action = 'revealQuote';
    quote.title = `Reveal ${q.file} ${lines}`;
    const heading = el('span', 'quote-heading');
    heading.innerHTML = icons['file-code'] ?? '';
    heading.append(` ${q.file} · ${q.language} · ${lines}`);
    const code = el('pre', 'quote-code');
    const codeLines = q.code.replace(/\r?\n$/, '').split(/\r?\n/);
    code.textContent = codeLines.slice(0, QUOTE_PREVIEW_LINES).join('\n');
    quote.append(heading, code);
    const more = codeLines.length - QUOTE_PREVIEW_LINES;
    if (more > 0) {
      code.classList.add('cut');
      quote.append(textEl('span', 'quote-more', `+${more} line${more === 1 ? '' : 's'}`));
    }
    this.element.append(quote);
  }

  private appendReasoning(text: string): void {
    if (!this.showReasoning) return;
    if (!this.reasoning) {
      const details = el('details', 'thinking');
      const summary = el('summary', '');
      summary.textContent = this.answer ? 'Thinking…' : 'Thinking';
      this.reasoning = el('div', 'reasoning-text');
      details.append(summary, this.reasoning);
      this.body.before(details);
    }
    this.reasoning.append(text);
  }
}

/** Lines of quoted code shown in the question; the rest is one click away (the quote reveals it in the editor). */
const QUOTE_PREVIEW_LINES = 6;

const STATUS_TEXT: Record<string, string> = {
  stopped: 'Stopped — the answer above is what arrived.',
  interrupted: 'Interrupted — the answer above is incomplete.',
  cut: 'Cut at the output limit (maxOutputTokens) — the answer is incomplete. Ask “continue” for the rest.',
};

/** Said when nothing had arrived: there is no answer above to call incomplete (an error card says what happened). */
const STATUS_TEXT_EMPTY: Record<string, string | undefined> = {
  stopped: 'Stopped before anything arrived.',
};

function footerParts(turn: TurnView): HTMLElement[] {
  const parts: HTMLElement[] = [];
  const arrived = Boolean(turn.text || turn.reasoning);
  const status = arrived ? STATUS_TEXT[turn.status] : STATUS_TEXT_EMPTY[turn.status];
  if (status) parts.push(textEl('span', `status-badge ${turn.status}`, status));
  if (turn.note) parts.push(textEl('span', 'turn-note', turn.note));
  if (turn.role === 'assistant' && turn.model) {
    const usage = turn.usage ? ` · ${turn.usage.promptTokens.toLocaleString('en')} + ${turn.usage.completionTokens.toLocaleString('en')} tokens${turn.usage.estimated ? ' (estimated)' : ''}` : '';
    parts.push(textEl('span', 'usage', `${turn.model}${usage}`));
  }
  return parts;
}

/** The file ranges the answer was given with, each opening the file at those lines. */
function referenceList(turn: TurnView): HTMLElement[] {
  if (!turn.references?.length) return [];
  const list = el('div', 'references');
  list.setAttribute('role', 'list');
  list.setAttribute('aria-label', 'Sources sent with the question');
  const heading = el('span', 'references-heading');
  heading.innerHTML = icons.references ?? '';
  heading.append(textEl('span', '', `Used ${turn.references.length} source${turn.references.length === 1 ? '' : 's'}`));
  list.append(heading);
  turn.references.forEach((reference, index) => {
    const lines = reference.startLine === reference.endLine ? `${reference.startLine}` : `${reference.startLine}–${reference.endLine}`;
    const button = textEl('button', 'reference', `${reference.path}:${lines}`);
    button.type = 'button';
    button.setAttribute('role', 'listitem');
    button.dataset.action = 'openReference';
    button.dataset.index = String(index);
    button.title = `Open ${reference.path} at line ${reference.startLine}`;
    list.append(button);
  });
  return [list];
}

/** Who speaks: "You", or the model that answered (the name users know it by, without its organisation). */
function turnHeader(turn: TurnView): HTMLElement {
  const header = el('div', 'turn-header');
  const name = turn.role === 'user' ? 'You' : (turn.model?.split('/').pop() ?? 'IO Intelligence');
  header.append(textEl('span', 'speaker', name));
  if (turn.role === 'user') header.append(actionButton('editTurn', 'edit', 'Edit and resend'));
  return header;
}

/** Copy and Regenerate under a finished answer (our buttons, outside the answer's body: see main.ts). */
function answerActions(turn: TurnView): HTMLElement[] {
  if (turn.role !== 'assistant' || turn.status === 'streaming') return [];
  const actions = el('span', 'answer-actions');
  if (turn.text) actions.append(actionButton('copyAnswer', 'copy', 'Copy answer'));
  actions.append(actionButton('regenerate', 'refresh', 'Regenerate'));
  return [actions];
}

function actionButton(action: string, icon: string, label: string): HTMLButtonElement {
  const button = el('button', 'icon-button turn-action');
  button.type = 'button';
  button.dataset.action = action;
  button.title = label;
  button.setAttribute('aria-label', label);
  button.innerHTML = icons[icon] ?? '';
  return button;
}

function errorCard(error: ErrorView): HTMLElement {
  const card = el('div', 'error-card');
  card.setAttribute('role', 'alert');
  const message = el('p', 'error-message');
  message.textContent = error.message;
  card.append(message);
  for (const action of error.actions) {
    const button = textEl('button', 'error-action', action.label);
    button.dataset.action = 'runAction';
    button.dataset.errorAction = action.id;
    card.append(button);
  }
  return card;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

export function textEl<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text: string): HTMLElementTagNameMap[K] {
  const node = el(tag, className);
  node.textContent = text;
  return node;
}
