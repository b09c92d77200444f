/** Characters per token in the test server's counts: a rough figure, enough to see a client's limits take effect. */
export const SERVER_CHARS_PER_TOKEN = 4;

/** How many tokens the test server says a text is (its usage figures and its context checks). */
export function serverTokens(text: string): number {
  return Math.ceil(text.length / SERVER_CHARS_PER_TOKEN);
}
