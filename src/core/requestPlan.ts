/**
 * One plan per request: the one place that decides which model answers, what fits in its context window, what is
 * left out and why, and the messages sent. Chat, Explain, rewrite and the code actions all ask for a plan; everything
 * later in the request reads it (a retry after the server disagreed asks for a new plan with a smaller share).
 */
import { fitHistory, MIN_USEFUL_OUTPUT_TOKENS, outputBudget, SAFETY_MARGIN_TOKENS, type Budget } from './budget';
import { contextSection, fitContext, referencesOf, type ContextPiece } from './context/contextPieces';
import type { Reference, SurroundingCode, Turn } from './domain';
import { RequestError } from './errors';
import { isEmbeddingModel, type ModelInfo } from './modelCatalog';
import { CHAT_SYSTEM_PROMPT, conversationMessages, surroundingLines } from './prompts';
import { rewriteMessages, type RewriteInput } from './rewrite/rewritePrompt';
import type { Settings } from './settings';
import type { ChatMessage, ChatRequest } from './streamEvents';
import { estimateMessagesTokens, estimateTokens } from './tokens';

/** What the plan needs to know besides the request itself. */
export interface PlanFacts {
  readonly settings: Settings;
  /** Context length and more of a model (the server's `/models`, else the seed table). */
  readonly modelInfo: (model: string) => ModelInfo;
  /** The chat models a user could pick: a request that does not fit names the smallest one it would fit. */
  readonly chatModels: () => readonly ModelInfo[];
  /** Today's quota of the model is spent (the ledger's count or the server's word). */
  readonly isExhausted: (model: string) => boolean;
}

export interface RequestPlan {
  readonly settings: Settings;
  /** The model the settings ask for. */
  readonly requestedModel: string;
  /** The model that answers: the requested one, or the first fallback whose quota is not spent. */
  readonly model: string;
  /** The context window the plan was made for (a share of the model's, on a retry after "too long"). */
  readonly contextTokens: number;
  readonly request: ChatRequest & { readonly maxOutputTokens: number };
  readonly promptTokens: number;
  /** What was left out to fit, each with why, in words the user reads. */
  readonly leftOut: readonly string[];
  /** The file ranges sent with the question (its attachments, as fitted): the answer cites them. */
  readonly references: readonly Reference[];
  /** Everything the user should know about how this answer differs from what was asked for. */
  readonly note: string | undefined;
}

export type Planned = { readonly plan: RequestPlan; readonly error?: undefined } | { readonly plan?: undefined; readonly error: RequestError };

/** Surrounding code is context, not the question: at most this share of the window, and never more than the cap. */
const SURROUNDING_SHARE = 1 / 8;
export const EXPLAIN_SURROUNDING_CAP_TOKENS = 1_500;
export const REWRITE_SURROUNDING_CAP_TOKENS = 600;
/** Attachments may fill up to this share of the window; the history gets what is left. */
export const ATTACHMENT_SHARE = 1 / 2;

export interface ChatPlanInput {
  /** The turns before the answer, ending with the question. */
  readonly history: readonly Turn[];
  /** The code around an Explain's quote (sent with the last question only). */
  readonly surrounding?: SurroundingCode;
  /** The share of the model's context to plan for: below 1 after the server said the request was too long. */
  readonly contextShare?: number;
  /** The content of the last question's attachments, in the order they should win room. */
  readonly attachments?: readonly ContextPiece[];
}

export function planChat(facts: PlanFacts, input: ChatPlanInput): Planned {
  const choice = chooseModel(facts, facts.settings.chatModel);
  const contextTokens = Math.floor(facts.modelInfo(choice.model).contextTokens * (input.contextShare ?? 1));
  const leftOut: string[] = [];
  if (input.contextShare !== undefined && input.contextShare < 1) leftOut.push('The server said the request was too long; it was sent again with less history.');
  const surrounding = input.surrounding && trimSurrounding(input.surrounding, surroundingCap(contextTokens, EXPLAIN_SURROUNDING_CAP_TOKENS));
  const attached = fitContext(input.attachments ?? [], attachmentCap(facts, contextTokens, input.history), choice.model);
  leftOut.push(...attached.notes);
  const section = contextSection(attached.pieces);
  let fitted = fitHistory(conversationMessages(input.history, surrounding, section), contextTokens, facts.settings.maxOutputTokens);
  if (!fitted.budget && hasCode(surrounding)) {
    fitted = fitHistory(conversationMessages(input.history, undefined, section), contextTokens, facts.settings.maxOutputTokens);
    leftOut.push(`The code around the selection was left out to fit ${choice.model}'s context window.`);
  }
  if (fitted.dropped) leftOut.push(`${fitted.dropped} older messages were left out to fit ${choice.model}'s context window.`);
  return finish(facts, choice, contextTokens, fitted.messages, fitted.budget, leftOut, referencesOf(attached.pieces));
}

