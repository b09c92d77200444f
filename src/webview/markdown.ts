import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { Marked, type Tokens, type TokensList } from 'marked';
import { codeBlock } from './codeBlock';
import { MARKDOWN_SYNTAX } from './finishedBlocks';
import { whenIdle } from './idleWork';
import { sanitizeHighlight, sanitizeMarkdown } from './sanitize';

/**
 * Markdown from the model, rendered as inert DOM: raw HTML is shown as text, images become a placeholder (never
 * fetched), links carry their target in a data attribute and open only through the host, and only for http(s).
 * The HTML marked produces goes through the sanitizer (sanitize.ts) before it becomes DOM; code blocks are then
 * built by our code (codeBlock.ts) in the places the renderer marked with this render's nonce.
 */

const LANGUAGES = { bash, cpp, csharp, css, diff, go, java, javascript, json, python, rust, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
/** A Map, not an object: a fence named `constructor` or `__proto__` must not find Object.prototype's members. */
const ALIASES = new Map(Object.entries({ ts: 'typescript', tsx: 'typescript', js: 'javascript', jsx: 'javascript', py: 'python', sh: 'bash', shell: 'bash', zsh: 'bash', html: 'xml', 'c++': 'cpp', c: 'cpp', cs: 'csharp', rs: 'rust', yml: 'yaml', typescriptreact: 'typescript', javascriptreact: 'javascript' }));

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escapes like marked does for text: entities already written (`&lt;`) stay entities. */
function escapeText(text: string): string {
  return text.replace(/&(?!#?\w+;)/g, '&amp;').replace(/[<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function isSafeHref(href: string): boolean {
  return /^https?:\/\//i.test(href.trim());
}

/** The highlight.js name of a fence's language, if highlight.js knows it. */
function knownLanguage(language: string): string | undefined {
  const lower = language.toLowerCase();
  const name = ALIASES.get(lower) ?? lower;
  // highlight.js keeps its languages and aliases in null-prototype objects: any string is a safe key there.
  return name && hljs.getLanguage(name) ? name : undefined;
}

/** highlight.js markup for a known language, else undefined (the caller shows the code as text). */
export function highlight(code: string, language: string): string | undefined {
  const name = knownLanguage(language);
  return name ? hljs.highlight(code, { language: name, ignoreIllegals: true }).value : undefined;
}

/** Highlighted code as inert DOM, or the code as text for an unknown language or if the highlighter's markup is refused. */
function highlightedNodes(code: string, language: string): Node {
  const highlighted = highlight(code, language);
  try {
    if (highlighted !== undefined) return sanitizeHighlight(highlighted);
  } catch (error) {
    console.error('IO Intelligence: highlighted code refused; shown as plain text.', error);
  }
  return document.createTextNode(code);
}

/** Code longer than two slices of this size is shown in slices, each highlighted on its own. */
const SLICE_CHARS = 3_000;

/**
 * Cuts code into slices of about SLICE_CHARS, preferably where a blank line is followed by an unindented line (the
 * start of a top-level declaration), where the highlighter carries no state over (no open comment or string).
 * A construct that does span a cut is highlighted a little wrong in its second slice; the text is always exact.
 */
export function sliceForHighlighting(code: string): string[] {
  const slices: string[] = [];
  let start = 0;
  while (code.length - start > 2 * SLICE_CHARS) {
    const from = start + SLICE_CHARS;
    const blank = /\n\n(?=\S)/g;
    blank.lastIndex = from;
    const found = blank.exec(code);
    const cut = found && found.index < from + SLICE_CHARS ? found.index + 2 : code.indexOf('\n', from) + 1;
    if (cut <= 0) break;
    slices.push(code.slice(start, cut));
    start = cut;
  }
  slices.push(code.slice(start));
  return slices;
}

/**
 * Fills a code element with its code, highlighted now, when the main thread is idle, or not at all. Long code goes
 * into one block box per slice (`span.code-lines`): the browser lays out each on its own, so highlighting one slice
 * (or growing the last one) does not lay out the whole block again. While work is queued the element has the class
 * `highlight-pending`; work for an element no longer shown is dropped.
 */
function fillCode(element: HTMLElement, code: string, language: string, when: Highlighting): void {
  const slices = sliceForHighlighting(code);
  const boxes = slices.length > 1 ? slices.map(() => codeLines()) : [element];
  if (boxes[0] !== element) element.append(...boxes);
  const highlightNow = when === 'now' && knownLanguage(language) !== undefined;
  slices.forEach((slice, i) => boxes[i].append(highlightNow ? highlightedNodes(slice, language) : slice));
  if (when !== 'idle' || !code || !knownLanguage(language)) return;
  element.classList.add('highlight-pending');
  slices.forEach((slice, i) =>
    whenIdle(() => {
      if (!element.isConnected) return;
      boxes[i].replaceChildren(highlightedNodes(slice, language));
      if (i === slices.length - 1) element.classList.remove('highlight-pending');
    }),
  );
}

/** A block box for some lines of a code block. */
export function codeLines(): HTMLElement {
  const box = document.createElement('span');
  box.className = 'code-lines';
  return box;
}

interface CodeSlot {
  readonly code: string;
  readonly language: string;
}

/**
 * The render in progress (marked renders synchronously). The renderer writes an empty `<pre data-code="NONCE:i">`
 * for each fenced block; only placeholders carrying this render's random nonce become code blocks, so markup in an
 * answer cannot make one.
 */
let current: { readonly nonce: string; readonly slots: CodeSlot[] } | undefined;

function codeLanguage(token: Tokens.Code): string {
  return ((token.lang ?? '').match(/^[\w+#.-]+/)?.[0] ?? '').slice(0, 30);
}

function codePlaceholder(token: Tokens.Code): string {
  if (!current) return '';
  current.slots.push({ code: token.text, language: codeLanguage(token) });
  return `<pre data-code="${current.nonce}:${current.slots.length - 1}"></pre>\n`;
}

function createMarked(): Marked {
  return new Marked({
    ...MARKDOWN_SYNTAX,
    renderer: {
      html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
      // After an inline <code>, <kbd>, <pre> or <script> marked passes text through raw ("escaped"); we show HTML as
      // text everywhere, so that text is escaped like any other.
      text: (token: Tokens.Text | Tokens.Escape) => (token.type === 'text' && token.escaped && !token.tokens ? escapeText(token.text) : false),
      code: codePlaceholder,
      checkbox: (token: Tokens.Checkbox) => `<span class="task-check">${token.checked ? '☑' : '☐'}</span> `,
      image: (token: Tokens.Image) => {
        const label = `<span class="image-placeholder" title="Images from answers are not loaded">[image${token.text ? `: ${escapeHtml(token.text)}` : ''}]</span>`;
        return isSafeHref(token.href) ? `${label} <a href="#" data-href="${escapeHtml(token.href)}">${escapeHtml(token.href)}</a>` : label;
      },
      link(token: Tokens.Link) {
        const text = this.parser.parseInline(token.tokens);
        if (!isSafeHref(token.href)) return `<span class="unsafe-link">${text}</span>`;
        return `<a href="#" data-href="${escapeHtml(token.href)}" title="${escapeHtml(token.href)}">${text}</a>`;
      },
    },
  });
}

const renderer = createMarked();

function randomNonce(): string {
  return Array.from(crypto.getRandomValues(new Uint32Array(2)), (n) => n.toString(36)).join('');
}

/** When the code of a rendered block is highlighted: now, when the main thread is idle, or not (a draft). */
type Highlighting = 'now' | 'idle' | 'none';

function render(markdown: string | TokensList, highlightCode: Highlighting): DocumentFragment {
  const context = { nonce: randomNonce(), slots: [] as CodeSlot[] };
  current = context;
  try {
    const html = typeof markdown === 'string' ? renderer.parse(markdown, { async: false }) : renderer.parser(markdown);
    const fragment = sanitizeMarkdown(html);
    buildCodeBlocks(fragment, context, highlightCode);
    return fragment;
  } finally {
    current = undefined;
  }
}

/** Replaces this render's placeholders (each at most once) with code blocks; any other data-code is dropped. */
function buildCodeBlocks(fragment: DocumentFragment, context: { readonly nonce: string; readonly slots: readonly CodeSlot[] }, highlightCode: Highlighting): void {
  const used = new Set<string>();
  for (const placeholder of Array.from(fragment.querySelectorAll('pre[data-code]'))) {
    const marker = placeholder.getAttribute('data-code') ?? '';
    const [nonce, index] = marker.split(':');
    const slot = nonce === context.nonce && !used.has(marker) ? context.slots[Number(index)] : undefined;
    if (!slot) {
      placeholder.removeAttribute('data-code');
      continue;
    }
    used.add(marker);
    placeholder.replaceWith(codeBlock(slot.code, slot.language, (element) => fillCode(element, slot.code, slot.language, highlightCode)));
  }
}

/** Renders finished markdown, code highlighted. */
export function renderMarkdown(markdown: string): DocumentFragment {
  return render(markdown, 'now');
}

/** Renders finished markdown of a streaming answer; its code is highlighted when the main thread is idle. */
export function renderFinishedBlock(markdown: string): DocumentFragment {
  return render(markdown, 'idle');
}

/** Renders the still-growing tail of an answer; code is not highlighted until its block is finished. */
export function renderDraft(markdown: string): DocumentFragment {
  return render(markdown, 'none');
}

/** The language of a fence's info string, as a code block shows it (the same rule as for rendered markdown). */
export function fenceLanguage(openingLine: string): string {
  const token = renderer.lexer(`${openingLine}\n`)[0];
  return token?.type === 'code' ? codeLanguage(token as Tokens.Code) : '';
}

/**
 * Renders markdown that should be exactly one code block (and blank lines), code highlighted when idle; undefined
 * if marked reads it otherwise.
 */
export function renderWholeCodeBlock(markdown: string): DocumentFragment | undefined {
  const tokens = renderer.lexer(markdown);
  const blocks = tokens.filter((token) => token.type !== 'space');
  return blocks.length === 1 && blocks[0].type === 'code' ? render(tokens, 'idle') : undefined;
}
