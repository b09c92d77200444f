import * as vscode from 'vscode';
import type { CompletionConfig } from '../core/completions/completionEngine';
import { readSettings, SECTION } from '../settings';
import { DEFAULT_MODEL } from '../core/settings';

/** Tokens of prefix + suffix + context in a prompt (the issue's default). */
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
    exclude: excludeGlobs(config),
  };
}

/**
 * The user's patterns (or the defaults) and the workspace's and folder's, all together: a folder can only add
 * exclusions, never drop one. That is why `exclude` is not in `restrictedConfigurations`: VS Code would leave out a
 * restricted setting's workspace values altogether in Restricted Mode, and with them the folder's own exclusions.
 */
function excludeGlobs(config: vscode.WorkspaceConfiguration): string[] {
  const inspected = config.inspect<unknown>('exclude');
  const lists = [inspected?.globalValue ?? inspected?.defaultValue, inspected?.workspaceValue, inspected?.workspaceFolderValue];
  const globs = lists.flatMap((list) => (Array.isArray(list) ? list : [])).filter((g): g is string => typeof g === 'string' && g.trim() !== '');
  return [...new Set(globs)];
}

/**
 * A document whose content must never leave the machine (`ioIntelligence.exclude`). A pattern without a folder
 * (`*.pem`, `secrets/**`) matches at any depth and inside each workspace folder, as in `files.exclude`; letter case is
 * ignored where the file system ignores it.
 */
export function isExcluded(document: vscode.TextDocument, exclude: readonly string[]): boolean {
  const anyCase = process.platform === 'win32' || process.platform === 'darwin';
  // languages.match reads only the uri and the language of what it is given.
  const probe = anyCase ? ({ uri: document.uri.with({ path: document.uri.path.toLowerCase() }), languageId: document.languageId } as vscode.TextDocument) : document;
  return exclude.some((glob) => {
    const pattern = anyCase ? glob.toLowerCase() : glob;
    const anywhere = pattern.startsWith('**/') || pattern.startsWith('/') ? pattern : `**/${pattern}`;
    return vscode.languages.match({ pattern }, probe) > 0 || vscode.languages.match({ pattern: anywhere }, probe) > 0;
  });
}

/** What the engine is asked with: the server, the model and its budgets, as the settings say now. */
export function engineConfig(settings: CompletionSettings): CompletionConfig {
  return { baseUrl: readSettings().baseUrl, model: settings.model, dailyTokenBudget: settings.dailyTokenBudget, promptBudgetTokens: PROMPT_BUDGET_TOKENS };
}

export function affectsCompletions(event: vscode.ConfigurationChangeEvent): boolean {
  return COMPLETION_SETTINGS.some((id) => event.affectsConfiguration(id)) || event.affectsConfiguration(`${SECTION}.baseUrl`) || event.affectsConfiguration('editor.inlineSuggest.enabled');
}
