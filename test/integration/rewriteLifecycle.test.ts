import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandId } from '../../src/commandIds';
import type { RewriteResult } from '../../src/rewrite/rewriteController';
import { ORIGINAL, pausedAnswer, pieces, REWRITTEN } from '../fixtures/rewriteScripts';
import { streamText } from '../server/scenarios';
import { useFixture } from './fixture';
import { until } from './helpers';

const KEY = 'io-rewrite-lifecycle-key';

describe('Pending edit lifecycle in a real VS Code: undo, save, close, reload, one operation per document, answers that are not code', () => {
  const fx = useFixture({ server: { validKeys: [KEY] }, key: KEY });

  function openWith(name: string, content: string): Promise<vscode.TextEditor> {
    return fx.open(`lifecycle-tmp/${name}`, content);
  }

  function rewrite(args: Record<string, unknown> = {}): Thenable<RewriteResult> {
    return vscode.commands.executeCommand<RewriteResult>(CommandId.rewriteSelection, { instruction: 'Use reduce.', ...args });
  }

  it('Undo while a rewrite streams cancels it and restores the range in one step', async () => {
    const editor = await openWith('undo.ts', `// above\n${ORIGINAL}// below\n`);
    editor.selection = new vscode.Selection(1, 0, 8, 0);
    fx.server.enqueue(pausedAnswer(REWRITTEN, 5_000));
    const pending = rewrite();
    await until(() => editor.document.getText().includes('return values.reduce'), 'the first half to stream in', 30_000);
    await vscode.commands.executeCommand('undo');
    const result = await pending;
    assert.equal(result.outcome, 'cancelled');
    assert.equal(editor.document.getText(), `// above\n${ORIGINAL}// below\n`);
    assert.equal(fx.api.rewrite.pendingFor(editor.document), undefined);
  });

  it('saving with an edit pending saves what is shown, says so once, and keeps the edit pending (no save loop)', async () => {
    const notices = fx.answerNotifications('showInformationMessage', () => undefined);
    const editor = await openWith('save.ts', ORIGINAL);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    fx.server.enqueue(streamText(pieces(REWRITTEN)));
    assert.equal((await rewrite()).outcome, 'pending');
    assert.equal(editor.document.isDirty, true);
    // (document.save() in this host answers false for a save that did happen: ask the workspace, check the disk.)
    assert.ok(await vscode.workspace.save(editor.document.uri));
    assert.equal(editor.document.isDirty, false);
    assert.equal(fs.readFileSync(editor.document.uri.fsPath, 'utf8'), REWRITTEN, 'what is shown is what is saved');
    // A second save of the same edit (the user typed elsewhere first, so there is something to save) says nothing.
    assert.ok(await editor.edit((e) => e.insert(editor.document.positionAt(editor.document.getText().length), '// later\n')));
    const version = editor.document.version;
    assert.ok(await vscode.workspace.save(editor.document.uri));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(editor.document.version, version, 'saving did not change the document (no save loop)');
    assert.equal(editor.document.isDirty, false);
    assert.equal(notices.filter((m) => /saved with the IO Intelligence edit still pending/.test(m)).length, 1, 'said once per edit');
    assert.equal(fx.api.rewrite.pendingFor(editor.document)?.state, 'pending', 'still pending after the save');
    assert.ok(await vscode.commands.executeCommand(CommandId.rejectEdit));
    assert.equal(editor.document.getText(), `${ORIGINAL}// later\n`);
  });

  it('a pending edit is kept in workspace state and offered again after a window reload while its proposal is in the file', async () => {
    const editor = await openWith('persist.ts', ORIGINAL);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    fx.server.enqueue(streamText(pieces(REWRITTEN)));
    assert.equal((await rewrite()).outcome, 'pending');
    const uri = editor.document.uri.toString();
    type Stored = { version: number; edits: { uri: string; original: string; shown: string; start: number }[] } | undefined;
    await until(() => Boolean(fx.api.workspaceState.get<Stored>('ioIntelligence.pendingEdits')?.edits.some((e) => e.uri === uri)), 'the edit to be stored');
    const stored = fx.api.workspaceState.get<Stored>('ioIntelligence.pendingEdits')!.edits.find((e) => e.uri === uri)!;
    assert.equal(stored.original, ORIGINAL);
    assert.equal(stored.shown, REWRITTEN);
    assert.ok(await vscode.commands.executeCommand(CommandId.rejectEdit));
    assert.equal(fx.api.workspaceState.get<Stored>('ioIntelligence.pendingEdits')?.edits.some((e) => e.uri === uri) ?? false, false, 'a settled edit is forgotten');

    // A reload: the state is there, the document (restored by VS Code) still holds the proposal, the edit is offered.
    const reopened = await openWith('reloaded.ts', `// moved down\n${REWRITTEN}`);
    const snapshot = { uri: reopened.document.uri.toString(), start: 0, original: ORIGINAL, shown: REWRITTEN, model: 'm', incomplete: false };
    await fx.api.workspaceState.update('ioIntelligence.pendingEdits', { version: 1, edits: [snapshot] });
    fx.api.rewrite.restoreOpenDocuments();
    const restored = fx.api.rewrite.pendingFor(reopened.document);
    assert.ok(restored, 'offered again');
    assert.equal(restored.state, 'pending');
    assert.equal(restored.proposedText, REWRITTEN);
    assert.ok(await vscode.commands.executeCommand(CommandId.rejectEdit, reopened.document.uri));
    assert.equal(reopened.document.getText(), `// moved down\n${ORIGINAL}`, 'Reject after the reload restores the original where the proposal is now');

    // An unknown stored shape is set aside, not thrown on.
    await fx.api.workspaceState.update('ioIntelligence.pendingEdits', { version: 99, edits: 'garbage' });
    fx.api.rewrite.restoreOpenDocuments();
    await fx.api.workspaceState.update('ioIntelligence.pendingEdits', undefined);
  });

  it('when VS Code closes the document, the extension forgets its pending edit (Reject for our state, no write)', async () => {
    // A file's document is disposed lazily after its editor closes (VS Code gives no time); an untitled one at once.
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: ORIGINAL });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    fx.server.enqueue(streamText(pieces(REWRITTEN)));
    assert.equal((await rewrite()).outcome, 'pending');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await until(() => document.isClosed, 'VS Code to close the document');
    assert.equal(fx.api.rewrite.all().some((e) => e.document === document), false, 'no pending edit left for the closed document');
  });

  it('a language change (VS Code closes and reopens the same document) keeps the pending edit', async () => {
    const editor = await openWith('language.ts', ORIGINAL);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    fx.server.enqueue(streamText(pieces(REWRITTEN)));
    assert.equal((await rewrite()).outcome, 'pending');
    const document = await vscode.languages.setTextDocumentLanguage(editor.document, 'plaintext');
    assert.equal(fx.api.rewrite.pendingFor(document)?.state, 'pending');
    assert.ok(await vscode.commands.executeCommand(CommandId.rejectEdit, document.uri));
    assert.equal(document.getText(), ORIGINAL);
  });

  it('two rewrites started at once on one document: the second is refused, the first is the only pending edit', async () => {
    const editor = await openWith('twice.ts', ORIGINAL);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    fx.server.enqueue(streamText(pieces(REWRITTEN)));
    const [first, second] = await Promise.all([fx.api.rewrite.rewrite({ editor, range: editor.selection, instruction: 'a' }), fx.api.rewrite.rewrite({ editor, range: editor.selection, instruction: 'b' })]);
    assert.equal(first.outcome, 'pending');
    assert.equal(second.outcome, 'busy');
    assert.equal(fx.server.chatRequests().length, 1, 'only one request was sent');
    assert.equal(fx.api.rewrite.all().filter((e) => e.document === editor.document).length, 1);
    assert.ok(await vscode.commands.executeCommand(CommandId.rejectEdit));
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('"Reject and Continue" moves lines; the next rewrite sends the range where its code is then', async () => {
    const below = 'export function twice(n: number): number {\n  return n * 2;\n}\n';
    const editor = await openWith('continue.ts', ORIGINAL + below);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    fx.server.enqueue(pausedAnswer(REWRITTEN, 3_000));
    const firstRun = rewrite();
    await until(() => editor.document.getText().includes('return values.reduce'), 'the first rewrite to stream in', 30_000);
    // While the first streams (its partial proposal is shorter than the original), rewrite `twice`, at its lines now.
    const start = editor.document.getText().indexOf('export function twice');
    const range = new vscode.Range(editor.document.positionAt(start), editor.document.positionAt(start + below.length));
    fx.answerNotifications('showWarningMessage', (m) => (/still (pending|streaming)/.test(m) ? 'Cancel and Continue' : undefined));
    fx.server.enqueue(streamText(pieces('export function twice(n: number): number {\n  return n + n;\n}\n')));
    const second = await rewrite({ instruction: 'Use addition.', range: [range.start.line, range.start.character, range.end.line, range.end.character] });
    assert.equal(second.outcome, 'pending');
    assert.equal((await firstRun).outcome, 'cancelled');
    const sent = (fx.server.chatRequests()[1].body as { messages: { content: string }[] }).messages[1].content;
    const selected = sent.slice(sent.indexOf('Selected code to rewrite:'), sent.indexOf('Return only the rewritten'));
    assert.match(selected, /^Selected code to rewrite:\n`{3,}typescript\nexport function twice\(n: number\): number \{\n {2}return n \* 2;\n\}\n{1,2}`{3,}\n\n$/, `the range sent is exactly the function, after the lines moved: ${JSON.stringify(selected)}`);
    assert.equal(editor.document.getText(), ORIGINAL + 'export function twice(n: number): number {\n  return n + n;\n}\n');
    assert.equal(fx.api.rewrite.all().length, 1, 'no orphan');
  });

  it('an answer with no code is not applied: the user is told, and can see it in the chat', async () => {
    fx.answerNotifications('showInformationMessage', (m) => (/instead of code/.test(m) ? 'Show in Chat' : undefined));
    const editor = await openWith('prose.ts', ORIGINAL);
    editor.selection = new vscode.Selection(0, 0, 7, 0);
    const prose = 'I cannot rewrite this function without knowing how empty arrays should be handled. Should it return zero, or throw an error? Please tell me which behaviour you expect.';
    fx.server.enqueue(streamText(pieces(prose)));
    const result = await rewrite();
    assert.equal(result.outcome, 'notCode');
    assert.equal(editor.document.getText(), ORIGINAL);
    assert.equal(fs.readFileSync(editor.document.uri.fsPath, 'utf8'), ORIGINAL);
    await until(() => fx.api.chat.current.turns.some((t) => t.role === 'assistant' && t.text === prose), 'the answer to appear in the chat');
  });

  it('only code enters the file, whatever shape the answer has (checked on disk after Accept)', async () => {
    const shapes: [string, string][] = [
      ['info string with spaces', `\`\`\`ts title="average.ts"\n${REWRITTEN}\`\`\`\n`],
      ['ten lines of chatter first', `${Array.from({ length: 10 }, (_, i) => `Point ${i + 1}: the loop can be a reduce.`).join('\n')}\n\n\`\`\`typescript\n${REWRITTEN}\`\`\`\nDone.\n`],
      ['tildes', `Here you go:\n~~~typescript\n${REWRITTEN}~~~\n\nNotes follow.\n`],
      ['a longer fence with backticks inside', `\`\`\`\`typescript\n${REWRITTEN.replace('values.length;', 'values.length; // ``` is fine')}\`\`\`\`\nAfter.\n`],
      ['several blocks, the file’s language second', `First in Python:\n\`\`\`python\ndef average(v): return sum(v) / len(v)\n\`\`\`\nNow TypeScript:\n\`\`\`typescript\n${REWRITTEN}\`\`\`\nAnd a test:\n\`\`\`typescript\nconsole.log(average([1]));\n\`\`\`\n`],
    ];
    for (const [name, answer] of shapes) {
      const editor = await openWith(`shape-${shapes.findIndex((s) => s[0] === name)}.ts`, ORIGINAL);
      editor.selection = new vscode.Selection(0, 0, 7, 0);
      fx.server.enqueue(streamText(pieces(answer, 4)));
      assert.equal((await rewrite()).outcome, 'pending', name);
      assert.ok(await vscode.commands.executeCommand(CommandId.acceptEdit), name);
      await editor.document.save();
      const onDisk = fs.readFileSync(editor.document.uri.fsPath, 'utf8');
      const expected = name.startsWith('a longer fence') ? REWRITTEN.replace('values.length;', 'values.length; // ``` is fine') : REWRITTEN;
      assert.equal(onDisk, expected, name);
    }
  });
});

describe('Insert from the chat is a write like any other (real VS Code)', () => {
  const fx = useFixture();

  it('asks before inserting into .vscode/ (declined: nothing changes; allowed: inserted as one undo step)', async () => {
    const editor = await fx.open('.vscode/insert-target.json', '{}\n');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    for (const answer of [undefined, 'Allow']) {
      const dialogs = fx.answerNotifications('showWarningMessage', () => answer);
      await fx.api.fromWebview({ type: 'insertCode', code: '// from the model\n' });
      assert.equal(dialogs.length, 1, 'asked once');
      assert.match(dialogs[0], /Let IO Intelligence change this file\? \.vscode\/insert-target\.json holds editor configuration/);
      assert.equal(editor.document.getText(), answer ? '// from the model\n{}\n' : '{}\n');
    }
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), '{}\n', 'one Undo takes the insert back');
  });

  it('sees through a symbolic link into .vscode/ and a path that leaves the workspace', async () => {
    const { writeConcern } = await import('../../src/writeGuard');
    fx.writeFile('.vscode/tasks-via-link.json', '{}\n');
    fs.symlinkSync(path.join(fx.folder, '.vscode'), fx.trackPath('linked-vscode'));
    const linked = path.join(fx.folder, 'linked-vscode', 'tasks-via-link.json');
    assert.match(writeConcern(await vscode.workspace.openTextDocument(linked)) ?? '', /editor configuration/);
    const outside = fx.writeFile(path.join(fx.folder, '..', `ioi-outside-${Date.now()}.ts`), 'x\n');
    assert.match(writeConcern(await vscode.workspace.openTextDocument(outside)) ?? '', /outside the workspace/);
    for (const file of ['.github/workflows/ci.yml', '.devcontainer/devcontainer.json', 'project.code-workspace']) {
      assert.ok(writeConcern(await vscode.workspace.openTextDocument(fx.writeFile(file, 'x\n'))), file);
    }
    assert.equal(writeConcern(await vscode.workspace.openTextDocument(path.join(fx.folder, 'src', 'math.ts'))), undefined);
  });
});
