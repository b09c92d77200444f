import icons from 'virtual:codicons';
import type { Attachment, WebviewMessage } from '../protocol/messages';
import { MENTION_ICONS } from './mentionPopup';
import { el, textEl } from './turnView';

/** The chips above the input: what the next question carries, each removable (its ✕, or Backspace in an empty input). */
export class AttachmentChips {
  readonly element = el('div', 'attachment-chips');
  /** Says what was attached or removed, for screen readers (the chips themselves change silently). */
  readonly announcer = el('div', '');
  private attachments: readonly Attachment[] = [];

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly send: (message: WebviewMessage) => void,
  ) {
    this.element.setAttribute('aria-label', 'Attached to the next question');
    this.element.setAttribute('role', 'list');
    this.element.hidden = true;
    this.announcer.className = 'visually-hidden';
    this.announcer.setAttribute('aria-live', 'polite');
    this.element.addEventListener('click', (event) => {
      const remove = (event.target as HTMLElement).closest<HTMLElement>('[data-detach]');
      if (!remove?.dataset.detach) return;
      this.send({ type: 'detach', id: remove.dataset.detach });
      this.input.focus();
    });
    input.addEventListener('keydown', (event) => {
      const last = this.attachments.at(-1);
      if (event.key === 'Backspace' && !input.value && last && !event.isComposing) {
        event.preventDefault();
        this.send({ type: 'detach', id: last.id });
      }
    });
  }

  render(attachments: readonly Attachment[]): void {
    const added = attachments.filter((a) => !this.attachments.some((b) => b.id === a.id));
    const removed = this.attachments.filter((a) => !attachments.some((b) => b.id === a.id));
    if (added.length === 1) this.announcer.textContent = `Attached ${added[0].label}`;
    else if (removed.length === 1 && attachments.length) this.announcer.textContent = `Removed ${removed[0].label}`;
    this.attachments = attachments;
    this.element.replaceChildren(...attachments.map((a) => chip(a, true)));
    this.element.hidden = !attachments.length;
  }
}

/** One chip: its kind's icon and label, and (above the input) a button that removes it. */
export function chip(attachment: Attachment, removable: boolean): HTMLElement {
  const element = el('span', `chip chip-${attachment.kind}`);
  element.setAttribute('role', 'listitem');
  element.title = attachment.label;
  const icon = el('span', 'chip-icon');
  icon.innerHTML = icons[MENTION_ICONS[attachment.kind]] ?? '';
  element.append(icon, textEl('span', 'chip-label', attachment.label));
  if (removable) {
    const remove = el('button', 'icon-button chip-remove');
    remove.type = 'button';
    remove.dataset.detach = attachment.id;
    remove.title = `Remove ${attachment.label}`;
    remove.setAttribute('aria-label', `Remove ${attachment.label}`);
    remove.innerHTML = icons.close ?? '';
    element.append(remove);
  }
  return element;
}
