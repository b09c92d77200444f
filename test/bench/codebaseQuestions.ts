/**
 * The labelled questions of `npm run bench -- --only codebase` (keyword recall@5 of the @codebase index): what a
 * developer would ask about the sources in node_modules, each with the file(s) that answer it, relative to
 * node_modules. Written by reading those files (not generated from their identifiers): about half name an identifier
 * or the package, the rest describe the behaviour in other words. Where a package ships the same code more than once
 * (CommonJS and ESM builds, a one-file bundle, a copy nested under another package), every copy is an answer. The
 * bench checks at start-up that every answer is a file of its corpus, so an upgrade that moves one fails loudly.
 */
export interface CodebaseQuestion {
  readonly question: string;
  readonly answers: readonly string[];
}

const MINIMATCH_COPIES = ['', '@eslint/config-array/node_modules/', '@typescript-eslint/typescript-estree/node_modules/', 'eslint/node_modules/'];

export const QUESTIONS: readonly CodebaseQuestion[] = [
  {
    question: 'where does minimatch turn a glob pattern into a regular expression?',
    answers: [
      ...MINIMATCH_COPIES.flatMap((at) => [`${at}minimatch/dist/commonjs/index.js`, `${at}minimatch/dist/esm/index.js`]),
      'minimatch/dist/commonjs/ast.js',
      'minimatch/dist/esm/ast.js',
    ],
  },
  { question: 'how do I bump a version to the next prerelease, like 1.2.3 to 1.2.4-beta.0?', answers: ['semver/classes/semver.js', 'semver/functions/inc.js'] },
  { question: "make a valid semver out of a sloppy version string such as 'v2' or 'version 1.2 beta'", answers: ['semver/functions/coerce.js'] },
  { question: 'check whether every version allowed by one range is also allowed by another range', answers: ['semver/ranges/subset.js'] },
  {
    question: 'the Myers algorithm that finds the shortest edit script between the old and new tokens',
    answers: ['diff/libcjs/diff/base.js', 'diff/libesm/diff/base.js', 'diff/dist/diff.js'],
  },
  {
    question: 'apply a unified patch to a file even when the hunk context has moved (fuzz factor)',
    answers: ['diff/libcjs/patch/apply.js', 'diff/libesm/patch/apply.js', 'diff/dist/diff.js'],
  },
  {
    question: 'expand brace patterns such as {a,b,c} and {1..10} into a list of strings',
    answers: ['braces/lib/expand.js', 'braces/index.js', 'brace-expansion/dist/commonjs/index.js', 'brace-expansion/dist/esm/index.js'],
  },
  {
    question: 'find the directory part of a glob pattern before the first wildcard',
    answers: ['glob-parent/index.js', 'picomatch/lib/scan.js', 'tinyglobby/node_modules/picomatch/lib/scan.js', 'fast-glob/out/utils/pattern.js'],
  },
  { question: 'when a user mistypes a subcommand, where is the "did you mean" suggestion computed?', answers: ['commander/lib/suggestSimilar.js'] },
  { question: 'escape command arguments so they survive being passed through cmd.exe on Windows', answers: ['cross-spawn/lib/util/escape.js'] },
  { question: 'read the #! line at the top of a script to find which interpreter runs it', answers: ['cross-spawn/lib/util/readShebang.js', 'shebang-command/index.js'] },
  { question: 'how does the debug logger give each namespace its own stable colour?', answers: ['debug/src/common.js'] },
  { question: "convert a human duration like '2 days' or '1.5h' into milliseconds", answers: ['ms/index.js'] },
  { question: 'where is the limit on how deeply nested keys like a[b][c][d] are parsed from a query string?', answers: ['qs/lib/parse.js'] },
  { question: 'qs stringify: write arrays in the query string as brackets, indices or repeated keys (arrayFormat)', answers: ['qs/lib/stringify.js'] },
  {
    question: 'how is a YAML timestamp recognised and turned into a Date?',
    answers: ['js-yaml/lib/type/timestamp.js', 'js-yaml/dist/js-yaml.js', 'js-yaml/dist/js-yaml.mjs', 'mocha/node_modules/js-yaml/dist/js-yaml.cjs.js', 'mocha/node_modules/js-yaml/dist/js-yaml.mjs'],
  },
  { question: 'JSON5 stringify: how does it choose between single and double quotes for a string?', answers: ['json5/lib/stringify.js', 'json5/dist/index.js', 'json5/dist/index.mjs'] },
  { question: 'break a word that is too long for a table cell into pieces that fit the column width', answers: ['table/dist/src/wrapWord.js', 'table/dist/src/wrapString.js'] },
  { question: 'predefined border styles such as honeywell, norc and ramac for drawing tables', answers: ['table/dist/src/getBorderCharacters.js'] },
  { question: 'look up an executable on the PATH, trying each PATHEXT extension on Windows', answers: ['which/which.js', 'cross-spawn/lib/util/resolveCommand.js'] },
  { question: 'irregular plural forms such as person → people and child → children', answers: ['pluralize/pluralize.js', '@textlint/linter-formatter/node_modules/pluralize/pluralize.js'] },
  { question: 'strip or prepend the byte order mark when decoding or encoding text', answers: ['iconv-lite/lib/bom-handling.js'] },
  { question: 'generate a random temporary file name and delete the file again when the process exits', answers: ['tmp/lib/tmp.js'] },
  { question: 'reject a JSON web token that has expired or is not valid yet, allowing for clock skew', answers: ['jsonwebtoken/verify.js'] },
  { question: 'convert an ECDSA signature from DER encoding to the raw r and s format that JOSE uses', answers: ['ecdsa-sig-formatter/src/ecdsa-sig-formatter.js'] },
  { question: 'retry opening files later when the process runs out of file descriptors (EMFILE)', answers: ['graceful-fs/graceful-fs.js'] },
  { question: 'check the checksum of a tar header and decode its ustar fields', answers: ['tar-stream/headers.js'] },
  { question: 'build a multipart/form-data request body with a random boundary', answers: ['form-data/lib/form_data.js', 'undici/lib/web/fetch/body.js'] },
  { question: 'wait until a file has stopped growing before the watcher reports it as added or changed', answers: ['chokidar/index.js'] },
  { question: 'read the central directory of a zip file to list its entries', answers: ['yauzl/index.js', 'jszip/lib/zipEntries.js'] },
  { question: 'run async functions with at most N of them in flight at the same time', answers: ['p-limit/index.js', 'p-map/index.js'] },
  { question: 'detect how many colours the terminal supports from COLORTERM, TERM and CI variables', answers: ['supports-color/index.js', 'mocha/node_modules/supports-color/index.js'] },
  { question: 'width of a string in terminal columns, counting East Asian wide characters as two', answers: ['string-width/index.js', 'ora/node_modules/string-width/index.js', 'get-east-asian-width/index.js', 'get-east-asian-width/lookup.js'] },
  { question: "open a URL in the user's default browser on macOS, Windows and Linux", answers: ['open/index.js'] },
  { question: 'circuit breaker: when does it let one trial call through after opening (half-open)?', answers: ['cockatiel/dist/CircuitBreakerPolicy.js', 'cockatiel/dist/esm/CircuitBreakerPolicy.js'] },
  { question: 'in undici, where is a failed request retried with exponential backoff, honouring Retry-After?', answers: ['undici/lib/handler/retry-handler.js'] },
  { question: 'parse a Set-Cookie header into the cookie name, value and attributes', answers: ['undici/lib/web/cookies/parse.js'] },
  { question: 'decode the server-sent events of a streamed OpenAI response into chunks', answers: ['openai/src/core/streaming.ts', 'openai/core/streaming.js', 'openai/core/streaming.mjs'] },
  { question: 'replace straight quotes with typographic curly quotes when rendering markdown', answers: ['markdown-it/lib/rules_core/smartquotes.mjs', 'markdown-it/dist/index.cjs.js'] },
  { question: 'debounce a function with leading and trailing calls and a maxWait', answers: ['lodash/debounce.js'] },
  { question: 'deep clone that also copies typed arrays, maps, sets and buffers', answers: ['lodash/_baseClone.js'] },
  { question: 'syntax highlighting rules for Rust code', answers: ['highlight.js/lib/languages/rust.js', 'highlight.js/es/languages/rust.js'] },
  { question: 'lint rule that reports promises which are neither awaited nor handled', answers: ['@typescript-eslint/eslint-plugin/dist/rules/no-floating-promises.js'] },
  { question: 'lint rule that requires === and !== instead of == and !=', answers: ['eslint/lib/rules/eqeqeq.js'] },
  {
    question: 'turn .gitignore patterns into matchers, including negated patterns with !',
    answers: ['ignore/index.js'],
  },
  { question: "sort strings so that 'file10' comes after 'file9'", answers: ['natural-compare/index.js'] },
  { question: 'Levenshtein edit distance between two strings', answers: ['leven/index.js', 'fast-levenshtein/levenshtein.js', 'commander/lib/suggestSimilar.js'] },
  {
    question: 'fuzzy search over the terms of a radix tree within a maximum edit distance',
    answers: ['minisearch/dist/es/SearchableMap.js', 'minisearch/dist/cjs/SearchableMap.cjs', 'minisearch/dist/umd/SearchableMap.js', 'minisearch/dist/es/index.js', 'minisearch/dist/cjs/index.cjs', 'minisearch/dist/umd/index.js'],
  },
  { question: 'compute the text edits that re-indent a JSON document with comments', answers: ['jsonc-parser/lib/esm/impl/format.js', 'jsonc-parser/lib/umd/impl/format.js'] },
  {
    question: 'HTML tokenizer state machine that reads tags, attributes and comments',
    answers: ['htmlparser2/src/Tokenizer.ts', 'htmlparser2/dist/commonjs/Tokenizer.js', 'htmlparser2/dist/esm/Tokenizer.js', 'parse5/dist/tokenizer/index.js', 'parse5/dist/cjs/tokenizer/index.js'],
  },
];
