import DOMPurify, { type Config } from 'dompurify';

/**
 * Every HTML string the renderer produces passes through DOMPurify before it becomes DOM, with an allow-list of
 * exactly what the renderer itself emits. Whatever the markdown lexer lets through (raw text after an inline tag,
 * tag syntax it does not know), the result can only be these elements and attributes: inert by construction.
 * The result is a DocumentFragment parsed in DOMPurify's inert document, so the sanitized markup is never parsed a
 * second time (no mutation between sanitizing and use).
 */

const purify = DOMPurify(window);

/** Form controls are never allowed, whatever the allow-lists below say. */
const FORM_TAGS = ['form', 'input', 'button', 'select', 'option', 'optgroup', 'textarea', 'label', 'fieldset', 'legend', 'datalist', 'output', 'meter', 'progress'];

const COMMON: Config = {
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOWED_NAMESPACES: ['http://www.w3.org/1999/xhtml'],
  FORBID_TAGS: FORM_TAGS,
  // No id or name is allowed at all; should one ever be, it is prefixed so that it cannot shadow document properties.
  SANITIZE_DOM: true,
  SANITIZE_NAMED_PROPS: true,
  SAFE_FOR_XML: true,
  KEEP_CONTENT: true,
  RETURN_DOM_FRAGMENT: true,
};

/** What marked's renderer and ours (markdown.ts) emit. Code blocks are an empty <pre data-code> placeholder. */
const MARKDOWN: Config & { RETURN_DOM_FRAGMENT: true } = {
  ...COMMON,
  RETURN_DOM_FRAGMENT: true,
  ALLOWED_TAGS: [
    'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th',
    'td', 'strong', 'em', 'del', 'code', 'pre', 'a', 'span',
  ],
  ALLOWED_ATTR: ['class', 'href', 'title', 'data-href', 'data-code', 'align', 'start'],
  // Plain values, not URLs: without this DOMPurify drops a value that looks like `letters:` (an unknown scheme),
  // such as a code-block marker whose random nonce happens to be all letters.
  ADD_URI_SAFE_ATTR: ['data-code', 'title'],
};

/** What highlight.js emits: spans with token classes. */
const HIGHLIGHT: Config & { RETURN_DOM_FRAGMENT: true } = { ...COMMON, RETURN_DOM_FRAGMENT: true, ALLOWED_TAGS: ['span'], ALLOWED_ATTR: ['class'] };

/** Class names the renderer uses: highlight.js scopes (`hljs-title function_`, `language-xml`) and our own. */
const CLASS_NAME = /^(?:hljs(?:-[\w-]+)?|[a-z]+_+|language-[\w-]+|image-placeholder|unsafe-link|task-check)$/;

/** Values that are allowed only in the form the renderer writes them. */
const ATTRIBUTE_VALUES: Record<string, (value: string, tag: string) => boolean> = {
  href: (value) => value === '#',
  'data-href': (value) => /^https?:\/\//i.test(value),
  'data-code': (_value, tag) => tag === 'pre',
  align: (value) => value === 'left' || value === 'center' || value === 'right',
  start: (value) => /^\d{1,9}$/.test(value),
};

purify.addHook('uponSanitizeAttribute', (node, data) => {
  if (data.attrName === 'class') {
    data.attrValue = data.attrValue.split(/\s+/).filter((name) => CLASS_NAME.test(name)).join(' ');
    data.keepAttr = data.attrValue !== '';
    return;
  }
  const check = Object.hasOwn(ATTRIBUTE_VALUES, data.attrName) ? ATTRIBUTE_VALUES[data.attrName] : undefined;
  if (check && !check(data.attrValue, node.nodeName.toLowerCase())) data.keepAttr = false;
});

/** Rendered markdown as inert DOM. */
export function sanitizeMarkdown(html: string): DocumentFragment {
  return sanitize(html, MARKDOWN);
}

/** highlight.js output as inert DOM (it escapes the code it is given; this makes sure of it). */
export function sanitizeHighlight(html: string): DocumentFragment {
  return sanitize(html, HIGHLIGHT);
}

function sanitize(html: string, config: Config & { RETURN_DOM_FRAGMENT: true }): DocumentFragment {
  // Without a working sanitizer DOMPurify would hand the input back unchanged: fail, and the turn is shown as text.
  if (!purify.isSupported) throw new Error('The HTML sanitizer is not available in this webview.');
  return purify.sanitize(html, config);
}
