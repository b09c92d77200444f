import { CodeJudge } from './readsAsCode';
import { blockLanguage, closesFence, fenceContent, type Fence, openingFence, sameLanguage } from './fences';

/**
 * Pulls the proposal (the code) out of a streamed rewrite answer. Models are asked for code only, but often wrap it
 * in a fence, after chatter ("Here is the refactored code:"), add notes after it, or give several blocks. Only code
 * reaches the editor.
 *
 * Rules (the same for a finished answer and for any split of it into chunks; fences as CommonMark reads them, see
 * fences.ts):
 * - With code blocks, the proposal is the first block in the file's language, or with no info string, or — when no
 *   block is — the first block. Everything outside it is ignored.
 * - Without a code block, the whole answer (from its first non-blank line) is the proposal when it reads as code in
 *   the file's language (`kind: 'bare'`); otherwise it is prose (`kind: 'prose'`, empty code: not to be applied).
 * - Text is released whole lines at a time, so a closing fence is never released.
 * - Streaming: the first block in the file's language (or without language) streams as it arrives and is final at
 *   its closing fence. A first block in another language is held until a block in the file's language appears (that
 *   one streams) or the answer ends (then it is released). Text before any fence is released as bare code only once
 *   3 lines (or 400 characters) read as code; prose never streams.
 * - Replacement: released bare code turns out to be chatter when a fence opens, or prose when a sentence (or the end)
 *   shows it. The release then says `replaced`: the proposal is now `code`, not the earlier text plus more. Otherwise
 *   each release extends the previous one by `added`.
 */
export interface Release {
  /** The proposal as it stands: all code released so far. */
  readonly code: string;
  /** What this call appended to the previous `code`; when `replaced`, the whole `code`. */
  readonly added: string;
  /** The previous `code` is not a prefix of this one: re-adapt from scratch (rare). */
  readonly replaced: boolean;
  /** The proposal can no longer change (its closing fence arrived, or the answer ended). */
  readonly final: boolean;
}

export type ExtractionKind = 'fenced' | 'bare' | 'prose';

export interface Extraction extends Release {
  /** `fenced`: a code block; `bare`: the answer reads as code; `prose`: not code, do not apply (`code` is empty). */
  readonly kind: ExtractionKind;
  /** The chosen block's language (its info string's first word), or '' (no info string, bare, prose). */
  readonly language: string;
  /** The whole answer as received: what to show the user when it is prose. */
  readonly answer: string;
}

type Role = 'proposal' | 'held' | 'skipped';

export class ProposalExtractor {
  private answer = '';
  private pending = '';
  private code = '';
  private added = '';
  private replaced = false;
  private final = false;
  /** The open block and what it is to us; undefined outside blocks. */
  private block: { fence: Fence; role: Role } | undefined;
  private proposalLanguage: string | undefined;
  private held: { content: string; language: string } | undefined;
  private sawFence = false;
  private kind: ExtractionKind | undefined;
  private readonly bare: { text: string; judge: CodeJudge; streaming: boolean };

  /** `languageId`: the document's VS Code language id; '' when unknown (then any block is in its language). */
  constructor(private readonly languageId: string) {
    this.bare = { text: '', judge: new CodeJudge(languageId), streaming: false };
  }

  /** Feeds answer text; returns the proposal so far and how it changed. */
  push(text: string): Release {
    this.startRelease();
    this.answer += text;
    if (this.final) return this.release();
    const searchFrom = this.pending.length;
    this.pending += text;
    let newline = this.pending.indexOf('\n', searchFrom);
    let start = 0;
    while (newline >= 0 && !this.final) {
      this.takeLine(this.pending.slice(start, newline + 1));
      start = newline + 1;
      newline = this.pending.indexOf('\n', start);
    }
    this.pending = this.final ? '' : this.pending.slice(start);
    return this.release();
  }

