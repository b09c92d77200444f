// Words of code and prose as keyword search sees them. Code names things in compounds (`retryDelaySeconds`,
// `parse_http_request`) while questions use the plain words ("retry delay"), so both the compound and its parts are
// terms: the parts find the code from a question, the compound (of a declared name or a path) finds an exact name.

/** A word: letters, digits, `_` and `$`, with kebab-case joins (`retry-delay`) kept in one word. */
const WORD = /[\p{L}\p{M}\p{N}_$]+(?:-(?=[\p{L}_$])[\p{L}\p{M}\p{N}_$]+)*/gu;
/** The parts of a word: an acronym (`HTTP` in `HTTPRequest`), a capitalized or lower-case run with its trailing
 *  digits (`Request`, `v2`, `utf8`), a number, or a run of letters without case (CJK, marks). */
const PART = /\p{Lu}+(?!\p{Ll})\p{N}*|\p{Lu}?\p{Ll}+\p{N}*|\p{N}+|[^\p{Lu}\p{Ll}\p{N}_$-]+/gu;
const SEPARATORS_AT_ENDS = /^[_$-]+|[_$-]+$/g;
/** Single characters match everything and long runs are hashes or data: neither finds code. */
const MIN_TERM_LENGTH = 2;
const MAX_TERM_LENGTH = 64;

/**
 * Lower-cased terms of code or prose: each word whole (without leading or trailing `_`, `$`, `-`), then its parts
 * when it has several, split at camelCase, PascalCase, snake_case and kebab-case joins — "parseHTTPRequest_v2" gives
 * parsehttprequest_v2, parse, http, request, v2. Repeats are kept: how often a term occurs is part of its weight.
 * `compounds: false` leaves out the whole of a compound word (its parts are enough to find a body of code, and every
 * distinct name would otherwise be a term of its own in the index).
 */
export function searchTerms(text: string, { compounds = true }: { readonly compounds?: boolean } = {}): string[] {
  const terms: string[] = [];
  for (const [word] of text.matchAll(WORD)) {
    const whole = word.replace(SEPARATORS_AT_ENDS, '');
    const parts = whole.match(PART) ?? [];
    if (compounds && (parts.length !== 1 || parts[0] !== whole)) addTerm(terms, whole);
    for (const part of parts) addTerm(terms, part);
  }
  return terms;
}

function addTerm(terms: string[], term: string): void {
  if (term.length >= MIN_TERM_LENGTH && term.length <= MAX_TERM_LENGTH) terms.push(term.toLowerCase());
}

/**
 * Words that say nothing about which code is meant: English function words of a question ("where is the …") and
 * keywords that nearly every chunk of some language holds. Dropping them keeps the index small and a question's
 * real words in charge of the ranking.
 */
const STOP_TERMS = new Set([
  ...['a', 'about', 'all', 'an', 'and', 'any', 'are', 'as', 'at', 'be', 'been', 'being', 'by', 'can', 'could', 'did'],
  ...['do', 'does', 'done', 'for', 'from', 'had', 'has', 'have', 'how', 'i', 'if', 'in', 'into', 'is', 'it', 'its'],
  ...['me', 'my', 'no', 'not', 'of', 'on', 'or', 'our', 'should', 'so', 'some', 'than', 'that', 'the', 'their'],
  ...['them', 'then', 'there', 'these', 'they', 'this', 'those', 'to', 'was', 'we', 'were', 'what', 'when', 'where'],
  ...['which', 'while', 'who', 'whom', 'why', 'will', 'with', 'would', 'you', 'your', 'also', 'another', 'anything'],
  ...['both', 'each', 'either', 'even', 'every', 'happen', 'happens', 'just', 'like', 'more', 'most', 'much'],
  ...['neither', 'nor', 'one', 'ones', 'only', 'other', 'out', 'same', 'something', 'such', 'thing', 'things', 'up'],
  ...['very', 'way', 'whether', 'whose', 'without'],
  ...['async', 'await', 'break', 'case', 'catch', 'const', 'continue', 'def', 'elif', 'else', 'export', 'false'],
  ...['finally', 'function', 'import', 'instanceof', 'let', 'new', 'none', 'null', 'pass', 'private', 'protected'],
  ...['public', 'require', 'return', 'self', 'static', 'switch', 'throw', 'true', 'try', 'typeof', 'undefined'],
  ...['var', 'void'],
]);

/**
 * The form a term is indexed and searched under, or undefined for a stop term. A light suffix stemmer makes
 * "computed", "computes", "computing" and "compute" one term, and "suggestion" one with "suggest" (a question names
 * the action, the code the verb); it runs on both sides, so an exact name still matches itself exactly.
 */
export function indexedTerm(term: string): string | undefined {
  return STOP_TERMS.has(term) ? undefined : stem(term);
}

const KEEPS_FINAL_S = /(?:ss|us|is)$/;

function stem(term: string): string {
  if (term.length < 4 || !/[a-z]$/.test(term) || KEEPS_FINAL_S.test(term)) return term;
  if (/ie[sd]$/.test(term)) return `${term.slice(0, -3)}y`;
  let stemmed = term.endsWith('s') ? term.slice(0, -1) : term;
  if (/[ts]ion$/.test(stemmed) && stemmed.length > 6) stemmed = stemmed.slice(0, -3);
  else if (stemmed.endsWith('ing') && stemmed.length > 5) stemmed = stemmed.slice(0, -3);
  else if (stemmed.endsWith('ed') && stemmed.length > 4) stemmed = stemmed.slice(0, -2);
  return stemmed.endsWith('e') && stemmed.length > 3 ? stemmed.slice(0, -1) : stemmed;
}
