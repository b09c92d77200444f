import * as vscode from 'vscode';
import { lastCoveredLine } from '../editorRange';
import { addedLines, lineDiff, removedNotes, type RemovedNote } from '../core/rewrite/lineDiff';
import type { PendingEdit } from './pendingEdit';

/** What one pending edit shows in its editor: new lines, and the removed lines beside the lines that replaced them. */
export interface EditDecorations {
  /** The proposal's new lines (whole lines). */
  readonly added: vscode.Range[];
  /** One per line that carries removed text: the text shown after it, and a hover with the removed lines in full. */
  readonly removed: vscode.DecorationOptions[];
}

/** Removed text longer than this is cut on the line (the hover and Show Diff have all of it). */
const MAX_NOTE_CHARS = 160;

/**
 * Computed from the edit's range and text as they are now, so the decorations follow the range wherever the user's
 * typing moves it; an edit that changes nothing shows nothing.
 */
export function editDecorations(edit: PendingEdit): EditDecorations {
  if (edit.proposedText === edit.original) return { added: [], removed: [] };
  const range = edit.range;
  const first = range.start.line;
  const last = lastCoveredLine(range);
  const hunks = lineDiff(edit.original, edit.proposedText, edit.state === 'streaming');
  const added = addedLines(hunks)
    .map((line) => first + line)
    .filter((line) => line <= last)
    .map((line) => new vscode.Range(line, 0, line, 0));
  const removed = removedNotes(hunks, last - first).map((note) => removedOption(note, edit.document.lineAt(first + note.line).range.end, edit.document.languageId));
  return { added, removed };
}

function removedOption(note: RemovedNote, end: vscode.Position, languageId: string): vscode.DecorationOptions {
  const hover = new vscode.MarkdownString(`**Removed by the IO Intelligence edit** (Reject brings ${note.lines.length === 1 ? 'it' : 'them'} back):`);
  hover.appendCodeblock(note.lines.join('\n'), languageId);
  return {
    range: new vscode.Range(end, end),
    hoverMessage: hover,
    renderOptions: { after: { contentText: noteText(note.lines) } },
  };
}

/** Removed lines on one line of the editor: indentation dropped, lines separated by ⏎, long text cut. */
function noteText(lines: readonly string[]): string {
  const text = lines.map((l) => l.trim()).filter(Boolean).join('  ⏎  ') || '(blank line)';
  return text.length > MAX_NOTE_CHARS ? `${text.slice(0, MAX_NOTE_CHARS - 1)}…` : text;
}

/** The decoration types, in the diff editor's theme colours (every theme defines them). */
export function createEditDecorationTypes(): { added: vscode.TextEditorDecorationType; removed: vscode.TextEditorDecorationType } {
  return {
    added: vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    }),
    removed: vscode.window.createTextEditorDecorationType({
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      after: {
        margin: '0 0 0 2em',
        backgroundColor: new vscode.ThemeColor('diffEditor.removedTextBackground'),
        border: '1px solid',
        borderColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
        textDecoration: 'line-through',
        fontStyle: 'normal',
      },
    }),
  };
}
