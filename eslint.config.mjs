// Lint is part of `npm test`, and it holds the code's layers by machine rather than by memory. Why the layers:
// - src/core/domain.ts is the leaf model (turns, quotes, error kinds): it imports nothing, so every layer can share it
//   without dragging anything else along.
// - src/core never sees the VS Code API or the code above it, so it runs (and is unit-tested) under plain Node.
// - src/protocol is the contract compiled into both the extension host and the browser webview, so it may lean on
//   the leaf model alone.
// - src/webview runs in the webview's browser sandbox: it talks to the host only through the validated protocol, and
//   every outside library it pulls in is a deliberate choice (an allow-list below).
// - Nothing under src/ ships test code.
// The rule is typescript-eslint's no-restricted-imports (ESLint's own, plus `import x = require()`): no new dependency.
// It reads import strings, not resolved paths: relative imports must be canonical (no `x/../`, `./.`), and
// each file's depth below its layer decides how many `../` leave that layer. test/unit/layers.test.ts proves each
// rule fires.
import tseslint from 'typescript-eslint';

// Folders below src/ that the layer rules know; a deeper file fails lint until this grows.
const MAX_DEPTH = 4;
const up = (n) => '(?:\\.\\./)'.repeat(n);
// A specifier that climbs out of the folder `depth` levels above the importing file, unless what follows is `except`.
const leaves = (depth, except) => `^${up(depth)}\\.\\.(?:$|/(?!${except}))`;
const restricted = (regex, message) => ({ regex, caseSensitive: true, message });
const at = (root, depth) => `${root}/${'*/'.repeat(depth)}*.ts`;

const canonical = restricted(
  '^/|(?:^|/)(?!\\.\\.(?:/|$))[^/]+/\\.\\.(?:/|$)|/\\.(?:/|$)',
  'Layer rule: write relative imports in canonical form (`./x`, `../x`), never absolute or with `x/../` or `/./`. The layer rules read the import string, so a roundabout path could slip past them.',
);
// `srcDepth`: how many folders the importing file sits below src/.
const noTest = (srcDepth) =>
  restricted(
    `^${up(srcDepth + 1)}test(?:/|$)`,
    'Layer rule: nothing in src/ imports test/. Test helpers must not ship in the extension; move what is shared into src/ and let the test import it from there.',
  );

/** One config per depth, so each file's patterns know how many `../` leave its layer. */
function layer(root, { paths = [], patterns }) {
  const rootDepth = root.split('/').length - 1;
  return Array.from({ length: MAX_DEPTH - rootDepth + 1 }, (_, depth) => ({
    files: [at(root, depth)],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns: [canonical, noTest(rootDepth + depth), ...patterns(depth)] }],
    },
  }));
}

// After leaving a layer directly below src/, `../test` reaches test/: that case gets the test/ message instead.
const intoTest = '\\.\\./test(?:/|$)';
// Dynamic forms escape the import-string check, so the layered folders use static imports only.
const staticImportsOnly = {
  files: ['src/core/**/*.ts', 'src/protocol/**/*.ts', 'src/webview/**/*.ts'],
  rules: {
    'no-restricted-syntax': [
      'error',
      ...['ImportExpression', 'TSImportType', 'CallExpression[callee.name="require"]'].map((selector) => ({
        selector,
        message: 'Layer rule: src/core, src/protocol and src/webview use static `import` declarations only; import(), require() and import types would slip past the layer rules.',
      })),
    ],
  },
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', '*.vsix'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      eqeqeq: ['error', 'always'],
    },
  },
  // Adapters (the rest of src/) may import core, protocol and vscode; only test/ is off limits.
  ...layer('src', { patterns: () => [] }),
  ...layer('src/core', {
    paths: [
      {
        name: 'vscode',
        message: 'Layer rule: src/core must not import vscode. Core runs and is unit-tested under plain Node; use the VS Code API in an adapter under src/ and pass core what it needs.',
      },
    ],
    patterns: (depth) => [
      restricted(
        leaves(depth, intoTest),
        'Layer rule: src/core imports only src/core (plus Node builtins and the npm packages on its allow-list). It sits below the protocol, the webview and the adapters; move the shared piece into src/core, or pass it in from the adapter.',
      ),
      restricted(
        '^(?![./]|vscode$|node:|openai(?:/|$)|minisearch$|fuzzysort$)',
        'Layer rule: src/core imports from outside only Node builtins (as `node:x`) and the libraries on the allow-list in eslint.config.mjs (openai, minisearch, fuzzysort). Add a library there on purpose, not by accident.',
      ),
    ],
  }),
  {
    files: ['src/core/domain.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            restricted(
              '^', // every specifier
              'Layer rule: src/core/domain.ts is the leaf model and imports nothing at all, so every layer (core, protocol, webview, adapters) can depend on it without pulling anything else in.',
            ),
          ],
        },
      ],
    },
  },
  ...layer('src/protocol', {
    patterns: (depth) => [
      restricted(
        '^[^./]',
        'Layer rule: src/protocol imports no package at all (no vscode, no Node builtins, no npm packages). It is compiled into both the extension host and the browser webview, so it must run in both.',
      ),
      restricted(
        leaves(depth, `${intoTest}|core/domain(?:\\.js)?$`),
        'Layer rule: outside its own folder src/protocol imports only src/core/domain.ts, the leaf model. Any other module would drag host code into the webview bundle; put the shared type in domain.ts or define a transfer type in src/protocol.',
      ),
    ],
  }),
  ...layer('src/webview', {
    paths: [
      {
        name: 'vscode',
        message: 'Layer rule: src/webview must not import vscode. It runs in the webview\'s browser sandbox, where that API does not exist; talk to the host with protocol messages (src/webview/vscodeApi.ts).',
      },
    ],
    patterns: (depth) => [
      restricted(
        '^(?![./]|vscode$|marked$|dompurify$|highlight\\.js(?:/|$)|virtual:codicons$)',
        'Layer rule: src/webview runs in the browser: no Node builtins (node:*), and from outside only the browser libraries on the allow-list in eslint.config.mjs (marked, dompurify, highlight.js, virtual:codicons). Add a library there on purpose, not by accident.',
      ),
      restricted(
        leaves(depth, `${intoTest}|protocol/`),
        'Layer rule: src/webview reaches host code only through src/protocol. Importing src/core or an adapter would put host code into the browser bundle and bypass the validated messages; send what the webview needs as a protocol message.',
      ),
    ],
  }),
  staticImportsOnly,
  {
    files: [`src/${'*/'.repeat(MAX_DEPTH + 1)}**/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [restricted('^', `Layer rule: this file sits deeper below src/ than the layer rules know; raise MAX_DEPTH in eslint.config.mjs.`)] },
      ],
    },
  },
);
