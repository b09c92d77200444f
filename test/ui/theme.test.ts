import assert from 'node:assert/strict';
import { CommandId } from '../../src/commandIds';
import { streamText } from '../server/scenarios';
import { useSession } from './session';
import { chatDocument, chatFrame, paletteTitle, runCommand, screenshot, setApiKeyThroughPalette } from './workbench';

const KEY = 'io-ui-theme-key';
const ANSWER = [
  'A class with a method:\n\n',
  '```ts\nexport class Counter {\n  private count = 0;\n  increment(step: number): string {\n    this.count += step * 2;\n    return `count ${this.count}`;\n  }\n}\n```\n',
  'That is all.',
];
/** highlight.js classes of the tokens in ANSWER that the editor colours. */
const TOKENS = ['hljs-keyword', 'hljs-string', 'hljs-number', 'hljs-title'];

interface Colours {
  plain: string;
  tokens: Record<string, { colour: string; contrast: number }>;
  badge: { colour: string; contrast: number };
}

/** In the webview: each token's colour and its contrast against the background it is drawn on (WCAG formula). */
function coloursInPage(tokens: readonly string[]): Colours {
  const rgba = (css: string): number[] => (css.match(/[\d.]+/g) ?? []).map(Number);
  const background = (element: Element | null): number[] => {
    const layers: number[][] = [];
    for (let e = element; e; e = e.parentElement) {
      const [r, g, b, a = 1] = rgba(getComputedStyle(e).backgroundColor);
      if (a > 0) layers.push([r, g, b, a]);
      if (a >= 1) break;
    }
    let out = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)];
    return out;
  };
  const luminance = ([r, g, b]: number[]): number => {
    const lin = (c: number): number => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const contrast = (element: Element): number => {
    const [l1, l2] = [luminance(rgba(getComputedStyle(element).color)), luminance(background(element))].sort((x, y) => y - x);
    return Math.round(((l1 + 0.05) / (l2 + 0.05)) * 100) / 100;
  };
  const turn = [...document.querySelectorAll('.turn.assistant')].at(-1)!;
  const code = turn.querySelector('.code-block code')!;
  const result: Colours = { plain: getComputedStyle(code).color, tokens: {}, badge: { colour: '', contrast: 0 } };
  for (const token of tokens) {
    const element = code.querySelector(`.${token}`);
    if (element) result.tokens[token] = { colour: getComputedStyle(element).color, contrast: contrast(element) };
  }
  const badge = turn.querySelector('.status-badge');
  if (badge) result.badge = { colour: getComputedStyle(badge).color, contrast: contrast(badge) };
  return result;
}

for (const theme of ['Default Light Modern', 'Default Dark Modern', 'Default High Contrast Light']) {
  describe(`UI: code and notes in the chat read well in ${theme}`, () => {
    const ui = useSession({ server: { validKeys: [KEY] }, userSettings: { 'workbench.colorTheme': theme } });

    it('keywords, strings, numbers and names have their own colours, and notes meet WCAG AA contrast', async () => {
      await setApiKeyThroughPalette(ui.page, KEY);
      await runCommand(ui.page, paletteTitle(CommandId.openChat));
      const chat = chatFrame(ui.page);
      await chat.locator('textarea.prompt').waitFor({ timeout: 30_000 });
      ui.server.enqueue(streamText(ANSWER, { finish: 'length' }));
      await chat.locator('textarea.prompt').fill('Show me a class.');
      await chat.locator('textarea.prompt').press('Enter');
      const answer = chat.locator('.turn.assistant[data-status="cut"]');
      await answer.waitFor({ timeout: 30_000 });
      await answer.locator('.code-block .hljs-title').first().waitFor({ timeout: 10_000 });
      const frame = await chatDocument(ui.page);
      const colours = await frame.evaluate(coloursInPage, TOKENS);
      for (const token of TOKENS) {
        const found = colours.tokens[token];
        assert.ok(found, `${token} is in the highlighted code`);
        assert.notEqual(found.colour, colours.plain, `${token} has a colour of its own in ${theme}, not the text colour`);
        assert.ok(found.contrast >= 3, `${token} (${found.colour}) has a contrast of ${found.contrast}:1 in ${theme}`);
      }
      assert.ok(colours.badge.contrast >= 4.5, `the "Cut" note (${colours.badge.colour}) has a contrast of ${colours.badge.contrast}:1 in ${theme} (AA: 4.5:1)`);
      await screenshot(ui.page, `chat-${theme.toLowerCase().replace(/\s+/g, '-')}`);
    });
  });
}
