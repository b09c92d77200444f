/**
 * The code block with its Copy / Insert / Apply toolbar, built with DOM APIs by our code after the answer's HTML was
 * sanitized. Each button is recorded here with the exact code it acts on: the click handler acts only for a button in
 * this record, so markup in an answer that imitates the toolbar (class, data-action, text) can never trigger it.
 */

export type CodeAction = 'copy' | 'insert' | 'apply';

interface ToolbarCommand {
  readonly action: CodeAction;
  readonly code: string;
}

const toolbarButtons = new WeakMap<Element, ToolbarCommand>();

const BUTTONS: readonly { action: CodeAction; label: string; title: string; aria: string }[] = [
  { action: 'copy', label: 'Copy', title: 'Copy', aria: 'Copy code' },
  { action: 'insert', label: 'Insert', title: 'Insert at Cursor', aria: 'Insert code at cursor' },
  { action: 'apply', label: 'Apply', title: 'Apply to the selection', aria: 'Apply code to the selection' },
];

/** A code block; `body` fills the <code> element (highlighted spans or plain text). */
export function codeBlock(code: string, language: string, body: (element: HTMLElement) => void): HTMLElement {
  const block = element('div', 'code-block');
  const toolbar = element('div', 'code-toolbar');
  const label = element('span', 'code-lang');
  label.textContent = language || 'text';
  toolbar.append(label);
  for (const spec of BUTTONS) {
    const button = element('button', 'code-action');
    button.type = 'button';
    button.dataset.action = spec.action;
    button.title = spec.title;
    button.setAttribute('aria-label', spec.aria);
    button.textContent = spec.label;
    toolbarButtons.set(button, { action: spec.action, code });
    toolbar.append(button);
  }
  const pre = document.createElement('pre');
  const codeElement = element('code', 'hljs');
  body(codeElement);
  pre.append(codeElement);
  block.append(toolbar, pre);
  return block;
}

/** The toolbar command of a click target, if (and only if) it is inside a toolbar button our code created. */
export function toolbarCommand(target: Element): ToolbarCommand | undefined {
  const button = target.closest('button.code-action');
  return button ? toolbarButtons.get(button) : undefined;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
