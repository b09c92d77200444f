import * as vscode from 'vscode';

/** What a command acts on: the selection, or the cursor's whole line when nothing is selected. */
export function selectionOrLine(editor: vscode.TextEditor): vscode.Range {
  const selection = editor.selection;
  return selection.isEmpty ? editor.document.lineAt(selection.active.line).range : selection;
}

/** Whole lines `startLine`–`endLine` (1-based, as quotes and references count them). */
export function wholeLines(startLine: number, endLine: number): vscode.Range {
  return new vscode.Range(startLine - 1, 0, endLine - 1, Number.MAX_SAFE_INTEGER);
}

/** The last line a range covers: one that ends at column 0 of a later line does not cover that line. */
export function lastCoveredLine(range: vscode.Range): number {
  return range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
}
