import * as vscode from 'vscode';
import type { ClientFactory } from '../clientFactory';
import { InternalCommand } from '../commandIds';
import { quoteOf, surroundingOf } from '../commands/chatCommands';
import type { CodeQuote, Turn } from '../core/domain';
import { toRequestError } from '../core/errorMapping';
import { selectionOrLine, wholeLines } from '../editorRange';
import { describeError } from '../core/errorText';
import { EXPLAIN_QUESTION } from '../core/prompts';
import { planChat, type RequestPlan } from '../core/requestPlan';
import { ProposalExtractor } from '../core/rewrite/codeExtractor';
import type { TokenUsage } from '../core/streamEvents';
import { estimatedUsage } from '../core/tokens';
import { isExcludedUri } from '../exclusions';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../modelRegistry';
import { readSettings } from '../settings';
import type { UsageService } from '../usage';
import { VENDOR } from './ioModelProvider';
import { rememberSpentQuota, spentQuotaError } from './spentQuota';

export const PARTICIPANT_ID = 'ioIntelligence.io';

export interface ParticipantDeps {
  readonly clients: ClientFactory;
  readonly models: ModelRegistry;
  readonly usage: UsageService;
  readonly log: Logger;
}

type Command = 'explain' | 'fix' | 'doc';

/** What each command asks of the model about the selected code. */
const QUESTIONS: Readonly<Record<Command, string>> = {
  explain: EXPLAIN_QUESTION,
  fix: 'Fix the bugs and the problems listed in this code. Answer with the corrected code in one fenced code block, then say briefly what you changed.',
  doc: 'Add documentation comments to this code in the conventions of its language. Answer with the documented code in one fenced code block.',
};

interface IoResult extends vscode.ChatResult {
  readonly metadata: { readonly command?: string };
}

/**
 * `@io` in VS Code's chat: `/explain`, `/fix`, `/doc` on the selection and free questions, through the same request
 * plan, client and ledger as our panel, with the model the user picked when it is one of ours. Code for a file is
 * proposed in the answer; "Apply with Review" takes it through the rewrite's review and write guard (never offered in
 * Restricted Mode).
 */
export function registerIoParticipant(deps: ParticipantDeps): vscode.Disposable {
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, (request, context, stream, token) => answer(deps, request, context, stream, token));
  participant.iconPath = new vscode.ThemeIcon('sparkle');
  participant.followupProvider = { provideFollowups: (result: IoResult) => followups(result.metadata?.command) };
  return participant;
}

