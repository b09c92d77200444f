import icons from 'virtual:codicons';
import type { MentionKind, MentionOption, WebviewMessage } from '../protocol/messages';
import { el, textEl } from './turnView';

/** A query typed after this starts a file search only (what picking `@file` puts in the input). */
const FILE_PREFIX = 'file:';

export const MENTION_ICONS: Readonly<Record<MentionKind, string>> = {
  file: 'file',
  selection: 'list-selection',
  open: 'files',
  problems: 'issues',
  codebase: 'database',
};

/**
 * The `@` list of the chat input, keyboard first as in an editor: typing `@` (at the start or after a space) asks
 * the host what could be attached; ↑/↓ move, Enter or Tab pick, Escape closes. Picking removes the `@…` text and
 * asks the host to attach it; `@file` narrows the list to files.
 */
export class MentionPopup {
  private token: { start: number; query: string } | undefined;
  private options: readonly MentionOption[] = [];
  private selected = 0;
  readonly list = el('div', 'mention-list');

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly send: (message: WebviewMessage) => void,
  ) {
    this.list.id = 'mention-list';
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('aria-label', 'Attach to the question');
    this.list.hidden = true;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', this.list.id);
    input.setAttribute('aria-expanded', 'false');
    input.addEventListener('input', () => this.typed());
    input.addEventListener('keydown', (event) => this.key(event));
    input.addEventListener('blur', () => this.close());
    // A click on an option must not take the focus from the input (its blur would close the list first).
    this.list.addEventListener('mousedown', (event) => event.preventDefault());
    this.list.addEventListener('click', (event) => {
      const option = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
      if (option) this.pick(Number(option.dataset.index));
    });
  }

  get isOpen(): boolean {
    return !this.list.hidden;
  }

  /** The host's options for a query: shown only while the input still has that query. */
  show(query: string, options: readonly MentionOption[]): void {
    if (this.token?.query !== query) return;
    this.options = options;
    this.selected = 0;
    this.render();
  }

  close(): void {
    this.token = undefined;
    this.options = [];
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  private typed(): void {
    const before = this.input.value.slice(0, this.input.selectionStart);
    const match = /(^|\s)@([^\s@]*)$/.exec(before);
    if (!match) return this.close();
    const query = match[2];
    const changed = this.token?.query !== query;
    this.token = { start: before.length - query.length - 1, query };
    // Options of an earlier query are not offered for this one: the list waits for the host's answer.
    if (changed && this.isOpen) {
      this.options = [];
      this.list.replaceChildren(textEl('div', 'mention-empty', 'Searching…'));
      this.input.removeAttribute('aria-activedescendant');
    }
    this.send({ type: 'mentionQuery', query });
  }

  private key(event: KeyboardEvent): void {
    if (!this.isOpen || event.isComposing) return;
    const handled = this.handleKey(event.key);
    if (!handled) return;
    event.preventDefault();
    // The composer's own keys (Enter sends, Escape ends an edit) must not act on the same press.
    event.stopImmediatePropagation();
  }

  private handleKey(key: string): boolean {
    switch (key) {
      case 'ArrowDown':
      case 'ArrowUp':
        this.selected = (this.selected + (key === 'ArrowDown' ? 1 : -1) + this.options.length) % this.options.length;
        this.render();
        return true;
      case 'Enter':
      case 'Tab':
        if (!this.options.length) return false;
        this.pick(this.selected);
        return true;
      case 'Escape':
        this.close();
        return true;
      default:
        return false;
    }
  }

  private pick(index: number): void {
    const option = this.options[index];
    const token = this.token;
    if (!option || !token) return;
    if (option.kind === 'file' && !option.uri) return this.replaceToken(token, `@${FILE_PREFIX}`);
    this.replaceToken(token, '');
    this.send({ type: 'attach', kind: option.kind, uri: option.uri });
  }

  /**
   * Puts `text` where `@query` was typed. The input event that follows asks again for what the caret is after now
   * (the files, after `@file:`) or closes the list, and lets the composer fit its height to the new text.
   */
  private replaceToken(token: { start: number; query: string }, text: string): void {
    const end = token.start + 1 + token.query.length;
    const value = this.input.value;
    const after = text ? value.slice(end) : value.slice(end).replace(/^ /, '');
    this.input.value = value.slice(0, token.start) + text + after;
    const caret = token.start + text.length;
    this.input.setSelectionRange(caret, caret);
    this.input.dispatchEvent(new Event('input'));
  }

  private render(): void {
    if (!this.options.length) {
      this.list.replaceChildren(textEl('div', 'mention-empty', 'Nothing matches.'));
      this.input.removeAttribute('aria-activedescendant');
    } else {
      this.list.replaceChildren(...this.options.map((option, i) => this.optionElement(option, i)));
    }
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    if (this.options.length) this.input.setAttribute('aria-activedescendant', `mention-${this.selected}`);
    this.list.querySelector('.selected')?.scrollIntoView({ block: 'nearest' });
  }

  private optionElement(option: MentionOption, index: number): HTMLElement {
    const item = el('div', index === this.selected ? 'mention-option selected' : 'mention-option');
    item.id = `mention-${index}`;
    item.dataset.index = String(index);
    item.setAttribute('role', 'option');
    item.setAttribute('aria-selected', String(index === this.selected));
    const icon = el('span', 'mention-icon');
    icon.innerHTML = icons[MENTION_ICONS[option.kind]] ?? '';
    item.append(icon, textEl('span', 'mention-label', option.label), textEl('span', 'mention-description', option.description));
    return item;
  }
}
