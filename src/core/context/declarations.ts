// Where functions, classes and methods begin, seen line by line from keywords and indentation alone: no parser per
// language, so it is cheap enough for thousands of files, and a miss only costs a less tidy chunk boundary.

export interface Declaration {
  readonly name: string;
  /** Leading whitespace, a tab counted as four: a smaller indent is an outer level of structure. */
  readonly indent: number;
}

const NAME = '[\\p{L}_$][\\p{L}\\p{N}_$]*';
const MODIFIERS =
  '(?:(?:export|default|declare|public|private|protected|internal|static|final|abstract|async|override|virtual|sealed|partial|readonly|unsafe|extern|inline|open|suspend|pub(?:\\([\\w:]+\\))?)\\s+)*';

const DECLARATIONS: readonly RegExp[] = [
  // function (JS/TS/PHP), fn (Rust), fun (Kotlin), def (Python/Ruby), func (Go/Swift, with a Go receiver)
  new RegExp(`^${MODIFIERS}(?:function\\*?|fn|fun|def|func)\\s+(?:\\([^)]*\\)\\s*)?(?:self\\.)?(?<name>${NAME}[?!]?)`, 'u'),
  new RegExp(
    `^${MODIFIERS}(?:class|interface|trait|struct|enum|module|namespace|impl(?:<[^>]*>)?|object|type|record|protocol|extension|union)\\s+(?<name>${NAME})`,
    'u',
  ),
  // const retry = async (…) => …, const Foo = class …, var f = function …
  new RegExp(
    `^${MODIFIERS}(?:const|let|var)\\s+(?<name>${NAME})\\s*(?::[^=]+)?=\\s*(?:async\\s+)?(?:function|class|\\([^)]*\\)\\s*(?::[^=]+)?=>|${NAME}\\s*=>)`,
    'u',
  ),
  // A method or C-family function: optional return type, name, parameters, then `{`, `)` or `,` at the line's end
  // (a body follows, or the parameters go on). A statement ends with `;` instead.
  new RegExp(
    `^${MODIFIERS}(?:(?:get|set)\\s+|\\*\\s*)?(?:[\\w<>\\[\\],.*&?]+\\s+)*?\\**(?:${NAME}::)*(?<name>~?${NAME})\\s*(?:<[^>]*>)?\\s*\\(.*[{),]\\s*$`,
    'u',
  ),
];

/** Words that begin a statement rather than a declaration, and that stand before `(` without declaring anything. */
const STATEMENTS = new Set(
  'if for foreach while do switch case catch try finally return with elif else new await yield throw raise typeof sizeof super this using lock fixed unless until match when goto echo puts'.split(
    ' ',
  ),
);
/** Declarations sit on short lines; a long one is data or minified code, and the patterns would only cost time. */
const MAX_DECLARATION_CHARS = 300;
const FIRST_WORD = /^[\p{L}_$]+/u;
const MARKDOWN_HEADING = /^#{1,6}\s+(?<name>\S.*?)\s*#*\s*$/;
const LEADING_WHITESPACE = /^[ \t]*/;

/** The declaration a line begins, if any. In Markdown a heading is the declaration of its section. */
export function declarationAt(line: string, markdown: boolean): Declaration | undefined {
  const code = line.trim();
  if (code === '' || code.length > MAX_DECLARATION_CHARS) return undefined;
  const name = markdown ? MARKDOWN_HEADING.exec(code)?.groups?.name : declaredName(code);
  return name === undefined ? undefined : { name, indent: indentOf(line) };
}

function declaredName(code: string): string | undefined {
  if (code.endsWith(';') || isCommentOrDecorator(code)) return undefined;
  if (STATEMENTS.has(FIRST_WORD.exec(code)?.[0] ?? '')) return undefined;
  for (const pattern of DECLARATIONS) {
    const name = pattern.exec(code)?.groups?.name;
    if (name !== undefined) return STATEMENTS.has(name) || name === 'function' ? undefined : name;
  }
  return undefined;
}

function indentOf(line: string): number {
  const whitespace = LEADING_WHITESPACE.exec(line)?.[0] ?? '';
  return whitespace.length + 3 * (whitespace.split('\t').length - 1);
}

/** A comment or decorator line: it belongs to the declaration below it. A `#` followed by a letter is a C
 *  preprocessor line, not a comment. */
export function isCommentOrDecorator(line: string): boolean {
  return /^\s*(?:\/\/|\/\*|\*|#(?![a-z])|@|--)/.test(line);
}