async function answer(deps: ParticipantDeps, request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<IoResult> {
  const command = isCommand(request.command) ? request.command : undefined;
  const metadata = { command };
  const editor = vscode.window.activeTextEditor;
  const quote = editor && (command || !editor.selection.isEmpty) ? quoteOf(editor) : undefined;
  if (command && !quote?.code.trim()) {
    stream.markdown(`Select code in an editor first: \`/${command}\` works on the selection (or the line the cursor is on).`);
    return { metadata };
  }
  if (quote && isExcludedUri(vscode.Uri.parse(quote.uri, true))) {
    stream.markdown(`${quote.file} matches \`ioIntelligence.exclude\`: its content never leaves this machine, so it was not sent.`);
    return { metadata };
  }
  const picked = request.model?.vendor === VENDOR ? request.model.id : undefined;
  // A model picked in the Chat view whose quota is spent is refused, never answered by another model unasked.
  if (picked && deps.usage.ledger.isExhausted(picked)) return failed(metadata, describeError(spentQuotaError(deps.usage, picked)));
  const settings = { ...readSettings(), ...(picked ? { chatModel: picked } : {}) };
  const problems = command === 'fix' && editor ? problemsIn(editor) : '';
  const question: Turn = { id: 'question', role: 'user', text: questionText(command, request.prompt, quote) + problems, quote, status: 'done' };
  const planned = planChat(
    { settings, modelInfo: (m) => deps.models.info(m), chatModels: () => deps.models.catalog(), isExhausted: (m) => deps.usage.ledger.isExhausted(m) },
    { history: [...historyTurns(context), question], surrounding: quote && editor ? surroundingOf(editor.document, quote) : undefined },
  );
  if (planned.error) return failed(metadata, describeError(planned.error));
  if (quote && editor) stream.reference(new vscode.Location(editor.document.uri, wholeLines(quote.startLine, quote.endLine)));
  if (planned.plan.note) stream.markdown(`*${planned.plan.note}*\n\n`);
  const text = await streamAnswer(deps, planned.plan, stream, token).catch((caught: unknown) => toRequestError(caught, { model: planned.plan.model }));
  if (typeof text !== 'string') return text.kind === 'cancelled' ? { metadata } : failed(metadata, describeError(await rememberSpentQuota(deps.usage, text)));
  if (command && command !== 'explain' && quote && editor) offerApply(stream, editor, text);
  return { metadata };
}

/** Streams the plan's answer as markdown (reasoning stays out), records its usage; returns the answer's text. */
async function streamAnswer(deps: ParticipantDeps, plan: RequestPlan, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<string> {
  const controller = new AbortController();
  const cancel = token.onCancellationRequested(() => controller.abort());
  if (token.isCancellationRequested) controller.abort();
  let text = '';
  let usage: TokenUsage | undefined;
  let thinking = false;
  try {
    const client = await deps.clients.create(plan.settings);
    for await (const event of client.streamChat(plan.request, controller.signal)) {
      if (event.type === 'content') {
        text += event.text;
        stream.markdown(event.text);
      } else if (event.type === 'reasoning' && !thinking) {
        thinking = true;
        stream.progress(`${plan.model} is thinking…`);
      } else if (event.type === 'usage') usage = event.usage;
    }
    return text;
  } finally {
    cancel.dispose();
    const spent = usage ?? (text ? estimatedUsage(plan.promptTokens, text) : undefined);
    if (spent) await deps.usage.record(plan.model, spent);
  }
}

/**
 * The code of a /fix or /doc answer, offered for exactly the range it was asked about, through our review (VS Code's
 * own apply controls stay too). The range's text goes along: if the file changed there since, nothing is applied.
 */
function offerApply(stream: vscode.ChatResponseStream, editor: vscode.TextEditor, answerText: string): void {
  if (!vscode.workspace.isTrusted) return; // in Restricted Mode @io answers but never writes
  const extractor = new ProposalExtractor(editor.document.languageId);
  extractor.push(answerText);
  const proposal = extractor.finish();
  if (proposal.kind === 'prose' || !proposal.code.trim()) return;
  const range = selectionOrLine(editor);
  const target: ProposalTarget = { uri: editor.document.uri.toString(), start: editor.document.offsetAt(range.start), end: editor.document.offsetAt(range.end), original: editor.document.getText(range) };
  stream.button({ command: InternalCommand.applyProposal, title: 'Apply with Review', arguments: [target, proposal.code] });
}

/** Where an @io proposal goes: a range of a file as it was when the question was asked. */
export interface ProposalTarget {
  readonly uri: string;
  readonly start: number;
  readonly end: number;
  readonly original: string;
}


function failed(metadata: IoResult['metadata'], message: string): IoResult {
  return { metadata, errorDetails: { message } };
}

function questionText(command: Command | undefined, prompt: string, quote: CodeQuote | undefined): string {
  if (!command) return prompt.trim() || (quote ? EXPLAIN_QUESTION : 'Hello');
  return prompt.trim() ? `${QUESTIONS[command]}\n\n${prompt.trim()}` : QUESTIONS[command];
}

/** The errors and warnings on the selected lines, for /fix. */
function problemsIn(editor: vscode.TextEditor): string {
  const lines = new vscode.Range(editor.selection.start.line, 0, editor.selection.end.line, Number.MAX_SAFE_INTEGER);
  const listed = vscode.languages
    .getDiagnostics(editor.document.uri)
    .filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning && d.range.intersection(lines))
    .map((d) => `- line ${d.range.start.line + 1}: ${d.message}${d.source ? ` (${d.source})` : ''}`);
  return listed.length ? `\n\nProblems reported on these lines:\n${listed.join('\n')}` : '';
}

/** Earlier exchanges with @io in this chat, as turns (other participants' are not ours to send). */
function historyTurns(context: vscode.ChatContext): Turn[] {
  return context.history.flatMap((turn, i): Turn[] => {
    if (turn.participant !== PARTICIPANT_ID) return [];
    if (turn instanceof vscode.ChatRequestTurn) return [{ id: `h${i}`, role: 'user', text: turn.prompt, status: 'done' }];
    const text = turn.response.map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : '')).join('');
    return [{ id: `h${i}`, role: 'assistant', text, status: 'done' }];
  });
}

function followups(command: string | undefined): vscode.ChatFollowup[] {
  if (command === 'explain') return [{ prompt: 'How could this code be simpler?', label: 'Suggest a simpler version' }, { prompt: '', command: 'doc', label: 'Document it' }];
  if (command === 'fix') return [{ prompt: 'Explain the fix step by step.', label: 'Explain the fix' }];
  return [];
}

function isCommand(value: string | undefined): value is Command {
  return value === 'explain' || value === 'fix' || value === 'doc';
}
