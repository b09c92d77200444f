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
import { Marked, type Tokens } from 'marked';
import { codeBlock } from './codeBlock';
import { MARKDOWN_SYNTAX } from './finishedBlocks';
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

/** highlight.js markup for a known language, else undefined (the caller shows the code as text). */
export function highlight(code: string, language: string): string | undefined {
  const lower = language.toLowerCase();
  const name = ALIASES.get(lower) ?? lower;
  // highlight.js keeps its languages and aliases in null-prototype objects: any string is a safe key there.
  if (!name || !hljs.getLanguage(name)) return undefined;
  return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
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

function codePlaceholder(token: Tokens.Code): string {
  if (!current) return '';
  const language = ((token.lang ?? '').match(/^[\w+#.-]+/)?.[0] ?? '').slice(0, 30);
  current.slots.push({ code: token.text, language });
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

function render(markdown: string, highlightCode: boolean): DocumentFragment {
  const context = { nonce: randomNonce(), slots: [] as CodeSlot[] };
  current = context;
  try {
    const fragment = sanitizeMarkdown(renderer.parse(markdown, { async: false }));
    buildCodeBlocks(fragment, context, highlightCode);
    return fragment;
  } finally {
    current = undefined;
  }
}

/** Replaces this render's placeholders (each at most once) with code blocks; any other data-code is dropped. */
function buildCodeBlocks(fragment: DocumentFragment, context: { readonly nonce: string; readonly slots: readonly CodeSlot[] }, highlightCode: boolean): void {
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
    placeholder.replaceWith(codeBlock(slot.code, slot.language, (element) => fillCode(element, slot, highlightCode)));
  }
}

/** Highlighted when asked for and the language is known, else (or if the highlighter's markup is refused) as text. */
function fillCode(element: HTMLElement, slot: CodeSlot, highlightCode: boolean): void {
  const highlighted = highlightCode ? highlight(slot.code, slot.language) : undefined;
  try {
    if (highlighted !== undefined) return element.append(sanitizeHighlight(highlighted));
  } catch (error) {
    console.error('IO Intelligence: highlighted code refused; shown as plain text.', error);
  }
  element.textContent = slot.code;
}

/** Renders finished markdown, code highlighted. */
export function renderMarkdown(markdown: string): DocumentFragment {
  return render(markdown, true);
}

/** Renders the still-growing tail of an answer; code is not highlighted until its block is finished. */
export function renderDraft(markdown: string): DocumentFragment {
  return render(markdown, false);
}
