import DOMPurify, { type Config } from 'dompurify';

/**
 * Every HTML string the renderer produces is turned into DOM here, and only here, keeping exactly what the renderer
 * itself emits. Whatever the markdown lexer lets through (raw text after an inline tag, tag syntax it does not know),
 * the result can only be these elements and attributes: inert by construction. The results are DocumentFragments,
 * so sanitized markup is never parsed a second time (no mutation between sanitizing and use).
 */

/** Form controls are never allowed, whatever the allow-list below says. */
const FORM_TAGS = ['form', 'input', 'button', 'select', 'option', 'optgroup', 'textarea', 'label', 'fieldset', 'legend', 'datalist', 'output', 'meter', 'progress'];

/** What marked's renderer and ours (markdown.ts) emit. Code blocks are an empty <pre data-code> placeholder. */
const MARKDOWN: Config = {
  ALLOWED_TAGS: [
    'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th',
    'td', 'strong', 'em', 'del', 'code', 'pre', 'a', 'span',
  ],
  ALLOWED_ATTR: ['class', 'href', 'title', 'data-href', 'data-code', 'align', 'start'],
  // Plain values, not URLs: without this DOMPurify drops a value that looks like `letters:` (an unknown scheme),
  // such as a code-block marker whose random nonce happens to be all letters.
  ADD_URI_SAFE_ATTR: ['data-code', 'title'],
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

function allowedClasses(value: string): string {
  return value.split(/\s+/).filter((name) => CLASS_NAME.test(name)).join(' ');
}

// Its own instance, configured once (parsing the configuration on every call costs more than sanitizing a paragraph).
const purify = DOMPurify(window);
purify.setConfig(MARKDOWN);
purify.addHook('uponSanitizeAttribute', (node, data) => {
  if (data.attrName === 'class') {
    data.attrValue = allowedClasses(data.attrValue);
    data.keepAttr = data.attrValue !== '';
    return;
  }
  const check = Object.hasOwn(ATTRIBUTE_VALUES, data.attrName) ? ATTRIBUTE_VALUES[data.attrName] : undefined;
  if (check && !check(data.attrValue, node.nodeName.toLowerCase())) data.keepAttr = false;
});

/** Rendered markdown as inert DOM. */
export function sanitizeMarkdown(html: string): DocumentFragment {
  // Without a working sanitizer DOMPurify would hand the input back unchanged: fail, and the turn is shown as text.
  if (!purify.isSupported) throw new Error('The HTML sanitizer is not available in this webview.');
  const fragment: unknown = purify.sanitize(html);
  // null when the markup parses as a document without a body (a <frameset>): the turn is then shown as text.
  if (!(fragment instanceof DocumentFragment)) throw new Error('The HTML sanitizer returned no content for this markup.');
  return fragment;
}

/** One token of highlight.js output: an opening span with its classes, a closing span, or escaped text. */
const HIGHLIGHT_TOKEN = /<span class="([^"<>]*)">|(<\/span>)|([^<]+)/y;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'" };

/**
 * highlight.js output as inert DOM, without an HTML parser: its output is only `<span class="…">`, `</span>` and
 * escaped text, and exactly that is accepted (spans with our class names, text nodes); anything else throws and the
 * caller shows the code as plain text. (DOMPurify on this markup cost about 30× parsing it, per code block.)
 */
export function sanitizeHighlight(html: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const open: Node[] = [fragment];
  HIGHLIGHT_TOKEN.lastIndex = 0;
  while (HIGHLIGHT_TOKEN.lastIndex < html.length) {
    const token = HIGHLIGHT_TOKEN.exec(html);
    if (!token) throw new Error('Unexpected markup in highlighted code.');
    const [, classes, close, text] = token;
    const parent = open[open.length - 1];
    if (text !== undefined) {
      parent.appendChild(document.createTextNode(text.replace(/&(?:amp|lt|gt|quot|#x27|#39);/g, (entity) => ENTITIES[entity])));
    } else if (close !== undefined) {
      if (open.length === 1) throw new Error('Unbalanced markup in highlighted code.');
      open.pop();
    } else {
      const span = document.createElement('span');
      const allowed = allowedClasses(classes);
      if (allowed) span.className = allowed;
      parent.appendChild(span);
      open.push(span);
    }
  }
  if (open.length !== 1) throw new Error('Unbalanced markup in highlighted code.');
  return fragment;
}
