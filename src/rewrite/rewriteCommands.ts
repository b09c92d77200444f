import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import { selectionOrLine } from '../editorRange';
import { ADD_DOCUMENTATION_INSTRUCTION, PRESET_INSTRUCTIONS } from '../core/rewrite/rewritePrompt';
import { chosenInstruction } from '../core/rewrite/instructionChoice';
import { RangeFollower } from './rangeFollower';
import { proposalUri } from './reviewDiff';
import type { RewriteController, RewriteResult } from './rewriteController';

/** `rewriteSelection`'s argument: everything it would otherwise ask for or read from the active editor. */
export interface RewriteArgs {
  readonly instruction?: string;
  readonly uri?: string;
  /** [startLine, startCharacter, endLine, endCharacter], zero-based. */
  readonly range?: readonly [number, number, number, number];
  readonly diagnostics?: readonly string[];
}

const RECENT_KEY = 'ioIntelligence.recentInstructions';
const MAX_RECENT = 5;

export function registerRewriteCommands(context: vscode.ExtensionContext, controller: RewriteController): void {
  const recent = new RecentInstructions(context.globalState);
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandId.rewriteSelection, (args?: RewriteArgs) => rewriteSelection(controller, recent, args)),
    vscode.commands.registerCommand(CommandId.addDocumentation, (args?: RewriteArgs) =>
      rewriteSelection(controller, recent, { ...args, instruction: ADD_DOCUMENTATION_INSTRUCTION }),
    ),
    vscode.commands.registerCommand(CommandId.acceptEdit, (uri?: vscode.Uri) => controller.accept(documentFor(uri))),
    vscode.commands.registerCommand(CommandId.rejectEdit, (uri?: vscode.Uri) => controller.reject(documentFor(uri))),
    vscode.commands.registerCommand(CommandId.cancelRewrite, (uri?: vscode.Uri) => controller.cancel(documentFor(uri))),
  );
}

async function rewriteSelection(controller: RewriteController, recent: RecentInstructions, args: RewriteArgs = {}): Promise<RewriteResult | undefined> {
  const editor = await editorFor(args.uri);
  if (!editor) {
    void vscode.window.showInformationMessage('Open a file and select code to rewrite.');
    return undefined;
  }
  const range = rangeFor(editor, args.range);
  if (!editor.document.getText(range).trim()) {
    void vscode.window.showInformationMessage('Select the code to rewrite.');
    return undefined;
  }
  // Lines can move while the picker is open (another rewrite streaming above): follow the selected code.
  const follower = new RangeFollower(editor.document, range);
  try {
    const instruction = args.instruction ?? (await pickInstruction(recent.list()));
    if (!instruction?.trim()) return undefined;
    await recent.add(instruction);
    return await controller.rewrite({ editor, range: follower.range, instruction: instruction.trim(), diagnostics: args.diagnostics });
  } finally {
    follower.dispose();
  }
}

async function editorFor(uri: string | undefined): Promise<vscode.TextEditor | undefined> {
  if (!uri) return vscode.window.activeTextEditor;
  const active = vscode.window.activeTextEditor;
  if (active?.document.uri.toString() === uri) return active;
  return vscode.window.showTextDocument(vscode.Uri.parse(uri));
}

/** The given range, else the selection, else the current line. */
function rangeFor(editor: vscode.TextEditor, given: RewriteArgs['range']): vscode.Range {
  if (given) return editor.document.validateRange(new vscode.Range(given[0], given[1], given[2], given[3]));
  return selectionOrLine(editor);
}

/** The document a command's URI argument names; from the diff editor's title that may be its original side. */
function documentFor(uri: unknown): vscode.TextDocument | undefined {
  if (!(uri instanceof vscode.Uri)) return undefined;
  const target = proposalUri(uri).toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === target);
}

interface InstructionItem extends vscode.QuickPickItem {
  readonly instruction: string;
}

/** Presets and recent instructions; whatever the user typed is the first item, used as typed on Enter. */
async function pickInstruction(recent: readonly string[]): Promise<string | undefined> {
  const fixed: InstructionItem[] = [
    ...PRESET_INSTRUCTIONS.map((p) => ({ label: p.label, description: p.instruction, instruction: p.instruction })),
    ...(recent.length ? [{ label: 'Recent', kind: vscode.QuickPickItemKind.Separator, instruction: '' }] : []),
    ...recent.map((r) => ({ label: r, description: 'recent', instruction: r })),
  ];
  const pick = vscode.window.createQuickPick<InstructionItem>();
  pick.title = 'IO Intelligence: Rewrite Selection';
  pick.placeholder = 'Describe the change (e.g. “use async/await”), or pick a preset';
  pick.items = fixed;
  pick.matchOnDescription = true;
  // Opened from the walkthrough, whose editor takes focus back: the pick must stay until the user answers.
  pick.ignoreFocusOut = true;
  const typed = (value: string): InstructionItem => ({ label: value, description: 'your instruction', instruction: value, alwaysShow: true });
  return new Promise((resolve) => {
    pick.onDidChangeValue((value) => {
      pick.items = value.trim() ? [typed(value), ...fixed] : fixed;
    });
    pick.onDidAccept(() => {
      resolve(chosenInstruction(pick.value, pick.selectedItems[0]));
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

class RecentInstructions {
  constructor(private readonly state: vscode.Memento) {}

  list(): string[] {
    return this.state.get<string[]>(RECENT_KEY, []);
  }

  async add(instruction: string): Promise<void> {
    const presets = new Set<string>(PRESET_INSTRUCTIONS.map((p) => p.instruction));
    if (presets.has(instruction) || instruction === ADD_DOCUMENTATION_INSTRUCTION) return;
    await this.state.update(RECENT_KEY, [instruction, ...this.list().filter((r) => r !== instruction)].slice(0, MAX_RECENT));
  }
}
