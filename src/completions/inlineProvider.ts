import * as path from 'node:path';
import * as vscode from 'vscode';
import { InternalCommand } from '../commandIds';
import type { CompletionEngine, CompletionInput } from '../core/completions/completionEngine';
import type { NeighbourFile } from '../core/completions/fimPrompt';
import { isExcludedDocument } from '../exclusions';
import { engineConfig, readCompletionSettings, type CompletionSettings } from './completionSettings';

/** A file this large is not sent, even cut to a window: it is generated or data, not code being written. */
export const MAX_FILE_CHARS = 1_000_000;
/** Neighbour files larger than this would never fit the prompt budget whole. */
const MAX_NEIGHBOUR_CHARS = 12_000;

export interface ProviderDeps {
  readonly engine: CompletionEngine;
  /** Whether an API key is known; without one nothing is asked (the status bar item says so). */
  readonly hasKey: () => Promise<boolean>;
  /** Says in the log why nothing was asked (a user wondering where the ghost text is finds the reason there). */
  readonly log: (message: string) => void;
}

/** Ghost text in files: VS Code asks as the user types; the engine decides whether to ask the server. */
export class IoInlineCompletions implements vscode.InlineCompletionItemProvider {
  static readonly selector: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];

  constructor(private readonly deps: ProviderDeps) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const settings = readCompletionSettings(document);
    const refused = this.refusal(document, context, settings) ?? ((await this.deps.hasKey()) ? undefined : 'there is no API key');
    if (refused) {
      this.deps.engine.cancel();
      this.deps.log(`Completions: nothing asked in ${path.basename(document.fileName)}: ${refused}.`);
      return undefined;
    }
    if (token.isCancellationRequested) return undefined;
    const input = this.inputAt(document, position, context, settings);
    const result = await this.deps.engine.provide(input, engineConfig(settings), signalOf(token));
    if (result.kind !== 'item' || token.isCancellationRequested) return undefined;
    const accepted: vscode.Command = { command: InternalCommand.completionAccepted, title: 'Completion accepted', arguments: [settings.model] };
    return [new vscode.InlineCompletionItem(result.text, new vscode.Range(position, position), accepted)];
  }

  /** Why nothing may be asked here: off, excluded, too large, or the suggest widget is open (ghost text would fight it). */
  private refusal(document: vscode.TextDocument, context: vscode.InlineCompletionContext, settings: CompletionSettings): string | undefined {
    if (!settings.enabled) return `inline completions are off for ${document.languageId}`;
    if (context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic) {
      if (!settings.inlineSuggest) return 'editor.inlineSuggest.enabled is off';
      if (context.selectedCompletionInfo) return 'the suggestion list is open';
    }
    return offForFile(document, settings);
  }

  private inputAt(document: vscode.TextDocument, position: vscode.Position, context: vscode.InlineCompletionContext, settings: CompletionSettings): CompletionInput {
    const offset = document.offsetAt(position);
    const text = document.getText();
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    return {
      before: text.slice(0, offset),
      after: text.slice(offset),
      path: document.isUntitled ? document.fileName : vscode.workspace.asRelativePath(document.uri, false),
      language: document.languageId,
      neighbours: neighbours(document, settings),
      ...(folder ? { repoName: folder.name } : {}),
      explicit: context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke,
    };
  }
}

/**
 * Other files open in editors, the same language first: context for a FIM prompt when the budget leaves room.
 * An excluded file is never one of them.
 */
function neighbours(current: vscode.TextDocument, settings: CompletionSettings): NeighbourFile[] {
  const seen = new Set<string>([current.uri.toString()]);
  const files: { file: NeighbourFile; sameLanguage: boolean }[] = [];
  for (const editor of vscode.window.visibleTextEditors) {
    const doc = editor.document;
    if (seen.has(doc.uri.toString()) || doc.uri.scheme !== 'file') continue;
    seen.add(doc.uri.toString());
    // Measured before it is read: a large file open beside would otherwise be copied on every keystroke for nothing.
    if (lengthOf(doc) > MAX_NEIGHBOUR_CHARS || isExcludedDocument(doc, settings.exclude)) continue;
    files.push({ file: { path: vscode.workspace.asRelativePath(doc.uri, false).split(path.sep).join('/'), content: doc.getText() }, sameLanguage: doc.languageId === current.languageId });
  }
  return files.sort((a, b) => Number(b.sameLanguage) - Number(a.sameLanguage)).map((f) => f.file);
}

/** Why nothing of this file may be sent, whatever the settings say of its language: excluded, or too large. */
export function offForFile(document: vscode.TextDocument, settings: CompletionSettings): string | undefined {
  if (isExcludedDocument(document, settings.exclude)) return 'it matches ioIntelligence.exclude';
  if (lengthOf(document) > MAX_FILE_CHARS) return 'the file is larger than 1 MB';
  return undefined;
}

/** Characters in a document, without copying its text. */
function lengthOf(document: vscode.TextDocument): number {
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

function signalOf(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
