/** Keys that scroll a focused scroller up: pressing one means the user wants to read, not to follow. */
const UP_KEYS = new Set(['ArrowUp', 'PageUp', 'Home']);
/** Within this many pixels of the end counts as at the end (sub-pixel layout, a line partly drawn). */
const AT_END_PX = 24;
/** A view clamped to the end of content that shrank is at its end to the pixel (sub-pixel scroll offsets aside). */
const CLAMPED_PX = 1;

/**
 * Follows a growing transcript while the user is at its end, and stops as soon as they scroll up; the "jump to
 * latest" button (shown while not following) brings them back. Growth is seen by a ResizeObserver on the turns, which
 * reports after the browser's own layout: following reads no layout of its own per chunk and adds no layout pass.
 */
export class ScrollFollower {
  private following = true;
  private lastTop = 0;
  private readonly resized = new ResizeObserver(() => this.contentChanged());

  constructor(
    private readonly scroller: HTMLElement,
    private readonly jumpButton: HTMLButtonElement,
  ) {
    jumpButton.hidden = true;
    scroller.addEventListener('wheel', (event) => event.deltaY < 0 && this.scrollingUp(), { passive: true });
    scroller.addEventListener('keydown', (event) => UP_KEYS.has(event.key) && this.scrollingUp());
    scroller.addEventListener('scroll', () => this.scrolled(), { passive: true });
    jumpButton.addEventListener('click', () => this.jumpToEnd());
  }

  /** Watches a turn for growth (until `unwatch`, or `reset` when the transcript is rebuilt). */
  watch(element: Element): void {
    this.resized.observe(element);
  }

  /** A turn that left the transcript (older turns are dropped from a long conversation). */
  unwatch(element: Element): void {
    this.resized.unobserve(element);
  }

  /** The transcript was rebuilt: nothing is watched until `watch` is called again. */
  reset(): void {
    this.resized.disconnect();
  }

  /** Goes to the end and follows from there (a new question, another conversation, the button). */
  jumpToEnd(): void {
    this.following = true;
    this.jumpButton.hidden = true;
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.lastTop = this.scroller.scrollTop;
  }

  private contentChanged(): void {
    if (this.following) {
      this.scroller.scrollTop = this.scroller.scrollHeight;
      this.lastTop = this.scroller.scrollTop;
    } else {
      this.jumpButton.hidden = this.atEnd();
    }
  }

  /**
   * Content only grows at the end, and content that shrinks clamps the view exactly to its end: any other move up is
   * the user's, and stops following even within a few pixels of the end (a trackpad moves a few pixels per event).
   * Only a move down into the end (or the button, or a new question) follows again.
   */
  private scrolled(): void {
    const top = this.scroller.scrollTop;
    const up = top < this.lastTop;
    this.lastTop = top;
    if (up && this.distanceToEnd() > CLAMPED_PX) return this.stopFollowing();
    if (!this.following && this.atEnd()) {
      this.following = true;
      this.jumpButton.hidden = true;
    }
  }

  /** Up from the very top moves nothing: following goes on. */
  private scrollingUp(): void {
    if (this.scroller.scrollTop > 0) this.stopFollowing();
  }

  private stopFollowing(): void {
    this.following = false;
    this.jumpButton.hidden = this.atEnd();
  }

  private atEnd(): boolean {
    return this.distanceToEnd() <= AT_END_PX;
  }

  private distanceToEnd(): number {
    const { scrollTop, scrollHeight, clientHeight } = this.scroller;
    return scrollHeight - scrollTop - clientHeight;
  }
}
