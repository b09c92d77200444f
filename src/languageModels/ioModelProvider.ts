import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKeyStore';
import type { ClientFactory } from '../clientFactory';
import { CommandId } from '../commandIds';
import { outputBudget } from '../core/budget';
import { toRequestError } from '../core/errorMapping';
import { RequestError } from '../core/errors';
import { chatLimits, detailOf, familyOf, shortName, takesTools } from '../core/languageModelFacts';
import { refusedTools } from '../core/toolCalls';
import { formatTokens, type ModelInfo } from '../core/modelCatalog';
import type { ChatMessage, ChatRequest, TokenUsage } from '../core/streamEvents';
import { estimatedUsage, estimateMessagesTokens } from '../core/tokens';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../modelRegistry';
import { readSettings } from '../settings';
import type { UsageService } from '../usage';
import { toLanguageModelError } from './lmErrors';
import { countTokens, toChatMessages, toToolCallPart, toToolDefinitions } from './lmMessages';
import { rememberSpentQuota, spentQuotaError } from './spentQuota';

/** The vendor VS Code's chat knows our models by (package.json, `languageModelChatProviders`). */
export const VENDOR = 'io-intelligence';
/** How long the model list waits for `/models` before it answers from the documentation's table. */
const LISTING_WAIT_MS = 3_000;

export interface ProviderDeps {
  readonly keys: ApiKeyStore;
  readonly clients: ClientFactory;
  readonly models: ModelRegistry;
  readonly usage: UsageService;
  readonly log: Logger;
}

/**
 * IO Intelligence models in VS Code's own chat (and for any extension through `vscode.lm`): the server's real model
 * list with each model's window, today's quota use in the tooltip, answers streamed through the same client as our
 * panel (reasoning kept out of the text), usage in the same ledger, and a spent quota said as such, never spent
 * silently on another model.
 */
