export interface TextSegment {
  readonly kind: 'content' | 'reasoning';
  readonly text: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * Separates `<think>…</think>` reasoning from answer text in a streamed content channel.
 * A tag may be split across chunks, so a tail that could still become a tag is held back until the next push.
 */
export class ReasoningSplitter {
  private inThink = false;
  private held = '';
  private trimNextContent = false;

  push(text: string): TextSegment[] {
    const out: TextSegment[] = [];
    let rest = this.held + text;
    this.held = '';
    for (;;) {
      const tag = this.inThink ? CLOSE : OPEN;
      const at = rest.indexOf(tag);
      if (at < 0) {
        const keep = partialTagLength(rest, tag);
        this.emit(out, rest.slice(0, rest.length - keep));
        this.held = rest.slice(rest.length - keep);
        return out;
      }
      this.emit(out, rest.slice(0, at));
      rest = rest.slice(at + tag.length);
      this.inThink = !this.inThink;
      // Models put a blank line after </think>; it belongs to neither channel.
      this.trimNextContent = !this.inThink;
    }
  }

  /** Ends the stream: whatever was held back is plain text of the current channel. */
  flush(): TextSegment[] {
    const out: TextSegment[] = [];
    this.emit(out, this.held);
    this.held = '';
    return out;
  }

  private emit(out: TextSegment[], text: string): void {
    const kind = this.inThink ? 'reasoning' : 'content';
    let piece = text;
    if (kind === 'content' && this.trimNextContent) {
      piece = piece.replace(/^\s+/, '');
      if (piece) this.trimNextContent = false;
    }
    if (!piece) return;
    const last = out[out.length - 1];
    if (last && last.kind === kind) out[out.length - 1] = { kind, text: last.text + piece };
    else out.push({ kind, text: piece });
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialTagLength(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}
