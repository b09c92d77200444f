/**
 * Does an answer without a code block read as code? A cheap, line-by-line judgement, deliberately conservative: one
 * line that reads as an English sentence makes the whole answer prose (not applied), and code needs positive
 * evidence (code punctuation, a keyword, a declaration), not just the absence of sentences. Lines inside comments,
 * docstrings and block strings are neither. It is a fold over complete lines, so a streamed answer is judged exactly
 * as the finished one.
 */
export type LineKind = 'blank' | 'code' | 'comment' | 'prose' | 'neutral';

/** Languages whose text is prose: any non-empty answer is their "code". */
const PROSE_LANGUAGES = new Set(['markdown', 'plaintext', 'restructuredtext', 'asciidoc', 'latex', 'tex', 'text']);
const HASH_COMMENT_LANGUAGES = new Set([
  'python', 'shellscript', 'ruby', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell', 'coffeescript',
  'julia', 'elixir', 'nim', 'crystal', 'tcl', 'ini', 'properties', 'cmake', 'graphql', 'terraform', 'nix', 'raku',
]);
const DASH_COMMENT_LANGUAGES = new Set(['sql', 'lua', 'haskell', 'elm', 'ada', 'vhdl', 'applescript']);
const SHELL_LANGUAGES = new Set(['shellscript', 'powershell', 'bat', 'dockerfile', 'makefile']);

const KEYWORDS = new Set(
  (
    'abstract async await break case catch class const continue def default defer del delete do elif else end enum ' +
    'except export extends extern final finally fn for foreach from func function go if impl implements import in ' +
    'include interface internal let loop match module mod namespace new package pass private protected pub public ' +
    'raise require return select static struct super switch template then throw throws trait try type typedef union ' +
    'unless until use using val var void while with yield fi done esac elsif begin rescue ensure lambda local ' +
    'SELECT INSERT UPDATE DELETE CREATE ALTER DROP WITH FROM WHERE BEGIN END DECLARE'
  ).split(' '),
);

/** Common English words, counted only in lower case: a code line's keywords rarely come in pairs of these. */
const ENGLISH = new Set(
  (
    "the a an is are was were be been this that these those it its you your we our i to of and or but in on at for " +
    "with as by from here here's there it's now will would can could should has have had not no so if then than " +
    'which what when how also just more all any some each into only very they them their please sure code function ' +
    "change changes changed updated version following below above let's i've i'll"
  ).split(' '),
);

/** Characters that do not occur in an English sentence but do in code. */
const CODE_CHARS = /[;{}=<>|&$\\]/;

export class CodeJudge {
  private readonly proseLanguage: boolean;
  private blockEnd: string | undefined;
  private counts = { nonEmpty: 0, code: 0, prose: 0, neutral: 0, chars: 0 };

  constructor(private readonly languageId: string) {
    this.proseLanguage = PROSE_LANGUAGES.has(languageId);
  }

  /** Judges one complete line (without its line ending) and keeps the count. */
  add(line: string): LineKind {
    const kind = this.classify(line);
    this.counts.chars += line.length + 1;
    if (kind !== 'blank') this.counts.nonEmpty++;
    if (kind === 'code' || kind === 'prose' || kind === 'neutral') this.counts[kind]++;
    return kind;
  }

  /** A prose line has been seen: whatever follows, the answer cannot read as code. */
  get sawProse(): boolean {
    return !this.proseLanguage && this.counts.prose > 0;
  }

  /** No sentence, some code, and at least twice as many code lines as lines that are neither (`Sure thing`). */
  readsAsCode(): boolean {
    const { nonEmpty, code, prose, neutral } = this.counts;
    if (this.proseLanguage) return nonEmpty > 0;
    return prose === 0 && code > 0 && code >= 2 * neutral;
  }

  /** Enough has arrived to stream it as code: 3 non-empty lines or 400 characters. */
  enoughToJudge(): boolean {
    return this.counts.nonEmpty >= 3 || this.counts.chars >= 400;
  }