export class IoModelProvider implements vscode.LanguageModelChatProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Models that answered a tools request with an error: offered without tool calling for the rest of the session. */
  private readonly refusedTools = new Set<string>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly deps: ProviderDeps) {
    this.subscriptions = [this.changed, deps.keys.onDidChange(() => this.changed.fire()), deps.usage.onDidChange(() => this.changed.fire())];
  }

  async provideLanguageModelChatInformation(options: vscode.PrepareLanguageModelChatModelOptions): Promise<vscode.LanguageModelChatInformation[]> {
    if (!(await this.deps.keys.get())) {
      if (options.silent) return [];
      await vscode.commands.executeCommand(CommandId.setApiKey);
      if (!(await this.deps.keys.get())) return [];
    }
    // Asked silently (VS Code resolving models by itself), nothing may ask the user anything.
    this.deps.models.refreshInBackground(options.silent);
    await this.deps.models.settled(LISTING_WAIT_MS);
    return this.deps.models.catalog().map((info) => this.describe(info));
  }

  async provideLanguageModelChatResponse(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const settings = readSettings();
    if (this.deps.usage.ledger.isExhausted(model.id)) throw toLanguageModelError(spentQuotaError(this.deps.usage, model.id));
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    if (token.isCancellationRequested) controller.abort(); // a token cancelled already may tell its listeners late
    const request = this.requestFor(model, messages, options, settings.temperature);
    let usage: TokenUsage | undefined;
    let arrived = '';
    /** The request reached the server and it began answering, or we stopped it on its way: the prompt is spent. */
    let spent = false;
    try {
      const client = await this.deps.clients.create(settings);
      const stopped = () => (spent ||= controller.signal.aborted);
      controller.signal.addEventListener('abort', stopped, { once: true });
      this.deps.log.info(`VS Code chat request: ${model.id}, ${messages.length} messages.`);
      for await (const event of client.streamChat(request, controller.signal)) {
        spent = true;
        if (event.type === 'content') {
          arrived += event.text;
          progress.report(new vscode.LanguageModelTextPart(event.text));
        } else if (event.type === 'toolCall') {
          arrived += event.arguments;
          progress.report(toToolCallPart(event));
        } else if (event.type === 'reasoning') arrived += event.text; // thought is spent output, though not shown
        else if (event.type === 'usage') usage = event.usage;
      }
    } catch (caught) {
      throw toLanguageModelError(await this.failed(toRequestError(caught, { model: model.id }), request));
    } finally {
      cancel.dispose();
      if (spent) await this.record(model.id, request, usage, arrived);
    }
  }

  async provideTokenCount(_model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    return countTokens(text);
  }

  private describe(info: ModelInfo): vscode.LanguageModelChatInformation {
    const today = this.deps.usage.ledger.usageOf(info.id);
    const quota = info.dailyApiTokens ? ` of ${formatTokens(info.dailyApiTokens)}` : '';
    return {
      id: info.id,
      name: shortName(info.id),
      family: familyOf(info.id),
      version: info.id,
      detail: this.deps.models.isDemo ? `${detailOf(info.id)} · Demo` : detailOf(info.id),
      tooltip: `${info.id}\nContext: ${info.contextTokens.toLocaleString('en')} tokens\nToday (UTC): ${formatTokens(today.tokens)}${quota} tokens used${today.exhausted ? ' — quota spent' : ''}`,
      ...chatLimits(info, readSettings().maxOutputTokens),
      capabilities: { toolCalling: takesTools(info.id) && !this.refusedTools.has(info.id) },
    };
  }

  /**
   * The request as our own plans make it: the answer's budget is what the window leaves after the prompt (tools
   * included), and a prompt that leaves no room for an answer is refused before it is sent, naming a model it fits.
   */
  private requestFor(model: vscode.LanguageModelChatInformation, messages: readonly vscode.LanguageModelChatRequestMessage[], options: vscode.ProvideLanguageModelChatResponseOptions, temperature: number): ChatRequest {
    const chatMessages = toChatMessages(messages);
    const tools = this.toolsFor(model.id, options);
    const contextTokens = this.deps.models.info(model.id).contextTokens;
    const toolSchemas: ChatMessage = { role: 'system', content: JSON.stringify(tools.tools ?? []) };
    const budget = outputBudget(contextTokens, [...chatMessages, toolSchemas], model.maxOutputTokens);
    if (!budget) throw toLanguageModelError(new RequestError('contextTooLong', { model: model.id, suggestedModel: this.largerModel(model.id, contextTokens) }));
    return { model: model.id, messages: chatMessages, temperature: temperatureOf(options, temperature), maxOutputTokens: budget.maxOutputTokens, ...tools };
  }

  private largerModel(model: string, contextTokens: number): string | undefined {
    return this.deps.models
      .catalog()
      .filter((m) => m.id !== model && m.contextTokens > contextTokens && !this.deps.usage.ledger.isExhausted(m.id))
      .sort((a, b) => a.contextTokens - b.contextTokens)[0]?.id;
  }

  /** The tools of the request, for a model that takes them (known to, and not refused this session). */
  private toolsFor(model: string, options: vscode.ProvideLanguageModelChatResponseOptions): Pick<ChatRequest, 'tools' | 'toolChoice'> {
    const tools = toToolDefinitions(options.tools);
    if (!tools.length || !takesTools(model) || this.refusedTools.has(model)) return {};
    return { tools, toolChoice: options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto' };
  }

  /**
   * A spent quota is remembered (so the next request is refused before it is sent) and said with a way out; a model
   * that refused the tools is offered without them from now on.
   */
  private async failed(error: RequestError, request: ChatRequest): Promise<RequestError> {
    if (refusedTools(error, request)) {
      this.refusedTools.add(request.model);
      this.changed.fire();
      this.deps.log.warn(`${request.model} refused a request with tools: it is offered without tool calling for this session.`);
      return new RequestError('badRequest', { ...error.details, serverMessage: `${error.details.serverMessage ?? ''} ${request.model} does not take tools on this server; ask again (without tools).`.trim() });
    }
    return rememberSpentQuota(this.deps.usage, error);
  }

  /** The server's figures, else an estimate: a request that was sent costs its prompt even if it failed or stopped. */
  private async record(model: string, request: ChatRequest, usage: TokenUsage | undefined, arrived: string): Promise<void> {
    await this.deps.usage.record(model, usage ?? estimatedUsage(estimateMessagesTokens(request.messages), arrived));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

function temperatureOf(options: vscode.ProvideLanguageModelChatResponseOptions, fallback: number): number {
  const asked: unknown = options.modelOptions?.temperature;
  return typeof asked === 'number' && Number.isFinite(asked) ? asked : fallback;
}
