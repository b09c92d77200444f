import { codeBlock, setBlockCode } from './codeBlock';
import { codeLines, fenceLanguage } from './markdown';

/** An opening fence at the start of a line, as marked reads one: backticks (none in the info string) or tildes. */
const OPENING_FENCE = /^(`{3,}(?=[^`]*$)|~{3,})/;
/**
 * Lines of an open block are shown in groups of this many, each its own block box: the browser then lays out only
 * the last group as text arrives, not the whole block (one inline formatting context re-laid out per frame made
 * streaming a long block quadratic).
 */
const LINES_PER_GROUP = 32;
/** A line that may still become a closing fence when more of it arrives: held back until its end. */
const FENCE_PREFIX = /^ {0,3}(?:`*|~*) *$/;

/**
 * A fenced code block at the end of a streaming answer, still open. What arrives is appended as text nodes: the
 * block is never re-rendered from its start, so streaming a long block costs the same as showing it once. Text is
 * shown through text nodes only (inert by construction). When the closing fence arrives, the caller replaces this
 * block with the finished block rendered like any other (same DOM as a one-shot render, highlighted when idle).
 */
export class OpenCodeBlock {
  /** The block in the transcript, wrapped like every committed block. */
  readonly element: HTMLElement;
  private readonly codeBlock: HTMLElement;
  private readonly codeElement: HTMLElement;
  private readonly closingFence: RegExp;
  /** The block's markdown so far: opening line, the finished lines of code, and the closing line once it came. */
  private source: string;
  private code = '';
  /** The line being received, and how much of it is shown. */
  private line = '';
  private shown = 0;
  private group: HTMLElement | undefined;
  private linesInGroup = 0;

  private constructor(openingLine: string, fence: string) {
    this.source = `${openingLine}\n`;
    const char = fence[0] === '`' ? '`' : '~';
    this.closingFence = new RegExp(`^ {0,3}${char}{${fence.length},} *$`);
    this.codeBlock = codeBlock('', fenceLanguage(openingLine), () => undefined);
    this.codeElement = this.codeBlock.querySelector('code') as HTMLElement;
    // Copy takes what is shown; Insert and Apply wait for the whole block (half a function must not enter a file).
    for (const button of Array.from(this.codeBlock.querySelectorAll<HTMLButtonElement>('button[data-action="insert"], button[data-action="apply"]'))) {
      button.disabled = true;
      button.title = `${button.title} (when the block is complete)`;
    }
    this.element = document.createElement('div');
    this.element.className = 'md-block';
    this.element.append(this.codeBlock);
  }

  /**
   * A block for `tail` (the last block of the answer so far, line ends normalized) if it is a fenced code block at
   * the start of a line whose opening line is complete and whose closing fence has not arrived.
   */
  static start(tail: string): OpenCodeBlock | undefined {
    const lineEnd = tail.indexOf('\n');
    if (lineEnd < 0) return undefined;
    const openingLine = tail.slice(0, lineEnd);
    const fence = OPENING_FENCE.exec(openingLine)?.[1];
    if (!fence) return undefined;
    const block = new OpenCodeBlock(openingLine, fence);
    return block.append(tail.slice(lineEnd + 1)) === undefined ? block : undefined;
  }

  /** The block's markdown so far (with its closing fence once closed). */
  get markdown(): string {
    return this.source + this.line;
  }

  /** Adds streamed text. Once the closing fence arrives, returns the text after it (the block then takes no more). */
  append(text: string): string | undefined {
    let at = 0;
    for (let lineEnd = text.indexOf('\n'); lineEnd >= 0; lineEnd = text.indexOf('\n', at)) {
      this.line += text.slice(at, lineEnd);
      at = lineEnd + 1;
      if (this.closingFence.test(this.line)) {
        this.source += `${this.line}\n`;
        this.line = '';
        return text.slice(at);
      }
      this.show(`${this.line.slice(this.shown)}\n`);
      this.source += `${this.line}\n`;
      this.line = '';
      this.shown = 0;
    }
    this.line += text.slice(at);
    if (!FENCE_PREFIX.test(this.line)) {
      this.show(this.line.slice(this.shown));
      this.shown = this.line.length;
    }
    return undefined;
  }

  private show(text: string): void {
    if (!text) return;
    if (!this.group || this.linesInGroup >= LINES_PER_GROUP) {
      this.group = codeLines();
      this.codeElement.append(this.group);
      this.linesInGroup = 0;
    }
    this.group.append(text);
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.linesInGroup++;
    this.code += text;
    setBlockCode(this.codeBlock, this.code);
  }
}
