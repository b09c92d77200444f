import assert from 'node:assert/strict';
import hljs from 'highlight.js';
import { DROPPED_ELEMENTS, xssCorpus } from '../fixtures/xssCorpus';
import { ALLOWED, offendingNodes } from './inertDom';
import { openSanitizerPage, type WebviewPage } from './webviewPage';

/**
 * src/webview/sanitize.ts on its own, given HTML directly, in a page without a CSP: as if the markdown lexer had let
 * everything through, nothing may come out that the renderer would not have made, and nothing may run or load.
 */

describe('UI: the sanitizer alone keeps only the renderer’s own markup (bare Chromium, no CSP)', () => {
  let view: WebviewPage;

  before(async () => {
    view = await openSanitizerPage();
  });
  after(async () => {
    await view?.close();
  });

  it('highlight.js output becomes exactly the DOM an HTML parser would make of it, and nothing else is accepted', async () => {
    const samples: [string, string][] = [
      ['typescript', 'const a = `<script>alert("x")</script>` && b < c > d; // \'q\' & "dq"\nclass X<T> extends Y { f(): void {} }'],
      ['xml', '<div class="a" onclick="x()"><!-- c --><![CDATA[ <b> ]]><script>var s = "</script>";</script></div>'],
      ['css', 'body { background: url("javascript:alert(1)"); } /* </style><img src=x> */'],
      ['python', 'def f(x):\n    return f"<{x!r}> & {x}"  # </span><img src=x>'],
      ['bash', 'echo "$(rm -rf ~)" \'<span class="x">\' > /dev/null'],
      ['json', '{"a": "</span><svg onload=alert(1)>", "b": [1, 2.5e3, true, null]}'],
    ];
    const highlighted = samples.map(([language, code]) => ({ code, html: hljs.highlight(code, { language, ignoreIllegals: true }).value }));
    const refused = ['<span class="hljs-keyword" onclick="x()">a</span>', '<span>a</span>', '<img src=x>', '<span class="a">unclosed', 'a</span>', '<span class=a>b</span>', 'a <b>c</b>'];
    const result = await view.page.evaluate(
      ({ highlighted, refused }) => {
        const { sanitizeHighlight } = (window as unknown as { sanitizer: { sanitizeHighlight(html: string): DocumentFragment } }).sanitizer;
        const mismatches: string[] = [];
        for (const { code, html } of highlighted) {
          const ours = document.createElement('code');
          ours.append(sanitizeHighlight(html));
          const parsed = document.createElement('template');
          parsed.innerHTML = html;
          const reference = document.createElement('code');
          reference.append(parsed.content);
          if (ours.innerHTML !== reference.innerHTML || ours.textContent !== code) mismatches.push(code);
        }
        const accepted = refused.filter((html) => {
          try {
            sanitizeHighlight(html);
            return true;
          } catch {
            return false;
          }
        });
        return { mismatches, accepted };
      },
      { highlighted, refused },
    );
    assert.deepEqual(result.mismatches, [], 'same DOM as the parser, same text as the code');
    assert.deepEqual(result.accepted, [], 'anything but <span class="…">, </span> and escaped text is refused');
  });

  it('every corpus case and every element to drop, given to it as raw HTML, comes out inert: nothing runs or loads', async () => {
    const live = (tag: string): string =>
      `id="app" name="createElement" class="code-block" data-action="insert" style="background:url(https://exfil.test/css-${tag})" ` +
      `onerror="alert('k-${tag}')" onload="alert('k-${tag}')" onfocus="alert('k-${tag}')" ontoggle="alert('k-${tag}')" onbegin="alert('k-${tag}')" ` +
      `autofocus open src="https://exfil.test/src-${tag}" href="https://exfil.test/href-${tag}" data="https://exfil.test/data-${tag}" poster="https://exfil.test/poster-${tag}"`;
    const inputs = [
      ...xssCorpus('https://exfil.test/x').map((c) => c.markdown),
      ...DROPPED_ELEMENTS.map((tag) => `<${tag} ${live(tag)}>${tag}</${tag}>`),
      ...DROPPED_ELEMENTS.map((tag) => `<${tag}/${live(tag).replace(/ /g, '/')}>`),
      '<a href="javascript:alert(1)" data-href="command:workbench.action.terminal.new">a</a><a href="#" data-href="https://ok.example/">b</a>',
      '<div data-code="n:0"><span data-code="n:1" class="code-block hljs-keyword">x</span></div><pre data-code="n:2" data-action="apply">p</pre>',
      '<td align="javascript:x">1</td><ol start="1;x"><li>1</li></ol><p title="t" style="color:red" lang="en" dir="rtl" tabindex="1">p</p>',
    ];
    const result = await view.page.evaluate((all) => {
      const out = document.getElementById('out')!;
      const { sanitizeMarkdown, sanitizeHighlight } = (window as unknown as { sanitizer: { sanitizeMarkdown(html: string): DocumentFragment; sanitizeHighlight(html: string): DocumentFragment } }).sanitizer;
      let badHighlight = '';
      const refused: string[] = [];
      for (const html of all) {
        const box = document.createElement('section');
        try {
          box.append(sanitizeMarkdown(html));
        } catch {
          refused.push(html.slice(0, 10)); // the turn is shown as plain text
        }
        const code = document.createElement('section');
        try {
          code.append(sanitizeHighlight(html));
        } catch {
          // Refused: the caller shows the code as plain text.
        }
        if (Array.from(code.querySelectorAll('*')).some((e) => e.tagName !== 'SPAN' || Array.from(e.attributes).some((a) => a.name !== 'class'))) badHighlight = html;
        out.append(box, code);
      }
      return {
        title: document.title,
        createElement: typeof document.createElement,
        getElementById: typeof document.getElementById,
        forms: document.forms.length,
        named: out.querySelectorAll('[id], [name]').length,
        badHighlight,
        refused,
        links: Array.from(out.querySelectorAll('a')).map((a) => `${a.getAttribute('href')} ${a.getAttribute('data-href')}`),
        marked: Array.from(out.querySelectorAll('[data-code]')).map((e) => `${e.tagName}:${e.getAttribute('data-code')}`),
        classes: Array.from(new Set(Array.from(out.querySelectorAll('[class]')).map((e) => e.className))),
      };
    }, inputs);
    // Positive control: markup that is NOT sanitized does load and run in this page, and is seen.
    await view.page.evaluate(() => {
      const control = document.createElement('div');
      control.innerHTML = '<img src="https://exfil.test/control" onerror="alert(\'control\')">';
      document.body.append(control);
    });
    await view.page.waitForFunction(() => document.querySelector('img[src="https://exfil.test/control"]') !== null);
    for (let i = 0; i < 100 && !view.dialogs.includes('alert: control'); i++) await view.page.waitForTimeout(50);
    assert.deepEqual(view.dialogs, ['alert: control'], 'only the unsanitized control ran');
    assert.deepEqual(view.requests, ['https://exfil.test/control'], 'only the unsanitized control loaded');
    assert.equal(result.title, 'chat');
    assert.deepEqual(result.refused, ['<frameset ', '<frameset/'], 'refused only what parses as a document without a body');
    assert.deepEqual(result.badHighlight, '', 'from highlighter markup only spans with a class come out (or it is refused)');
    assert.deepEqual({ createElement: result.createElement, getElementById: result.getElementById, forms: result.forms, named: result.named }, { createElement: 'function', getElementById: 'function', forms: 0, named: 0 }, 'no clobbering, no form, no id or name');
    assert.ok(result.links.includes('# https://ok.example/'), 'our own link shape passes');
    assert.deepEqual(result.links.filter((l) => !['# https://ok.example/', '# null', 'null null'].includes(l)), [], 'no other href or data-href');
    assert.deepEqual(result.marked, ['PRE:n:2'], 'the code-block marker survives only on <pre> (and only the render nonce makes it a block)');
    assert.deepEqual(result.classes.filter((c) => !/^(hljs-\w+|image-placeholder|unsafe-link)$/.test(c)), [], 'only the renderer’s class names');
    const allowed = { ...ALLOWED, tags: [...ALLOWED.tags.filter((t) => t !== 'BUTTON' && t !== 'DIV'), 'SECTION'], attributes: [...ALLOWED.attributes, 'data-code'] };
    assert.deepEqual(await view.page.locator('#out').evaluate(offendingNodes, allowed), []);
    assert.deepEqual(view.consoleErrors, ['Failed to load resource: net::ERR_FAILED'], 'only the control’s refused load');
  });
});
