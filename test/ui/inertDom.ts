/**
 * What an answer's DOM may contain: exactly what the renderer itself emits. Shared by the code-server UI test and
 * the bare-page webview tests; `offendingNodes` runs inside the page (passed to `evaluate`), so it is self-contained.
 */
export const ALLOWED = {
  /** md-block, md-tail and the code block are DIVs; BUTTON only as our toolbar (checked separately). */
  tags: [
    'DIV', 'P', 'SPAN', 'A', 'STRONG', 'EM', 'DEL', 'CODE', 'PRE', 'BR', 'HR', 'UL', 'OL', 'LI', 'BLOCKQUOTE',
    'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'BUTTON',
  ],
  attributes: ['class', 'href', 'title', 'data-href', 'align', 'start'],
  /** Only on the toolbar buttons our code creates (Insert and Apply are disabled while their block streams). */
  toolbar: ['class', 'title', 'type', 'data-action', 'aria-label', 'disabled'],
};

export type Allowed = typeof ALLOWED;

/**
 * Every element or attribute under the roots (answers' .turn-body) that the renderer would not have made, each
 * prefixed with its turn's id. Runs in the page: everything it uses is inside it.
 */
export function offendingNodes(roots: Element | Element[], allowed: Allowed): string[] {
  const tags = new Set(allowed.tags);
  const attributes = new Set(allowed.attributes);
  const toolbar = new Set(allowed.toolbar);
  const found: string[] = [];
  for (const root of Array.isArray(roots) ? roots : [roots]) {
    const turn = root.closest('[data-turn-id]')?.getAttribute('data-turn-id');
    const report = (problem: string): number => found.push(turn ? `${turn}: ${problem}` : problem);
    for (const element of Array.from(root.querySelectorAll('*'))) {
      const tag = element.tagName.toLowerCase();
      const isToolbarButton = element.matches('.code-block > .code-toolbar > button.code-action');
      if (!tags.has(element.tagName)) report(`<${tag}>`);
      if (element.tagName === 'BUTTON' && !isToolbarButton) report(`<button> outside a toolbar: ${element.textContent ?? ''}`);
      if (element.namespaceURI !== 'http://www.w3.org/1999/xhtml') report(`<${tag}> in ${element.namespaceURI ?? 'no namespace'}`);
      for (const attribute of Array.from(element.attributes)) {
        const ok = isToolbarButton ? toolbar.has(attribute.name) : attributes.has(attribute.name);
        if (!ok) report(`${tag}[${attribute.name}=${attribute.value}]`);
        if (attribute.name === 'href' && attribute.value !== '#') report(`href=${attribute.value}`);
        if (attribute.name === 'data-href' && !/^https?:\/\//i.test(attribute.value)) report(`data-href=${attribute.value}`);
      }
    }
    for (const block of Array.from(root.querySelectorAll('.code-block'))) {
      const actions = Array.from(block.querySelectorAll('button')).map((b) => b.getAttribute('data-action')).join(',');
      if (actions !== 'copy,insert,apply') report(`code block with toolbar [${actions}]`);
      if (block.querySelectorAll(':scope > pre > code').length !== 1) report('code block without exactly one pre > code');
    }
  }
  return found;
}
