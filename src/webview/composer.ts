/** The input grows with its text up to this share of the panel's height, then scrolls. */
const MAX_HEIGHT_SHARE = 0.4;

/**
 * What the chat input does besides sending: it grows with its text, ↑ in an empty input recalls the last question,
 * and it can hold an earlier question being edited (Escape drops the edit).
 */
export class Composer {
  /** The user turn being edited and resent, while its text is in the input. */
  private editing: string | undefined;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly editingNote: HTMLElement,
    private readonly lastQuestion: () => string | undefined,
  ) {
    editingNote.hidden = true;
    input.addEventListener('input', () => this.fit());
    input.addEventListener('keydown', (event) => this.key(event));
  }

  /** The turn an edit is for (undefined: a new question). */
  get editedTurn(): string | undefined {
    return this.editing;
  }

  /** Puts an earlier question into the input to be edited and resent. */
  edit(turnId: string, text: string): void {
    this.editing = turnId;
    this.editingNote.hidden = false;
    this.set(text);
  }

  /** Empties the input after a send (and ends an edit). */
  clear(): void {
    this.cancelEdit();
    this.set('');
  }

  cancelEdit(): boolean {
    if (this.editing === undefined) return false;
    this.editing = undefined;
    this.editingNote.hidden = true;
    return true;
  }

  private set(text: string): void {
    this.input.value = text;
    this.fit();
    this.input.focus();
    this.input.setSelectionRange(text.length, text.length);
  }

  private key(event: KeyboardEvent): void {
    if (event.key === 'ArrowUp' && !this.input.value && !event.isComposing) {
      const last = this.lastQuestion();
      if (last) {
        event.preventDefault();
        this.set(last);
      }
    } else if (event.key === 'Escape' && this.cancelEdit()) {
      event.preventDefault();
      event.stopPropagation();
      this.set('');
    }
  }

  /** Read on typing, not while an answer streams: the input's height follows its text. */
  private fit(): void {
    this.input.style.height = 'auto';
    const max = Math.round(window.innerHeight * MAX_HEIGHT_SHARE);
    this.input.style.height = `${Math.min(this.input.scrollHeight + 2, max)}px`;
  }
}
