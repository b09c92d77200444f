import * as vscode from 'vscode';
import { SECTION } from '../settings';
import { DEFAULT_MODEL } from '../core/settings';

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
 * Read per document. In Restricted Mode VS Code itself leaves out workspace values of these settings: package.json lists
 * them in `restrictedConfigurations`, so a folder cannot turn completions on, pick their model or empty the exclusions.
 */
export function readCompletionSettings(document?: vscode.TextDocument): CompletionSettings {
  const config = vscode.workspace.getConfiguration(SECTION, document);
  const editor = vscode.workspace.getConfiguration('editor', document);
  return {
    enabled: config.get<boolean>('inlineCompletions.enabled', true),
    inlineSuggest: editor.get<boolean>('inlineSuggest.enabled', true),
    model: config.get<string>('completionModel') || DEFAULT_MODEL,
    dailyTokenBudget: Math.max(0, config.get<number>('inlineCompletions.dailyTokenBudget', 300_000)),
    exclude: config.get<string[]>('exclude', []).filter((glob) => typeof glob === 'string' && glob.trim()),
  };
}

/** A document whose content must never leave the machine (`ioIntelligence.exclude`). */
export function isExcluded(document: vscode.TextDocument, exclude: readonly string[]): boolean {
  return exclude.some((pattern) => vscode.languages.match({ pattern }, document) > 0);
}

export function affectsCompletions(event: vscode.ConfigurationChangeEvent): boolean {
  return COMPLETION_SETTINGS.some((id) => event.affectsConfiguration(id)) || event.affectsConfiguration(`${SECTION}.baseUrl`) || event.affectsConfiguration('editor.inlineSuggest.enabled');
}