/** The room for attachments: their share of the window, less what the question itself and the answer need. */
function attachmentCap(facts: PlanFacts, contextTokens: number, history: readonly Turn[]): number {
  const last = history[history.length - 1];
  const question = last ? estimateTokens(last.text) + (last.quote ? estimateTokens(last.quote.code) : 0) : 0;
  const answerRoom = Math.min(facts.settings.maxOutputTokens, Math.floor(contextTokens / 4));
  const room = contextTokens - answerRoom - question - SAFETY_MARGIN_TOKENS - estimateTokens(CHAT_SYSTEM_PROMPT);
  return Math.max(0, Math.min(Math.floor(contextTokens * ATTACHMENT_SHARE), room));
}

export interface RewritePlanInput extends Omit<RewriteInput, 'before' | 'after'> {
  readonly surrounding?: SurroundingCode;
}

export function planRewrite(facts: PlanFacts, input: RewritePlanInput): Planned {
  const choice = chooseModel(facts, facts.settings.editModel);
  const contextTokens = facts.modelInfo(choice.model).contextTokens;
  const leftOut: string[] = [];
  const surrounding = input.surrounding && trimSurrounding(input.surrounding, surroundingCap(contextTokens, REWRITE_SURROUNDING_CAP_TOKENS));
  let messages = rewriteMessages({ ...input, ...surrounding });
  let budget = outputBudget(contextTokens, messages, facts.settings.maxOutputTokens);
  if (!budget && hasCode(surrounding)) {
    messages = rewriteMessages(input);
    budget = outputBudget(contextTokens, messages, facts.settings.maxOutputTokens);
    leftOut.push(`The code around the selection was left out to fit ${choice.model}'s context window.`);
  }
  return finish(facts, choice, contextTokens, messages, budget, leftOut);
}

interface ModelChoice {
  readonly requested: string;
  readonly model: string;
  readonly note?: string;
}

/** The requested model, or the first fallback whose quota is not spent today. */
export function chooseModel(facts: Pick<PlanFacts, 'settings' | 'isExhausted'>, requested: string): ModelChoice {
  if (!facts.isExhausted(requested)) return { requested, model: requested };
  // An embedding model in the list (a slip in settings.json) cannot answer: it is passed over, not tried.
  const fallback = facts.settings.fallbackModels.find((m) => m !== requested && !isEmbeddingModel(m) && !facts.isExhausted(m));
  if (!fallback) return { requested, model: requested };
  return { requested, model: fallback, note: fallbackNote(fallback, requested) };
}

export function fallbackNote(model: string, spent: string): string {
  return `Answered by ${model}: the daily quota of ${spent} is spent (ioIntelligence.fallbackModels).`;
}

function finish(
  facts: PlanFacts,
  choice: ModelChoice,
  contextTokens: number,
  messages: ChatMessage[],
  budget: Budget | undefined,
  leftOut: string[],
  references: readonly Reference[] = [],
): Planned {
  if (!budget) return { error: doesNotFit(facts, choice.model, messages) };
  const { settings } = facts;
  const note = [choice.note, ...leftOut].filter(Boolean).join(' ') || undefined;
  return {
    plan: {
      settings,
      requestedModel: choice.requested,
      model: choice.model,
      contextTokens,
      request: { model: choice.model, messages, temperature: settings.temperature, maxOutputTokens: budget.maxOutputTokens },
      promptTokens: budget.promptTokens,
      leftOut,
      references,
      note,
    },
  };
}

/** The failure for a prompt that leaves no room for a useful answer, naming the smallest model that would fit. */
function doesNotFit(facts: PlanFacts, model: string, messages: readonly ChatMessage[]): RequestError {
  const needed = estimateMessagesTokens(messages) + MIN_USEFUL_OUTPUT_TOKENS + SAFETY_MARGIN_TOKENS;
  const suggestedModel = facts
    .chatModels()
    .filter((m) => m.id !== model && m.contextTokens >= needed)
    .sort((a, b) => a.contextTokens - b.contextTokens)[0]?.id;
  return new RequestError('contextTooLong', { model, suggestedModel });
}

function surroundingCap(contextTokens: number, cap: number): number {
  return Math.min(cap, Math.floor(contextTokens * SURROUNDING_SHARE));
}

/** The lines nearest the selection that fit `maxTokens`, taken from what the command gathered. */
export function trimSurrounding(surrounding: SurroundingCode, maxTokens: number): SurroundingCode {
  const before = surrounding.before ? surrounding.before.split('\n') : [];
  const after = surrounding.after ? surrounding.after.split('\n') : [];
  const selectionLine = before.length + 1;
  return surroundingLines([...before, '', ...after], selectionLine, selectionLine, maxTokens);
}

function hasCode(surrounding: SurroundingCode | undefined): boolean {
  return Boolean(surrounding?.before || surrounding?.after);
}
