import { splitFinishedBlocks } from './finishedBlocks';
import { renderDraft, renderFinishedBlock, renderWholeCodeBlock } from './markdown';
import { OpenCodeBlock } from './openCodeBlock';
import { showAsText } from './renderSafely';

/**
 * The shortest time between two renders of what arrived (two frames: at 30 renders a second text still reads as
 * flowing, and each render costs a style, layout and paint pass); longer when rendering the open tail costs more.
 */
const MIN_RENDER_GAP_MS = 33;
/** The open tail may take at most 1 / TAIL_SHARE of the time between its renders, however long it grows. */
const TAIL_SHARE = 8;

/**
 * One answer being streamed into the DOM. Finished blocks are rendered once and appended (their code highlighted when
 * the main thread is idle); an open fenced code block grows by text nodes; any other open block (the tail) is
 * re-rendered, at most once a frame and less often as it grows, so that its share of the main thread stays bounded.
 * If rendering fails at any point, the whole answer is shown as plain text from then on: one bad answer never stops
 * the stream, the end of the turn, or the panel.
 */
export class StreamingAnswer {
  /** Markdown that arrived and is not yet in a committed block or in the open code block. */
  private tail = '';
  private openCode: OpenCodeBlock | undefined;
  /** Everything that arrived, for the plain-text fallback. */
  private source = '';
  /** A CR at the end of a chunk: its meaning (CR LF or a lone CR) depends on the next chunk. */
  private heldCarriageReturn = false;
  private failed = false;
  private readonly tailElement: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRender = -Infinity;
  private minimumGap = MIN_RENDER_GAP_MS;

  constructor(private readonly container: HTMLElement) {
    this.tailElement = document.createElement('div');
    this.tailElement.className = 'md-tail';
    container.append(this.tailElement);
  }

  /** Leading-edge throttle: text shows at once when nothing was drawn for a while, else with a later frame. */
  append(text: string): void {
    this.source += text;
    if (this.failed) {
      this.container.append(text);
      return;
    }
    this.tail += this.normalizeLineEnds(text);
    this.schedule();
  }

  /** Renders everything that arrived; the answer will not grow any more. */
  finish(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.heldCarriageReturn) this.tail += '\n';
    this.heldCarriageReturn = false;
    this.guard(() => {
      let rest = this.tail;
      if (this.openCode) rest = this.closeCode(this.openCode, this.openCode.append(rest) ?? '');
      this.commit(rest);
      this.tail = '';
      this.tailElement.remove();
    });
  }

  /** Line ends as marked reads them (CR LF and CR become LF), so that offsets in the tail match its tokens. */
  private normalizeLineEnds(text: string): string {
    let normalized = this.heldCarriageReturn ? `\r${text}` : text;
    this.heldCarriageReturn = normalized.endsWith('\r');
    if (this.heldCarriageReturn) normalized = normalized.slice(0, -1);
    return normalized.replace(/\r\n?/g, '\n');
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const wait = this.minimumGap - (performance.now() - this.lastRender);
    if (wait <= 0) return this.guard(() => this.render());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.guard(() => this.render());
    }, wait);
  }

  private guard(work: () => void): void {
    if (this.failed) return;
    try {
      work();
    } catch (error) {
      this.failed = true;
      clearTimeout(this.timer);
      this.timer = undefined;
      showAsText(this.container, this.source, error);
    }
  }

  private render(): void {
    const started = performance.now();
    this.lastRender = started;
    if (this.openCode) {
      const after = this.openCode.append(this.tail);
      this.tail = '';
      if (after === undefined) return;
      this.tail = this.closeCode(this.openCode, after);
    }
    const { finished, tail } = splitFinishedBlocks(this.tail);
    if (finished) this.commit(finished);
    this.tail = tail;
    this.openCode = OpenCodeBlock.start(tail);
    if (this.openCode) {
      this.minimumGap = MIN_RENDER_GAP_MS; // the open block's cost does not grow with the answer
      this.tail = '';
      this.tailElement.replaceChildren();
      this.container.insertBefore(this.openCode.element, this.tailElement);
      return;
    }
    this.tailElement.replaceChildren(renderDraft(tail));
    // Laying out the new tail is part of its cost (the largest part for a long list or table): done now, it is
    // measured, and the frame that follows has no layout left to do.
    void this.tailElement.offsetHeight;
    this.minimumGap = Math.max(MIN_RENDER_GAP_MS, TAIL_SHARE * (performance.now() - started));
  }

  /**
   * Replaces the open code block with the finished block rendered like any other. Returns the markdown still to
   * render: what followed the closing fence, or, should marked read the block differently, the block itself too.
   */
  private closeCode(open: OpenCodeBlock, after: string): string {
    this.openCode = undefined;
    const finished = renderWholeCodeBlock(open.markdown);
    if (!finished) {
      open.element.remove();
      return open.markdown + after;
    }
    open.element.replaceWith(this.block(finished));
    return after;
  }

  private commit(markdown: string): void {
    if (markdown) this.container.insertBefore(this.block(renderFinishedBlock(markdown)), this.tailElement);
  }

  private block(content: DocumentFragment): HTMLElement {
    const block = document.createElement('div');
    block.className = 'md-block';
    block.append(content);
    return block;
  }
}
