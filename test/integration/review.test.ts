import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandId } from '../../src/commandIds';
import { editDecorations } from '../../src/rewrite/editDecorations';
import { lensKeys } from '../../src/rewrite/editLenses';
import { ORIGINAL_SCHEME, outsideReviewDiffs } from '../../src/rewrite/reviewDiff';
import type { RewriteResult } from '../../src/rewrite/rewriteController';
import { ORIGINAL, pausedAnswer, pieces, REWRITTEN } from '../fixtures/rewriteScripts';
import { streamText } from '../server/scenarios';
import { useFixture } from './fixture';
import { EXTENSION_ID, until } from './helpers';

const KEY = 'io-review-integration-key';

describe('Reviewing a pending edit in a real VS Code: removed lines, lenses with keys, the diff editor, the lightbulb', () => {
  const fx = useFixture({ server: { validKeys: [KEY] }, key: KEY });

  function rewrite(): Thenable<RewriteResult> {
    return vscode.commands.executeCommand<RewriteResult>(CommandId.rewriteSelection, { instruction: 'Use reduce.' });
  }

  async function pendingIn(name: string, content = ORIGINAL, selection = new vscode.Selection(0, 0, 7, 0)): Promise<vscode.TextEditor> {
    const editor = await fx.open(`review-tmp/${name}`, content);
    editor.selection = selection;
    fx.server.enqueue(streamText(pieces(REWRITTEN)));
    assert.equal((await rewrite()).outcome, 'pending');
    return editor;
  }

  async function lensTitles(document: vscode.TextDocument): Promise<vscode.Command[]> {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    return lenses.flatMap((l) => (l.command ? [l.command] : []));
  }

  function diffTabs(): vscode.Tab[] {
    return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.original.scheme === ORIGINAL_SCHEME);
  }

  it('the lens says Cancel (Esc) while it streams and cancels with cancelRewrite; then Accept (Ctrl+Enter), Reject (Esc) from package.json', async () => {
    const editor = await fx.open('review-tmp/lens.ts', ORIGINAL);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    fx.server.enqueue(pausedAnswer(REWRITTEN, 60_000));
    const streaming = rewrite();
    await until(() => editor.document.getText().includes('return values.reduce'), 'the first half to stream in');
    const whileStreaming = await lensTitles(editor.document);
    const cancel = whileStreaming.find((c) => c.command === CommandId.cancelRewrite);
    assert.ok(cancel, JSON.stringify(whileStreaming));
    assert.equal(cancel.title, '$(debug-stop) Cancel (Esc)');
    assert.equal(whileStreaming.some((c) => c.command === CommandId.acceptEdit), false, 'nothing to accept while it streams');
    await vscode.commands.executeCommand(cancel.command, ...(cancel.arguments ?? []));
    assert.equal((await streaming).outcome, 'cancelled');
    assert.equal(editor.document.getText(), ORIGINAL);

    fx.server.enqueue(streamText(pieces(REWRITTEN)));
    assert.equal((await rewrite()).outcome, 'pending');
    const titles = (await lensTitles(editor.document)).map((c) => c.title);
    assert.deepEqual(titles, ['$(check) Accept (Ctrl+Enter)', '$(close) Reject (Esc)', '$(diff) Show Diff']);
    // On macOS the manifest's `mac` key is named.
    const keys = lensKeys(vscode.extensions.getExtension(EXTENSION_ID)!, 'mac');
    assert.deepEqual(keys, { accept: 'Cmd+Enter', reject: 'Esc', cancel: 'Esc' });
  });

  it('the removed lines are shown beside the line that replaced them, follow the range as the user types above it, and go when it settles', async () => {
    const editor = await pendingIn('removed.ts', `// header\n${ORIGINAL}`, new vscode.Selection(1, 0, 8, 0));
    const edit = fx.api.rewrite.pendingFor(editor.document)!;
    const removedLines = ['let total = 0;', 'for (const value of values) {', 'total += value;', '}', 'return total / values.length;'];
    const check = (line: number): void => {
      const shown = editDecorations(edit);
      assert.deepEqual(shown.added.map((r) => r.start.line), [line], 'the new line is marked');
      assert.equal(shown.removed.length, 1);
      assert.equal(shown.removed[0].range.start.line, line, 'the removed lines sit on the line that replaced them');
      assert.equal(shown.removed[0].renderOptions?.after?.contentText, removedLines.join('  ⏎  '));
      assert.match((shown.removed[0].hoverMessage as vscode.MarkdownString).value, /let total = 0;\n {2}for \(const value of values\) \{/);
    };
    check(2);
    assert.ok(await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// one\n// two\n')));
    check(4);
    assert.ok(await editor.edit((e) => e.insert(new vscode.Position(4, 0), '  // inside\n')), 'typing inside the proposal');
    const inside = editDecorations(edit);
    assert.deepEqual(inside.added.map((r) => r.start.line), [4, 5], 'the typed line is part of the proposal');
    assert.deepEqual(
      inside.removed.map((o) => [o.range.start.line, o.renderOptions?.after?.contentText]),
      [
        [4, removedLines[0]],
        [5, removedLines.slice(1).join('  ⏎  ')],
      ],
      'one removed line beside each new line, the rest beside the last',
    );
    assert.ok(await vscode.commands.executeCommand(CommandId.rejectEdit));
    assert.equal(editor.document.getText(), `// one\n// two\n// header\n${ORIGINAL}`);
    assert.equal(fx.api.rewrite.pendingFor(editor.document), undefined, 'nothing left to decorate');
  });

  it('Show Diff opens a diff editor that closes when the edit is accepted, rejected or cancelled; Accept from its title takes either side’s URI', async () => {
    for (const settle of ['accept', 'reject', 'acceptFromOriginalSide'] as const) {
      const editor = await pendingIn(`diff-${settle}.ts`);
      await vscode.commands.executeCommand(CommandId.showEditDiff, editor.document.uri);
      await until(() => diffTabs().length === 1, 'the diff editor to open');
      const input = diffTabs()[0].input as vscode.TabInputTextDiff;
      assert.equal(input.modified.toString(), editor.document.uri.toString());
      const original = (await vscode.workspace.openTextDocument(input.original)).getText();
      assert.equal(original, ORIGINAL, 'the left side is the original');
      const command = settle === 'reject' ? CommandId.rejectEdit : CommandId.acceptEdit;
      assert.ok(await vscode.commands.executeCommand(command, settle === 'acceptFromOriginalSide' ? input.original : input.modified));
      await until(() => diffTabs().length === 0, `the diff editor to close after ${settle}`);
      assert.equal(editor.document.getText(), settle === 'reject' ? ORIGINAL : REWRITTEN);
    }

    const editor = await fx.open('review-tmp/diff-cancel.ts', ORIGINAL);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    fx.server.enqueue(pausedAnswer(REWRITTEN, 60_000));
    const streaming = rewrite();
    await until(() => editor.document.getText().includes('return values.reduce'), 'the first half to stream in');
    await vscode.commands.executeCommand(CommandId.showEditDiff, editor.document.uri);
    await until(() => diffTabs().length === 1, 'the diff editor to open while it streams');
    assert.ok(await vscode.commands.executeCommand(CommandId.cancelRewrite, editor.document.uri));
    assert.equal((await streaming).outcome, 'cancelled');
    await until(() => diffTabs().length === 0, 'the diff editor to close after Cancel');
  });

  it('inside the Show Diff editor the removed lines are not drawn again; the same document in another editor has them', async () => {
    const editor = await pendingIn('diff-sides.ts');
    const document = editor.document;
    await vscode.commands.executeCommand(CommandId.showEditDiff, document.uri);
    const visible = (): readonly vscode.TextEditor[] => vscode.window.visibleTextEditors;
    await until(() => visible().some((e) => e.document.uri.scheme === ORIGINAL_SCHEME), 'both sides of the diff to be visible editors');
    const diffRight = visible().find((e) => e.document === document);
    assert.ok(diffRight, 'the right side of the diff is the document itself');
    assert.equal(outsideReviewDiffs(visible()).includes(diffRight), false, 'the diff’s right side is left alone');
    const beside = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    await until(() => visible().includes(beside), 'the editor beside to be visible');
    assert.deepEqual(outsideReviewDiffs(visible()), [beside], 'a plain editor of the document is decorated');
  });

  it('in the lightbulb, Explain has a kind of its own, apart from the rewrites, and is not a refactoring', async () => {
    const editor = await fx.open('review-tmp/lightbulb.ts', ORIGINAL);
    const range = new vscode.Range(0, 0, 2, 0);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, range);
    const kind = (title: string): string | undefined => actions.find((a) => a.title === title)?.kind?.value;
    assert.equal(kind('Rewrite with IO Intelligence…'), vscode.CodeActionKind.RefactorRewrite.value);
    assert.equal(kind('Add documentation with IO Intelligence'), vscode.CodeActionKind.RefactorRewrite.value);
    const explain = kind('Explain with IO Intelligence');
    assert.ok(explain, actions.map((a) => a.title).join(', '));
    for (const group of [vscode.CodeActionKind.Refactor, vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.Source]) {
      assert.equal(group.contains(vscode.CodeActionKind.Empty.append(explain)), false, `Explain is not under ${group.value}`);
    }
    const refactorings = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, range, vscode.CodeActionKind.Refactor.value);
    assert.deepEqual(refactorings.filter((a) => a.title.includes('IO Intelligence')).map((a) => a.title), ['Rewrite with IO Intelligence…', 'Add documentation with IO Intelligence']);
  });
});
