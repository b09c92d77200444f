/**
 * Text that a server, a model or a workspace controls, made inert for VS Code notifications.
 *
 * VS Code turns a notification message into links with `parseLinkedText` (src/vs/base/common/linkedText.ts) and
 * opens a clicked link with commands allowed. Its only link syntax is `[label](target)` or
 * `[label](target "title")`, where the target starts with `http://`, `https://`, `command:` or `file:` (any case);
 * newlines become spaces first. Every such link holds `](` side by side, and nothing else in a notification turns
 * into a link or a command: bare URLs, `<…>` autolinks, reference links and `$(icon)` stay text. (Modal messages
 * are shown with `innerText` and make no links at all.)
 *
 * So a word joiner (U+2060: invisible, no line break) goes between every `]` and the `(` after it, and at either
 * end of the value where the text around it could complete the pair. The message reads as before; none of it can
 * become a link, wherever the value is placed in text that has no `](` of its own.
 */
const WORD_JOINER = '\u2060';

export function inertText(value: string): string {
  let text = value.replace(/\](?=\()/g, `]${WORD_JOINER}`);
  if (text.startsWith('(')) text = WORD_JOINER + text;
  if (text.endsWith(']')) text += WORD_JOINER;
  return text;
}
