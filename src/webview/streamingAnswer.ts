import { splitFinishedBlocks } from './finishedBlocks';
import { renderDraft, renderMarkdown } from './markdown';
import { showAsText } from './renderSafely';

/**
 * One answer being streamed into the DOM. Finished blocks are rendered once and appended; only the open tail is
 * re-rendered, at most once per animation frame, so the total cost stays linear in the answer's length.
 * If rendering fails at any point, the whole answer is shown as plain text from then on: one bad answer never stops
 * the stream, the end of the turn, or the panel.
 */
export class StreamingAnswer {
  private tail = '';
  /** Everything that arrived, for the plain-text fallback. */
  private source = '';
  private failed = false;
  private readonly tailElement: HTMLElement;
  private frame: number | undefined;
  private lastRender = -Infinity;

  constructor(private readonly container: HTMLElement) {
    this.tailElement = document.createElement('div');
    this.tailElement.className = 'md-tail';
    container.append(this.tailElement);
  }

  /** Leading-edge throttle: text shows at once when nothing was drawn this frame, else with the next frame. */
  append(text: string): void {
    this.source += text;
    if (this.failed) {
      this.container.append(text);
      return;
    }
    this.tail += text;
    if (this.frame !== undefined) return;
    if (performance.now() - this.lastRender >= 16) this.guard(() => this.render());
    else this.frame = requestAnimationFrame(() => this.guard(() => this.render()));
  }

  /** Renders everything that arrived, highlighted; the answer will not grow any more. */
  finish(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.guard(() => {
      if (this.tail) this.commit(this.tail);
      this.tail = '';
      this.tailElement.remove();
    });
  }

  private guard(work: () => void): void {
    if (this.failed) return;
    try {
      work();
    } catch (error) {
      this.failed = true;
      if (this.frame !== undefined) cancelAnimationFrame(this.frame);
      this.frame = undefined;
      showAsText(this.container, this.source, error);
    }
  }

  private render(): void {
    this.frame = undefined;
    this.lastRender = performance.now();
    const { finished, tail } = splitFinishedBlocks(this.tail);
    if (finished) this.commit(finished);
    this.tail = tail;
    this.tailElement.replaceChildren(renderDraft(tail));
  }

  private commit(markdown: string): void {
    const block = document.createElement('div');
    block.className = 'md-block';
    block.append(renderMarkdown(markdown));
    this.container.insertBefore(block, this.tailElement);
  }
}
