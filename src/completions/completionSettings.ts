import * as vscode from 'vscode';
import type { CompletionConfig } from '../core/completions/completionEngine';
import { excludedPatterns } from '../exclusions';
import { readSettings, SECTION } from '../settings';
import { DEFAULT_MODEL } from '../core/settings';

/** Tokens of prefix + suffix + context in a prompt (the default). */
const PROMPT_BUDGET_TOKENS = 1_024;

/** Completions' settings for one document: its language's overrides apply (design.md, "Inline completions"). */
export interface CompletionSettings {
  readonly enabled: boolean;
  /** VS Code's own switch for ghost text (`editor.inlineSuggest.enabled`). */
  readonly inlineSuggest: boolean;
  readonly model: string;
  readonly dailyTokenBudget: number;
  readonly exclude: readonly string[];
}

export const COMPLETION_SETTINGS = ['completionModel', 'inlineCompletions.enabled', 'inlineCompletions.dailyTokenBudget', 'exclude'].map((key) => `${SECTION}.${key}`);

/**
 * Read per document. In Restricted Mode VS Code itself leaves out workspace values of the model and the switches:
 * package.json lists them in `restrictedConfigurations`, so a folder cannot turn completions on or pick their model.
 */
export function readCompletionSettings(document?: vscode.TextDocument): CompletionSettings {
  const config = vscode.workspace.getConfiguration(SECTION, document);
  const editor = vscode.workspace.getConfiguration('editor', document);
  return {
    enabled: config.get<boolean>('inlineCompletions.enabled', true),
    inlineSuggest: editor.get<boolean>('inlineSuggest.enabled', true),
    model: config.get<string>('completionModel') || DEFAULT_MODEL,
    dailyTokenBudget: Math.max(0, config.get<number>('inlineCompletions.dailyTokenBudget', 300_000)),
    exclude: excludedPatterns(document),
  };
}

/** What the engine is asked with: the server, the model and its budgets, as the settings say now. */
export function engineConfig(settings: CompletionSettings): CompletionConfig {
  return { baseUrl: readSettings().baseUrl, model: settings.model, dailyTokenBudget: settings.dailyTokenBudget, promptBudgetTokens: PROMPT_BUDGET_TOKENS };
}

export function affectsCompletions(event: vscode.ConfigurationChangeEvent): boolean {
  return COMPLETION_SETTINGS.some((id) => event.affectsConfiguration(id)) || event.affectsConfiguration(`${SECTION}.baseUrl`) || event.affectsConfiguration('editor.inlineSuggest.enabled');
}
