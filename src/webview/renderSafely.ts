import { renderMarkdown } from './markdown';

/**
 * Rendering one turn must never throw past it: on any error the turn is shown as its plain text (textContent, so
 * nothing in it is markup) and the error goes to the console; the panel goes on with the next message.
 */
export function showAsText(container: HTMLElement, text: string, error: unknown): void {
  console.error('IO Intelligence: this answer could not be rendered; it is shown as plain text.', error);
  container.classList.add('md-fallback');
  container.textContent = text;
}

/** Replaces the container's content with the rendered markdown, or with the plain text if rendering fails. */
export function renderInto(container: HTMLElement, markdown: string): void {
  try {
    container.replaceChildren(renderMarkdown(markdown));
  } catch (error) {
    showAsText(container, markdown, error);
  }
}