  /** The answer ended: decides what it was. A last line without newline counts (unless it is a closing fence). */
  finish(): Extraction {
    this.startRelease();
    if (this.kind === undefined) {
      if (!this.final && this.pending) this.takeLine(this.pending);
      this.pending = '';
      this.kind = this.decide();
      this.final = true;
    }
    const language = this.kind === 'fenced' ? (this.proposalLanguage ?? '') : '';
    return { ...this.release(), kind: this.kind, language, answer: this.answer };
  }

  private startRelease(): void {
    this.added = '';
    this.replaced = false;
  }

  private release(): Release {
    return { code: this.code, added: this.added, replaced: this.replaced, final: this.final };
  }

  private emit(text: string): void {
    this.code += text;
    this.added += text;
  }

  private replaceWith(code: string): void {
    this.code = code;
    this.added = code;
    this.replaced = true;
  }

  private takeLine(line: string): void {
    // The line without its ending (LF, CRLF, or a lone CR on a last line) is what fences are read from.
    const body = line.replace(/\r?\n$/, '').replace(/\r$/, '');
    if (this.block) this.inBlock(line, body, this.block);
    else {
      const fence = openingFence(body);
      if (fence) this.open(fence);
      else if (!this.sawFence) this.bareLine(line, body);
    }
  }

  private inBlock(line: string, body: string, block: { fence: Fence; role: Role }): void {
    if (closesFence(body, block.fence)) {
      this.block = undefined;
      if (block.role === 'proposal') this.final = true;
      return;
    }
    const content = fenceContent(line, block.fence);
    if (block.role === 'proposal') this.emit(content);
    else if (block.role === 'held' && this.held) this.held.content += content;
  }

  private open(fence: Fence): void {
    // Bare code released before the first fence was chatter after all.
    if (!this.sawFence && this.code) this.replaceWith('');
    this.sawFence = true;
    const language = blockLanguage(fence.info);
    if (language === '' || this.languageId === '' || sameLanguage(language, this.languageId)) {
      this.proposalLanguage = language;
      this.block = { fence, role: 'proposal' };
    } else if (!this.held) {
      this.held = { content: '', language };
      this.block = { fence, role: 'held' };
    } else {
      this.block = { fence, role: 'skipped' };
    }
  }

  private bareLine(line: string, body: string): void {
    const bare = this.bare;
    bare.judge.add(body);
    if (!bare.text && !body.trim()) return; // leading blank lines are not part of the code
    bare.text += line;
    if (bare.judge.sawProse) {
      if (bare.streaming) this.replaceWith('');
      bare.streaming = false;
    } else if (bare.streaming) {
      this.emit(line);
    } else if (bare.judge.readsAsCode() && bare.judge.enoughToJudge()) {
      bare.streaming = true;
      this.emit(bare.text);
    }
  }

  /** At the end: the proposal block, else the held block, else the bare text if it reads as code, else prose. */
  private decide(): ExtractionKind {
    if (this.proposalLanguage !== undefined) return 'fenced';
    if (this.held) {
      this.proposalLanguage = this.held.language;
      this.emit(this.held.content);
      return 'fenced';
    }
    if (this.bare.judge.readsAsCode()) {
      if (!this.bare.streaming) this.emit(this.bare.text);
      return 'bare';
    }
    if (this.code) this.replaceWith('');
    return 'prose';
  }
}

/**
 * @deprecated The rewrite controller's former interface, kept until it moves to {@link ProposalExtractor}: the same
 * rules, but a prose answer is returned as it is (as before), and `push` returns only the code.
 */
export class CodeExtractor {
  private readonly inner: ProposalExtractor;
  private last = '';

  constructor(languageId = '') {
    this.inner = new ProposalExtractor(languageId);
  }

  push(text: string): string {
    this.last = this.inner.push(text).code;
    return this.last;
  }

  finish(): string {
    const result = this.inner.finish();
    this.last = result.kind === 'prose' ? result.answer : result.code;
    return this.last;
  }

  get code(): string {
    return this.last;
  }
}
