import assert from 'node:assert/strict';
import { inertText } from '../../src/core/notificationText';
import { notificationLinks } from './notificationLinks';
import { seededRandom } from '../fixtures/random';

const WJ = '\u2060';

/** Link forms VS Code turns into a clickable link today: each must be a link raw, and none after inertText. */
const LINKS: readonly string[] = [
  '[Click](command:workbench.action.files.delete)',
  'The server said: [Click here](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D) to fix it',
  '[a](command:x "a title")',
  "[a](command:x 'a title')",
  '[a](COMMAND:x)',
  '[a](Command:x "t)")',
  '[docs](https://evil.example/path)',
  '[docs](http://127.0.0.1:9/)',
  '[passwd](file:///etc/passwd)',
  '[outer [inner](command:x)',
  '[[a](command:x)',
  String.raw`\[escaped\](command:x)`,
  '[a](command:x)[b](command:y)',
  ']](command:x) then [c](command:z)',
  'model “[Qwen](command:ioIntelligence.clearApiKey)” is not available',
  '[multi word label](command:x)',
  '[tab\tlabel](command:x)',
  '[a](command:x)](command:y)',
];

/** Look like links but VS Code makes none of them: they must come out unchanged in meaning and still no link. */
const NOT_LINKS: readonly string[] = [
  '<command:workbench.action.files.delete>',
  'command:workbench.action.files.delete',
  'https://evil.example',
  '[a][ref]\n\n[ref]: command:x',
  '[a]\n(command:x)',
  '[a]\r\n(command:x)',
  '[a] (command:x)',
  '[](command:x)',
  '[a](javascript:alert(1))',
  '[a](<command:x>)',
  '[a]( command:x)',
  '\uFF3Ba\uFF3D\uFF08command:x\uFF09',
  '\u2045a\u2046(command:x)',
  '[a]\u2060(command:x)',
  '$(alert) spoofed icon',
  // A "]" right after the label ends it: VS Code makes no link of these.
  '[[nested]](command:x)',
  '[outer [inner]](command:x)',
  String.raw`[escaped\]](command:x)`,
  '[a]](command:x)',
  '[a [b] c](command:x)',
];

describe('inertText: notification text cannot carry links', () => {
  for (const text of LINKS) {
    it(`defuses ${JSON.stringify(text)}`, () => {
      assert.notDeepEqual(notificationLinks(text), [], 'the oracle sees the raw link');
      assert.deepEqual(notificationLinks(inertText(text)), []);
      assert.equal(inertText(text).replaceAll(WJ, ''), text, 'reads as before');
    });
  }

  for (const text of NOT_LINKS) {
    it(`keeps ${JSON.stringify(text)} as text, no link`, () => {
      assert.deepEqual(notificationLinks(text), [], 'the oracle sees no link raw');
      assert.deepEqual(notificationLinks(inertText(text)), []);
      assert.equal(inertText(text).replaceAll(WJ, ''), text.replaceAll(WJ, ''));
    });
  }

  it('leaves text without "](" and without a bracket at either end exactly as it was', () => {
    for (const text of ['', 'Internal server error', 'a (b) [c] d', 'Qwen/Qwen2.5-Coder-32B-Instruct', 'x]y(z', '[only]x', 'x(only)']) {
      assert.equal(inertText(text), text);
    }
  });

  it('a value cannot complete a link with the text around it', () => {
    const cases: [string, string, string][] = [
      ['See [docs]', '(command:x)', ''],
      ['See [', 'docs](command:x)', ''],
      ['', '[docs]', '(command:x)'],
      ['“[', 'docs]', '(https://e.example)”'],
    ];
    for (const [before, value, after] of cases) {
      assert.notDeepEqual(notificationLinks(before + value + after), [], 'a link raw');
      assert.deepEqual(notificationLinks(before + inertText(value) + after), [], JSON.stringify([before, value, after]));
    }
  });

  const SEED = 0x10ad;
  it(`random strings of link tokens never make a link, alone or inside a template (seed ${SEED})`, () => {
    const random = seededRandom(SEED);
    const tokens = ['[', ']', '(', ')', '](', '[a](', 'x)', 'command:', '[a', 'a]', '(command:x', 'command:x)', 'https://e.x', 'file:x', ' "t"', " 't'", '\n', '\\', '<', '>', WJ, 'ab', ' '];
    const pick = (length: number): string => Array.from({ length }, () => tokens[Math.floor(random() * tokens.length)]).join('');
    let rawLinks = 0;
    let acrossLinks = 0;
    for (let i = 0; i < 10_000; i++) {
      const value = pick(1 + Math.floor(random() * 12));
      const [before, after] = [pick(Math.floor(random() * 4)), pick(Math.floor(random() * 4))];
      if (notificationLinks(value).length) rawLinks++;
      const inert = inertText(value);
      const context = JSON.stringify({ value, before, after });
      assert.deepEqual(notificationLinks(inert), [], context);
      assert.equal(inertText(inert), inert, `idempotent: ${context}`);
      assert.equal(inert.replaceAll(WJ, ''), value.replaceAll(WJ, ''), context);
      // A template is our own text: it has no "](" of its own, even where the value is empty.
      if ((before + after).includes('](')) continue;
      if (!notificationLinks(value).length && notificationLinks(before + value + after).length) acrossLinks++;
      assert.deepEqual(notificationLinks(before + inert + after), [], context);
    }
    // The generator must really make links (alone and across the value's edges), or the checks above prove nothing.
    assert.ok(rawLinks > 100 && acrossLinks > 10, `raw links ${rawLinks}, links across the edges ${acrossLinks}`);
  });
});