  private classify(line: string): LineKind {
    const text = line.trim();
    if (!text) return 'blank';
    if (this.blockEnd !== undefined) {
      if (text.includes(this.blockEnd)) this.blockEnd = undefined;
      return 'comment';
    }
    if (this.opensBlock(text) || /^("""|''')/.test(text)) return 'comment';
    if (this.isLineComment(text)) return 'comment';
    // Indented lines are never sentences: chatter starts at the margin, indented text lives inside code.
    if (line[0] !== ' ' && line[0] !== '\t' && isSentence(text)) return 'prose';
    return this.isCode(text) ? 'code' : 'neutral';
  }

  /**
   * `/*` without its end (not in `#`-comment languages, where it is a path glob), `<!--` without its end, or an odd
   * number of `"""` / `'''` (a docstring or block string opens). The line itself is a comment when it starts so.
   */
  private opensBlock(text: string): boolean {
    const pairs: [string, string][] = [['<!--', '-->'], ['"""', '"""'], ["'''", "'''"]];
    if (!HASH_COMMENT_LANGUAGES.has(this.languageId)) pairs.push(['/*', '*/']);
    for (const [open, close] of pairs) {
      const at = text.indexOf(open);
      if (at < 0) continue;
      const closed = open === close ? text.split(open).length % 2 === 1 : text.includes(close, at + open.length);
      if (closed) continue;
      this.blockEnd = close;
      return at === 0;
    }
    return false;
  }

  private isLineComment(text: string): boolean {
    // (A `* ` line is a comment only inside `/* … */`, which opensBlock follows; outside, it is a Markdown bullet.)
    if (/^(\/\/|\/\*|\*\/|<!--)/.test(text)) return true;
    if (HASH_COMMENT_LANGUAGES.has(this.languageId) && text.startsWith('#')) return true;
    if (DASH_COMMENT_LANGUAGES.has(this.languageId) && text.startsWith('--')) return true;
    return (this.languageId === 'bat' && /^(rem\b|::)/i.test(text)) || (this.languageId === 'ini' && text.startsWith(';'));
  }

  private isCode(text: string): boolean {
    if (/[;{}()[\]=<>]/.test(text) || /[:,\\]$/.test(text) || /^[@#]\w/.test(text)) return true;
    if (/^\w+(\.\w+)+/.test(text) || /=>|->|::|\+\+|--|&&|\|\|/.test(text)) return true;
    const first = /^[A-Za-z_]+/.exec(text)?.[0];
    if (first && KEYWORDS.has(first)) return true;
    if (this.languageId === 'yaml' && /^(- |[\w"'.-]+\s*:(\s|$))/.test(text)) return true;
    // A shell command line: a lower-case command and its arguments.
    return SHELL_LANGUAGES.has(this.languageId) && /^[a-z_./][\w./-]*(\s|$)/.test(text);
  }
}

/** Judges a whole text at once (the same fold as streaming). */
export function readsAsCode(text: string, languageId: string): boolean {
  const judge = new CodeJudge(languageId);
  for (const line of text.split('\n')) judge.add(line.replace(/\r$/, ''));
  return judge.readsAsCode();
}

/**
 * A sentence: starts with a capital (or a Markdown heading, list or quote marker), has no code punctuation, is made
 * of words, and either ends like a sentence or carries at least two common English words. Inline code spans
 * (`` `x` ``) count as words. Lines mostly in a script without case (Chinese, Japanese, Korean) count by share.
 */
export function isSentence(text: string): boolean {
  const plain = text.replace(/`[^`]*`/g, 'x');
  if (CODE_CHARS.test(plain)) return false;
  if (isMostlyCjk(plain)) return true;
  const marker = /^(#{1,6}\s+|[-*+]\s+|\d{1,3}[.)]\s+|>\s*)/.exec(plain)?.[0] ?? '';
  const body = plain.slice(marker.length).replace(/^[*_"'“(]+/, '');
  const words: string[] = body.match(/\p{L}[\p{L}'’-]*/gu) ?? [];
  if (!words.length || !/^\p{L}/u.test(body)) return false;
  const capital = /^\p{Lu}/u.test(body);
  if (!capital && !marker) return false;
  const letters = (body.match(/[\p{L}\s'’,.!?:-]/gu) ?? []).length;
  if (letters < 0.8 * body.length) return false;
  const endsLikeSentence = /[.!?:]["'”)*_]*$/.test(body);
  // `Done.`, `Sure!` and `Try this:`: a short interjection is prose too.
  if (endsLikeSentence && /^[\p{L}\s'’,]+[.!?:]$/u.test(body)) return true;
  if (words.length < 3) return false;
  const [first, ...rest] = words;
  const english = rest.filter((w) => ENGLISH.has(w)).length + (ENGLISH.has(first.toLowerCase()) ? 1 : 0);
  return endsLikeSentence || english >= 2;
}

function isMostlyCjk(text: string): boolean {
  const visible = text.replace(/\s/g, '');
  const cjk = (visible.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu) ?? []).length;
  return cjk > 0 && cjk >= 0.6 * visible.length && !/[()"'`]/.test(visible);
}
