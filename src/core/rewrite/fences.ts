/**
 * CommonMark fenced code blocks (spec 0.31, section 4.5), one line at a time, so that a streamed answer and a
 * finished one are read by the same rules. Lines are given without their line ending. Only fences at the top level
 * of the answer are recognised (and, since a list item's content is indented by at most 3 spaces in practice, those
 * of a list item too); a fence inside a block quote is not.
 */
export interface Fence {
  readonly char: '`' | '~';
  /** Length of the opening run: the closing run must be at least as long. */
  readonly length: number;
  /** Spaces before the opening run: content lines lose up to this many spaces. */
  readonly indent: number;
  /** The info string, trimmed (`ts title="a"`). */
  readonly info: string;
}

/** Up to 3 spaces, then 3 or more backticks or tildes, then the info string (`[^]` since `.` stops at a lone CR). */
const OPENING = /^( {0,3})(`{3,}|~{3,})([^]*)$/;

export function openingFence(line: string): Fence | undefined {
  const match = OPENING.exec(line);
  if (!match) return undefined;
  const [, indent, run, rest] = match;
  const char = run[0] as '`' | '~';
  // A backtick fence's info string may not contain a backtick (that line is inline code, not a fence).
  if (char === '`' && rest.includes('`')) return undefined;
  return { char, length: run.length, indent: indent.length, info: rest.trim() };
}

/** Up to 3 spaces, a run of the opener's character at least as long as it, then only spaces or tabs. */
export function closesFence(line: string, fence: Fence): boolean {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  let run = 0;
  while (line[i + run] === fence.char) run++;
  if (run < fence.length) return false;
  for (let j = i + run; j < line.length; j++) if (line[j] !== ' ' && line[j] !== '\t') return false;
  return true;
}

/** A content line loses up to the opener's indentation (spaces only); its line ending, if any, stays. */
export function fenceContent(line: string, fence: Fence): string {
  let i = 0;
  while (i < fence.indent && line[i] === ' ') i++;
  return i ? line.slice(i) : line;
}

/** The block's language: the info string's first word, lower-cased (`ts title="a"` → `ts`, `js:app.js` → `js`). */
export function blockLanguage(info: string): string {
  const word = info.split(/[\s{]/, 1)[0] ?? '';
  return word.split(/[:,]/, 1)[0].toLowerCase();
}

/** Each group names one language: VS Code language ids and the fence names models write for it. */
const LANGUAGE_GROUPS: readonly (readonly string[])[] = [
  ['typescript', 'ts', 'tsx', 'typescriptreact', 'mts', 'cts'],
  ['javascript', 'js', 'jsx', 'javascriptreact', 'mjs', 'cjs', 'node'],
  ['python', 'py', 'python3', 'py3'],
  ['shellscript', 'sh', 'bash', 'shell', 'zsh', 'ksh'],
  ['cpp', 'c', 'c++', 'cc', 'cxx', 'h', 'hpp', 'hh', 'cuda-cpp', 'cuda'],
  ['csharp', 'cs', 'c#'],
  ['rust', 'rs'],
  ['yaml', 'yml'],
  ['markdown', 'md'],
  ['ruby', 'rb'],
  ['go', 'golang'],
  ['kotlin', 'kt', 'kts'],
  ['powershell', 'ps1', 'pwsh', 'ps'],
  ['json', 'jsonc', 'json5'],
  ['html', 'htm', 'xhtml'],
  ['sql', 'mysql', 'postgresql', 'postgres', 'pgsql', 'plsql', 'tsql', 'sqlite'],
  ['dockerfile', 'docker'],
  ['makefile', 'make', 'mk'],
  ['perl', 'pl'],
  ['bat', 'cmd', 'batch'],
  ['xml', 'xsl', 'xslt', 'svg'],
  ['latex', 'tex'],
  ['objective-c', 'objc', 'objectivec'],
  ['fsharp', 'fs', 'f#'],
  ['vb', 'vbnet', 'vb.net'],
  ['haskell', 'hs'],
  ['clojure', 'clj', 'cljs'],
  ['elixir', 'ex', 'exs'],
  ['erlang', 'erl'],
  ['terraform', 'tf', 'hcl'],
  ['graphql', 'gql'],
  ['proto3', 'proto', 'protobuf'],
  ['plaintext', 'text', 'txt', 'plain'],
];

const CANONICAL = new Map<string, string>(LANGUAGE_GROUPS.flatMap((group) => group.map((name) => [name, group[0]] as const)));

function canonical(name: string): string {
  const lower = name.toLowerCase();
  return CANONICAL.get(lower) ?? lower;
}

/** Whether a block's language (from its info string) is the document's language (a VS Code language id). */
export function sameLanguage(language: string, languageId: string): boolean {
  return language !== '' && canonical(language) === canonical(languageId);
}
