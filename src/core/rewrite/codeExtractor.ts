/**
 * Pulls the code out of a streamed rewrite answer. Models are asked for code only, but often wrap it in a fence,
 * sometimes after a line of chatter ("Here is the refactored code:"), and sometimes add notes after the fence.
 * Only the code reaches the editor: the opening fence and anything before it, the closing fence and anything after.
 *
 * Decision rule: if a fence line starts within the first few lines, the answer is fenced; otherwise it is taken as
 * bare code. Text is released line by line, so a closing fence is never written into the document.
 */
const FENCE = /^\s*(`{3,}|~{3,})[\w+#.-]*\s*$/;
const LINES_BEFORE_FENCE = 3;
const CHARS_BEFORE_FENCE = 400;

type Mode = 'deciding' | 'fenced' | 'bare' | 'closed';

export class CodeExtractor {
  private mode: Mode = 'deciding';
  private pending = '';
  private fence = '';
  private decidingLines: string[] = [];
  private out = '';

  /** Feeds answer text; returns the code released so far (the whole of it, not only the new part). */
  push(text: string): string {
    if (this.closed()) return this.out;
    this.pending += text;
    let newline = this.pending.indexOf('\n');
    while (newline >= 0 && !this.closed()) {
      this.takeLine(this.pending.slice(0, newline + 1));
      this.pending = this.pending.slice(newline + 1);
      newline = this.pending.indexOf('\n');
    }
    if (this.mode === 'deciding' && this.decidingLines.join('').length + this.pending.length > CHARS_BEFORE_FENCE) this.becomeBare();
    return this.out;
  }

  /** The stream ended: a last line without newline is code too (unless it is the closing fence). */
  finish(): string {
    if (this.mode !== 'closed' && this.pending) {
      const last = this.pending;
      this.pending = '';
      this.takeLine(last);
    }
    if (this.mode === 'deciding') this.becomeBare();
    return this.out;
  }

  get code(): string {
    return this.out;
  }

  private closed(): boolean {
    return this.mode === 'closed';
  }

  private takeLine(line: string): void {
    const body = line.replace(/\r?\n$/, '');
    switch (this.mode) {
      case 'deciding': {
        const fence = FENCE.exec(body);
        if (fence) {
          this.mode = 'fenced';
          this.fence = fence[1];
          this.decidingLines = [];
          return;
        }
        this.decidingLines.push(line);
        if (this.decidingLines.length >= LINES_BEFORE_FENCE) this.becomeBare();
        return;
      }
      case 'fenced':
        if (isClosingFence(body, this.fence)) {
          this.mode = 'closed';
          return;
        }
        this.out += line;
        return;
      case 'bare':
        this.out += line;
        return;
      case 'closed':
        return;
    }
  }

  private becomeBare(): void {
    this.mode = 'bare';
    this.out += this.decidingLines.join('');
    this.decidingLines = [];
  }
}

function isClosingFence(line: string, opener: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= opener.length && trimmed[0] === opener[0] && /^(`+|~+)$/.test(trimmed);
}
