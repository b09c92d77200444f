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

/**
 * Markdown from the model, rendered as inert HTML: raw HTML is shown as text, images become a placeholder (never
 * fetched), links carry their target in a data attribute and open only through the host, and only for http(s).
 */

const LANGUAGES = { bash, cpp, csharp, css, diff, go, java, javascript, json, python, rust, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
const ALIASES: Record<string, string> = { ts: 'typescript', tsx: 'typescript', js: 'javascript', jsx: 'javascript', py: 'python', sh: 'bash', shell: 'bash', zsh: 'bash', html: 'xml', 'c++': 'cpp', c: 'cpp', cs: 'csharp', rs: 'rust', yml: 'yaml', typescriptreact: 'typescript', javascriptreact: 'javascript' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function isSafeHref(href: string): boolean {
  return /^https?:\/\//i.test(href.trim());
}

export function highlight(code: string, language: string): string {
  const name = ALIASES[language.toLowerCase()] ?? language.toLowerCase();
  if (!name || !hljs.getLanguage(name)) return escapeHtml(code);
  return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
}

function codeBlock(code: string, language: string, highlighted: boolean): string {
  const lang = (language.match(/^[\w+#.-]+/)?.[0] ?? '').slice(0, 30);
  const body = highlighted ? highlight(code, lang) : escapeHtml(code);
  return (
    `<div class="code-block"><div class="code-toolbar"><span class="code-lang">${escapeHtml(lang || 'text')}</span>` +
    `<button class="code-action" data-action="copy" title="Copy" aria-label="Copy code">Copy</button>` +
    `<button class="code-action" data-action="insert" title="Insert at Cursor" aria-label="Insert code at cursor">Insert</button>` +
    `<button class="code-action" data-action="apply" title="Apply to the selection" aria-label="Apply code to the selection">Apply</button></div>` +
    `<pre><code class="hljs">${body}</code></pre></div>`
  );
}

function createMarked(highlightCode: boolean): Marked {
  return new Marked({
    gfm: true,
    breaks: false,
    renderer: {
      html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
      code: (token: Tokens.Code) => codeBlock(token.text, token.lang ?? '', highlightCode),
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

const finalRenderer = createMarked(true);
const draftRenderer = createMarked(false);

/** Renders finished markdown, code highlighted. */
export function renderMarkdown(markdown: string): string {
  return finalRenderer.parse(markdown, { async: false });
}

/** Renders the still-growing tail of an answer; code is not highlighted until its block is finished. */
export function renderDraft(markdown: string): string {
  return draftRenderer.parse(markdown, { async: false });
}

/**
 * Splits streamed markdown into blocks that are finished (followed by another block) and the open tail.
 * Only the tail can still change, so only the tail is re-rendered while an answer streams.
 */
export function splitFinishedBlocks(markdown: string): { finished: string; tail: string } {
  const tokens = finalRenderer.lexer(markdown);
  let last = tokens.length - 1;
  while (last > 0 && tokens[last].type === 'space') last--;
  if (last <= 0) return { finished: '', tail: markdown };
  const tailStart = tokens.slice(0, last).reduce((n, t) => n + t.raw.length, 0);
  return { finished: markdown.slice(0, tailStart), tail: markdown.slice(tailStart) };
}
