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

/** The code a block's buttons act on; it grows while the block streams in. */
interface CodeSource {
  code: string;
}

const toolbarButtons = new WeakMap<Element, { readonly action: CodeAction; readonly source: CodeSource }>();
const blockSources = new WeakMap<Element, CodeSource>();

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
  const source: CodeSource = { code };
  blockSources.set(block, source);
  for (const spec of BUTTONS) {
    const button = element('button', 'code-action');
    button.type = 'button';
    button.dataset.action = spec.action;
    button.title = spec.title;
    button.setAttribute('aria-label', spec.aria);
    button.textContent = spec.label;
    toolbarButtons.set(button, { action: spec.action, source });
    toolbar.append(button);
  }
  const pre = document.createElement('pre');
  const codeElement = element('code', 'hljs');
  body(codeElement);
  pre.append(codeElement);
  block.append(toolbar, pre);
  return block;
}

/** The code the toolbar of a block made by codeBlock() acts on from now on (a block that is still streaming). */
export function setBlockCode(block: Element, code: string): void {
  const source = blockSources.get(block);
  if (source) source.code = code;
}

/** The toolbar command of a click target, if (and only if) it is inside a toolbar button our code created. */
export function toolbarCommand(target: Element): ToolbarCommand | undefined {
  const button = target.closest('button.code-action');
  const recorded = button ? toolbarButtons.get(button) : undefined;
  return recorded && { action: recorded.action, code: recorded.source.code };
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}
