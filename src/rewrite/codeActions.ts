import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import type { RewriteArgs } from './rewriteCommands';

/**
 * Explain changes nothing, so it is not a refactoring: a kind of its own puts it under its own header in the
 * lightbulb ("More Actions..."), apart from the rewrites under "Rewrite", and keeps it out of the Refactor menu.
 */
export const EXPLAIN_KIND = vscode.CodeActionKind.Empty.append('ioIntelligence').append('explain');

/** Lightbulb entries: a quick fix for diagnostics, rewrite / document refactorings and Explain on a selection. */
export class IoCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite, EXPLAIN_KIND];

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    if (context.diagnostics.length) actions.push(fixAction(document, context.diagnostics));
    if (!range.isEmpty) {
      const args: RewriteArgs = { uri: document.uri.toString(), range: [range.start.line, range.start.character, range.end.line, range.end.character] };
      actions.push(
        action('Rewrite with IO Intelligence…', vscode.CodeActionKind.RefactorRewrite, CommandId.rewriteSelection, [args]),
        action('Add documentation with IO Intelligence', vscode.CodeActionKind.RefactorRewrite, CommandId.addDocumentation, [args]),
        action('Explain with IO Intelligence', EXPLAIN_KIND, CommandId.explainSelection, []),
      );
    }
    return actions;
  }
}

function fixAction(document: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): vscode.CodeAction {
  // Whole lines around the problems: a fix rarely fits inside the diagnostic's own span.
  const start = Math.min(...diagnostics.map((d) => d.range.start.line));
  const end = Math.max(...diagnostics.map((d) => d.range.end.line));
  const lines = new vscode.Range(start, 0, end, document.lineAt(end).text.length);
  const messages = diagnostics.map((d) => `line ${d.range.start.line + 1}: ${d.message}${d.source ? ` (${d.source})` : ''}`);
  const args: RewriteArgs = {
    uri: document.uri.toString(),
    range: [lines.start.line, lines.start.character, lines.end.line, lines.end.character],
    instruction: 'Fix the reported problems.',
    diagnostics: messages,
  };
  const fix = action('Fix with IO Intelligence', vscode.CodeActionKind.QuickFix, CommandId.rewriteSelection, [args]);
  fix.diagnostics = [...diagnostics];
  return fix;
}

function action(title: string, kind: vscode.CodeActionKind, command: string, args: unknown[]): vscode.CodeAction {
  const codeAction = new vscode.CodeAction(title, kind);
  codeAction.command = { title, command, arguments: args };
  return codeAction;
}
