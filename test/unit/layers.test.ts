import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

// Lints one-import snippets as if they lived at a path under src/, with the project's own eslint.config.mjs, so a
// layer rule that stops firing (or starts firing on allowed imports) fails here and not only in review.
const root = path.resolve(__dirname, '..', '..', '..');
const LAYER_RULES = new Set(['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax']);

const importing = (specifier: string) => `import * as dep from '${specifier}';\nexport { dep };\n`;

interface Broken {
  readonly file: string;
  readonly code: string;
  /** How the import is written, when it is not a plain `import … from`. */
  readonly form?: string;
  /** A phrase of the message each expected error must carry, one per error. */
  readonly errors: readonly string[];
}

const CORE = 'src/core imports only src/core';
const NO_TEST = 'nothing in src/ imports test/';

const broken: readonly Broken[] = [
  { file: 'src/core/x.ts', code: importing('vscode'), errors: ['src/core must not import vscode'] },
  { file: 'src/core/x.ts', code: importing('../protocol/messages'), errors: [CORE] },
  { file: 'src/core/x.ts', code: importing('../chat/chatController'), errors: [CORE] },
  { file: 'src/core/rewrite/x.ts', code: importing('../../settings'), errors: [CORE] },
  { file: 'src/core/rewrite/x.ts', code: "import type { ChatController } from '../../chat/chatController';\nexport type C = ChatController;\n", form: 'import type', errors: [CORE] },
  { file: 'src/core/x.ts', code: importing('../../test/fixtures/random'), errors: [NO_TEST] },
  { file: 'src/core/x.ts', code: importing('marked'), errors: ['allow-list in eslint.config.mjs (openai, minisearch'] },
  { file: 'src/core/context/x.ts', code: importing('fs'), errors: ['Node builtins (as `node:x`)'] },
  { file: 'src/core/x.ts', code: "export async function load() {\n  return import('vscode');\n}\n", form: 'import()', errors: ['static `import` declarations only'] },
  { file: 'src/core/x.ts', code: "import vscode = require('vscode');\nexport const w = vscode.window;\n", form: 'import = require()', errors: ['src/core must not import vscode'] },
  { file: 'src/core/rewrite/x.ts', code: importing('./../../chat/chatController'), errors: ['canonical form'] },
  { file: 'src/core/domain.ts', code: importing('./errors'), errors: ['domain.ts is the leaf model and imports nothing'] },
  { file: 'src/core/domain.ts', code: importing('node:crypto'), errors: ['domain.ts is the leaf model and imports nothing'] },
  { file: 'src/protocol/x.ts', code: importing('../core/errors'), errors: ['src/protocol imports only src/core/domain.ts'] },
  { file: 'src/protocol/sub/x.ts', code: importing('../../core/errorText'), errors: ['src/protocol imports only src/core/domain.ts'] },
  { file: 'src/protocol/x.ts', code: importing('vscode'), errors: ['src/protocol imports no package'] },
  { file: 'src/protocol/x.ts', code: importing('openai'), errors: ['src/protocol imports no package'] },
  { file: 'src/webview/x.ts', code: importing('../core/errorText'), errors: ['src/webview reaches host code only through src/protocol'] },
  { file: 'src/webview/x.ts', code: importing('../core/domain'), errors: ['src/webview reaches host code only through src/protocol'] },
  { file: 'src/webview/x.ts', code: importing('../chat/chatView'), errors: ['src/webview reaches host code only through src/protocol'] },
  { file: 'src/webview/x.ts', code: importing('vscode'), errors: ['src/webview must not import vscode'] },
  { file: 'src/webview/x.ts', code: importing('node:fs'), errors: ['no Node builtins'] },
  { file: 'src/webview/x.ts', code: importing('openai'), errors: ['allow-list'] },
  { file: 'src/chat/x.ts', code: importing('../../test/fixtures/random'), errors: [NO_TEST] },
  { file: 'src/x.ts', code: importing('../test/fixtures/random'), errors: [NO_TEST] },
  { file: 'src/a/b/c/d/e/x.ts', code: importing('./y'), errors: ['deeper below src/ than the layer rules know'] },
];

const allowed: readonly { readonly file: string; readonly specifiers: readonly string[] }[] = [
  { file: 'src/core/rewrite/x.ts', specifiers: ['../prompts', '../streamEvents', './fences'] },
  { file: 'src/core/x.ts', specifiers: ['./errors', './domain', 'openai', 'openai/resources/chat/completions', 'node:crypto', 'minisearch', 'fuzzysort'] },
  { file: 'src/core/context/x.ts', specifiers: ['./codeChunks', '../tokens', 'minisearch', 'node:crypto'] },
  { file: 'src/protocol/x.ts', specifiers: ['../core/domain', './messages'] },
  { file: 'src/protocol/sub/x.ts', specifiers: ['../../core/domain', '../messages'] },
  {
    file: 'src/webview/x.ts',
    specifiers: ['../protocol/messages', '../protocol/validate', 'marked', 'dompurify', 'highlight.js/lib/core', 'virtual:codicons', './styles.css', './markdown'],
  },
  { file: 'src/x.ts', specifiers: ['vscode', './core/errors', './protocol/messages', 'node:fs'] },
  { file: 'src/chat/x.ts', specifiers: ['vscode', '../core/errors', '../core/rewrite/adaptText', '../protocol/messages', '../settings'] },
];

describe('code layers (eslint.config.mjs)', () => {
  const eslint = new ESLint({ cwd: root });

  async function lint(file: string, code: string) {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    return result.messages;
  }

  before(async function () {
    this.timeout(60_000); // the first lint loads the config and the TypeScript parser
    await lint('src/x.ts', '');
  });

  for (const { file, code, form, errors } of broken) {
    const specifier = /'([^']+)'/.exec(code)?.[1];
    it(`${file} importing '${specifier}'${form ? ` (${form})` : ''} fails lint with the layer rule it breaks`, async () => {
      const messages = await lint(file, code);
      const layer = messages.filter((m) => m.ruleId !== null && LAYER_RULES.has(m.ruleId));
      assert.equal(layer.length, errors.length, messages.map((m) => `${m.ruleId}: ${m.message}`).join('\n') || 'no lint messages');
      errors.forEach((phrase, i) => {
        assert.equal(layer[i].severity, 2);
        assert.ok(layer[i].message.includes(phrase), `expected "${phrase}" in: ${layer[i].message}`);
        assert.ok(layer[i].message.includes('Layer rule:'), layer[i].message);
      });
    });
  }

  for (const { file, specifiers } of allowed) {
    for (const specifier of specifiers) {
      it(`${file} may import '${specifier}'`, async () => {
        const messages = await lint(file, importing(specifier));
        assert.deepEqual(messages.map((m) => `${m.ruleId}: ${m.message}`), []);
      });
    }
  }
});
