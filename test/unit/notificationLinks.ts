/**
 * The links VS Code would make of a notification message: the grammar of `parseLinkedText`
 * (src/vs/base/common/linkedText.ts, as shipped in VS Code 1.100, checked in the host's workbench.js), applied after
 * the notification model turns newlines into spaces. A test oracle: what this finds would be a clickable link.
 */
const LABEL = String.raw`\[([^\]]+)\]`;
const TARGET = String.raw`\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)\3)?\)`;

export function notificationLinks(message: string): string[] {
  const shown = message.replace(/\r\n|\n|\r/g, ' ').trim();
  return [...shown.matchAll(new RegExp(LABEL + TARGET, 'gi'))].map((match) => match[2]);
}
