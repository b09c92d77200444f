import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandId } from '../../src/commandIds';
import type { RewriteResult } from '../../src/rewrite/rewriteController';
import { ORIGINAL, pausedAnswer, pieces, REWRITTEN } from '../fixtures/rewriteScripts';
import { faults, streamText } from '../server/scenarios';
import { useFixture } from './fixture';
import { until } from './helpers';

const KEY = 'io-rewrite-integration-key';

describe('Inline rewrite in a real VS Code', () => {
  const fx = useFixture({ server: {}, key: KEY });

  function openWith(name: string, content: string): Promise<vscode.TextEditor> {
    return fx.open(`rewrite-tmp/${name}`, content);
  }

  function rewrite(instruction = 'Use reduce.'): Thenable<RewriteResult> {
    return vscode.commands.executeCommand<RewriteResult>(CommandId.rewriteSelection, { instruction });
  }

  it('streams the proposal into the document; Accept keeps it, one Undo brings the original back', async () => {
    const editor = await openWith('accept.ts', ORIGINAL);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    fx.server.enqueue(streamText(pieces(REWRITTEN)));
    const result = await rewrite();
    assert.equal(result.outcome, 'pending');
    assert.equal(editor.document.getText(), REWRITTEN, 'while pending, the document holds the proposal');
    const sent = (fx.server.chatRequests()[0].body as { messages: { content: string }[] }).messages[1].content;
    assert.match(sent, /Instruction: Use reduce\./);
    assert.ok(await vscode.commands.executeCommand(CommandId.acceptEdit));
    assert.equal(editor.document.getText(), REWRITTEN);
    assert.equal(fx.api.rewrite.pendingFor(editor.document), undefined);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('Reject restores the original byte for byte: a CRLF file, and a file without a final newline', async () => {
    for (const [name, content] of [['crlf.ts', ORIGINAL.replace(/\n/g, '\r\n')], ['no-final-newline.ts', ORIGINAL.trimEnd()]] as const) {
      const editor = await openWith(name, content);
      editor.selection = new vscode.Selection(0, 0, editor.document.lineCount - 1, 1_000);
      fx.server.enqueue(streamText(pieces(REWRITTEN)));
      const result = await rewrite();
      assert.equal(result.outcome, 'pending');
      if (name === 'crlf.ts') assert.ok(editor.document.getText().includes('reduce((a, b) => a + b, 0) / values.length;\r\n}'), 'the proposal uses CRLF too');
      else assert.equal(editor.document.getText().endsWith('\n'), false, 'no final newline added');
      await vscode.commands.executeCommand(CommandId.rejectEdit);
      assert.equal(editor.document.getText(), content, name);
    }
  });

  it('Cancel mid-stream leaves the document exactly as it was', async () => {
    const editor = await openWith('cancel.ts', ORIGINAL);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    fx.server.enqueue(faults.stall('export function average(values: number[]): number {\n  const sum = values.reduce((a, b) => a + b, 0);\n  const count = values.length;\n  return'));
    const pending = rewrite();
    await until(() => editor.document.getText().includes('const sum = values.reduce'), 'the proposal to start streaming in');
    await vscode.commands.executeCommand(CommandId.stop);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(fx.api.rewrite.pendingFor(editor.document)?.state, 'streaming', 'Stop Generating is for the chat only');
    assert.equal(await vscode.commands.executeCommand(CommandId.cancelRewrite), true);
    const result = await pending;
    assert.equal(result.outcome, 'cancelled');
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('a stream that drops half-way leaves the original intact and says what happened', async () => {
    const editor = await openWith('drop.ts', ORIGINAL);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    fx.server.enqueue(faults.dropMidway('export function average(values: number[]): number {\n  return'));
    const result = await rewrite();
    assert.equal(result.outcome, 'failed');
    assert.match(result.message ?? '', /The connection to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/ broke/);
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('a failed rewrite offers Retry, which rewrites the same code again with the same instruction, where it moved to', async () => {
    const editor = await openWith('retry.ts', ORIGINAL);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    const above = '// a line typed above before Retry\n';
    let retried: Promise<void> | undefined;
    let offered: string[] = [];
    fx.patch(vscode.window, 'showErrorMessage', (async (message: string, ...items: string[]) => {
      offered = items;
      // Retry runs the new rewrite after the notification's promise resolves: wait for the document to change.
      retried = until(() => editor.document.getText() === above + REWRITTEN, 'the retried rewrite to stream in');
      // The user types above the code before choosing Retry: the retry follows the code.
      assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), above)));
      return /failed \(500\)/.test(message) ? 'Retry' : undefined;
    }) as unknown as typeof vscode.window.showErrorMessage);
    fx.server.enqueue(faults.serverError());
    fx.server.enqueue(streamText(pieces(REWRITTEN)));
    const failed = await rewrite('Use reduce, please.');
    assert.equal(failed.outcome, 'failed');
    assert.deepEqual(offered, ['Retry']);
    assert.ok(retried, 'the failure was shown');
    await retried;
    const [first, second] = fx.server.chatRequests().map((r) => (r.body as { messages: { content: string }[] }).messages[1].content);
    assert.match(first, /Instruction: Use reduce, please\./);
    assert.match(second, /Instruction: Use reduce, please\./);
    assert.equal(fx.api.rewrite.pendingFor(editor.document)?.state, 'pending');
    await vscode.commands.executeCommand(CommandId.rejectEdit);
    assert.equal(editor.document.getText(), above + ORIGINAL, 'the code that was retried is back, below the typed line');
  });

  it('an answer cut at the output limit is not applied', async () => {
    const editor = await openWith('cut.ts', ORIGINAL);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    fx.server.enqueue(streamText(pieces(REWRITTEN.slice(0, 60)), { finish: 'length' }));
    const result = await rewrite();
    assert.equal(result.outcome, 'cut');
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('fences, chatter and <think> reasoning never enter the file', async () => {
    const editor = await openWith('fenced.ts', ORIGINAL);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    const answer = `<think>The user wants reduce. PRIVATE</think>\n\nHere is the code:\n\n\`\`\`typescript\n${REWRITTEN}\`\`\`\n\nThis is shorter.`;
    fx.server.enqueue(streamText(pieces(answer, 5)));
    assert.equal((await rewrite()).outcome, 'pending');
    assert.equal(editor.document.getText(), REWRITTEN);
  });

  it('edits elsewhere in the document while it streams survive; an edit inside stops it and leaves it pending, incomplete', async () => {
    const editor = await openWith('concurrent.ts', `// header\n${ORIGINAL}// footer\n`);
    editor.selection = new vscode.Selection(1, 0, 8, 0);
    fx.server.enqueue(pausedAnswer(REWRITTEN, 400));
    const pending = rewrite();
    await until(() => editor.document.getText().includes('return values.reduce'), 'the first half');
    await editor.edit((e) => {
      e.insert(new vscode.Position(0, 0), '// added above\n');
      e.insert(new vscode.Position(editor.document.lineCount - 2, 0), '// added below\n');
    });
    assert.equal((await pending).outcome, 'pending');
    assert.ok(await vscode.commands.executeCommand(CommandId.acceptEdit));
    assert.equal(editor.document.getText(), `// added above\n// header\n${REWRITTEN}// added below\n// footer\n`);

    const second = await openWith('conflict.ts', `// header\n${ORIGINAL}`);
    second.selection = new vscode.Selection(1, 0, 8, 0);
    fx.server.enqueue(pausedAnswer(REWRITTEN, 4_000));
    const conflicted = rewrite();
    await until(() => second.document.getText().includes('return values.reduce'), 'the first half');
    assert.ok(await second.edit((e) => e.insert(new vscode.Position(2, 2), 'typed ')), 'the user’s edit went in while it streamed');
    const result = await conflicted;
    assert.equal(result.outcome, 'incomplete');
    const partial = second.document.getText();
    assert.ok(partial.includes('  typed return values.reduce'), 'the partial proposal with the user’s edit stays');
    assert.equal(partial.includes('```'), false);
    const edit = fx.api.rewrite.pendingFor(second.document);
    assert.ok(edit, 'still pending: only Accept or Reject settles it');
    assert.equal(edit.incomplete, true);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(second.document.getText(), partial, 'nothing more is written after the user’s edit');
    assert.ok(await vscode.commands.executeCommand(CommandId.rejectEdit));
    assert.equal(second.document.getText(), `// header\n${ORIGINAL}`, 'Reject restores the original byte for byte');
  });

  it('once the proposal is complete, typing inside it edits the proposal: still pending, Accept keeps the edit, Reject restores the original', async () => {
    for (const settle of ['acceptEdit', 'rejectEdit'] as const) {
      const editor = await openWith(`keep-${settle}.ts`, ORIGINAL);
      editor.selection = new vscode.Selection(0, 0, 7, 0);
      fx.server.enqueue(streamText(pieces(REWRITTEN)));
      assert.equal((await rewrite()).outcome, 'pending');
      await editor.edit((e) => e.insert(new vscode.Position(1, 2), '/* checked */ '));
      const edited = REWRITTEN.replace('  return', '  /* checked */ return');
      assert.equal(fx.api.rewrite.pendingFor(editor.document)?.proposedText, edited, 'an edit inside does not settle it');
      assert.ok(await vscode.commands.executeCommand(CommandId[settle]));
      assert.equal(editor.document.getText(), settle === 'acceptEdit' ? edited : ORIGINAL);
      assert.equal(fx.api.rewrite.pendingFor(editor.document), undefined);
    }
  });

  it('the lightbulb offers Fix with IO Intelligence on a diagnostic, and its prompt carries the diagnostic', async () => {
    const editor = await openWith('diagnostic.ts', ORIGINAL);
    const diagnostics = vscode.languages.createDiagnosticCollection('test');
    const problem = new vscode.Diagnostic(new vscode.Range(5, 9, 5, 14), 'Division by zero when values is empty', vscode.DiagnosticSeverity.Warning);
    diagnostics.set(editor.document.uri, [problem]);
    try {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, new vscode.Range(5, 9, 5, 14));
      const titles = actions.map((a) => a.title);
      assert.ok(titles.includes('Fix with IO Intelligence'), titles.join(', '));
      const fix = actions.find((a) => a.title === 'Fix with IO Intelligence')!;
      fx.server.enqueue(streamText(['  return values.length ? total / values.length : 0;\n']));
      const result = await vscode.commands.executeCommand<RewriteResult>(fix.command!.command, ...(fix.command!.arguments ?? []));
      assert.equal(result.outcome, 'pending');
      const sent = (fx.server.chatRequests()[0].body as { messages: { content: string }[] }).messages[1].content;
      assert.match(sent, /line 6: Division by zero when values is empty/);
      assert.match(sent, /```typescript\n {2}return total \/ values\.length;\n```/);
      const selected = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, new vscode.Range(0, 0, 2, 0));
      for (const title of ['Rewrite with IO Intelligence…', 'Add documentation with IO Intelligence', 'Explain with IO Intelligence']) {
        assert.ok(selected.some((a) => a.title === title), `${title} is offered on a selection`);
      }
    } finally {
      diagnostics.dispose();
    }
  });

  it('Apply from the chat goes through the same review as a rewrite', async () => {
    const editor = await openWith('apply.ts', ORIGINAL);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    await fx.api.fromWebview({ type: 'applyCode', code: REWRITTEN.trimEnd() });
    assert.ok(fx.api.rewrite.pendingFor(editor.document), 'a pending edit to accept or reject');
    assert.equal(editor.document.getText(), REWRITTEN);
    await vscode.commands.executeCommand(CommandId.rejectEdit);
    assert.equal(editor.document.getText(), ORIGINAL);
  });
});
