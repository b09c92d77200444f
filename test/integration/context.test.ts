import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandId } from '../../src/commandIds';
import { CodebaseIndex } from '../../src/core/context/codebaseIndex';
import type { HostMessage, MentionOption, Turn } from '../../src/protocol/messages';
import type { IoTestServer } from '../server/ioTestServer';
import { streamText } from '../server/scenarios';
import { useFixture, type Fixture } from './fixture';
import { until } from './helpers';

const KEY = 'io-context-key';

function lastUserMessage(server: IoTestServer): string {
  const body = server.chatRequests().at(-1)?.body as { messages: { role: string; content: string }[] };
  return body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

/** What the `@` list offers for `query` once the files are listed too (the kinds come first, at once). */
async function optionsFor(fx: Fixture, query: string): Promise<MentionOption[]> {
  const before = fx.api.postedToWebview.length;
  await fx.api.fromWebview({ type: 'mentionQuery', query });
  const answer = fx.api.postedToWebview.slice(before).reverse().find((m): m is Extract<HostMessage, { type: 'mentionOptions' }> => m.type === 'mentionOptions' && m.query === query);
  assert.ok(answer, `no options posted for "${query}"`);
  return [...answer.options];
}

const chips = (fx: Fixture) => fx.api.attachments.tray.attachments;

/** Sends a question from the webview with what is attached, and waits for its answer. */
async function ask(fx: Fixture, text: string, answer = 'ok'): Promise<Turn> {
  fx.server.enqueue(streamText([answer]));
  const turns = fx.api.chat.current.turns.length;
  await fx.api.fromWebview({ type: 'send', text });
  await until(() => fx.api.chat.current.turns.length >= turns + 2 && !fx.api.chat.busy, 'the answer to end');
  return fx.api.chat.current.turns.at(-1)!;
}

describe('Context: @-mentions, chips and references in a real VS Code', () => {
  const fx = useFixture({ server: { stepDelayMs: 1 }, key: KEY });

  beforeEach(async () => {
    await vscode.commands.executeCommand(CommandId.newChat);
    for (const chip of [...chips(fx)]) fx.api.attachments.tray.remove(chip.id);
  });

  it('@ lists every kind; a typed name finds files by fuzzy search, never a git-ignored, files.exclude-d or excluded one', async () => {
    fx.writeFile('.gitignore', 'generated/\n');
    fx.writeFile('generated/mathCache.ts', 'export const cached = 1;\n');
    fx.writeFile('src/mathHelpers.ts', 'export const helper = 2;\n');
    fx.writeFile('src/.env.math', 'MATH_SECRET=1\n');
    const editor = await fx.open('src/math.ts');
    editor.selection = new vscode.Selection(1, 0, 3, 0);
    await until(async () => (await optionsFor(fx, 'file:math')).some((o) => o.label === 'mathHelpers.ts'), 'the new file to be listed');
    const kinds = (await optionsFor(fx, '')).filter((o) => !o.uri || o.kind !== 'file').map((o) => `${o.label} ${o.description}`);
    assert.deepEqual(
      kinds.map((k) => k.split(' ')[0]),
      ['@file', '@selection', '@open', '@problems', '@problems', '@codebase'],
    );
    assert.ok(kinds.includes('@selection src/math.ts:2–3'), kinds.join(' | '));
    const files = (await optionsFor(fx, 'mth')).filter((o) => o.kind === 'file' && o.uri).map((o) => `${o.description}/${o.label}`);
    assert.ok(files.includes('src/math.ts') && files.includes('src/mathHelpers.ts'), files.join(', '));
    assert.ok(!files.some((f) => f.includes('generated') || f.includes('.env')), files.join(', '));
    const narrowed = await optionsFor(fx, 'sel');
    assert.deepEqual(
      narrowed.filter((o) => !o.uri).map((o) => o.label),
      ['@selection'],
    );
  });

  it('a file chip sends the file with the next question, the answer cites its lines, and the reference opens them', async () => {
    const math = vscode.Uri.file(`${fx.folder}/src/math.ts`);
    await fx.api.fromWebview({ type: 'attach', kind: 'file', uri: math.toString() });
    assert.deepEqual(
      chips(fx).map((c) => [c.kind, c.label]),
      [['file', 'src/math.ts']],
    );
    assert.ok(fx.api.postedToWebview.some((m) => m.type === 'attachments' && m.attachments.length === 1), 'the view was told of the chip');
    const answer = await ask(fx, 'What does this file export?');
    const sent = lastUserMessage(fx.server);
    const lines = fs.readFileSync(math.fsPath, 'utf8').replace(/\n$/, '').split('\n');
    assert.match(sent, /^What does this file export\?\n\nAttached for context/);
    assert.ok(sent.includes(`src/math.ts (lines 1–${lines.length})`), sent.slice(0, 300));
    assert.ok(sent.includes(lines[0]) && sent.includes(lines.at(-1)!), 'the whole file is in the prompt');
    assert.deepEqual(answer.references, [{ uri: math.toString(), path: 'src/math.ts', startLine: 1, endLine: lines.length }]);
    assert.deepEqual(chips(fx), [], 'the chips went with the question');
    assert.deepEqual(
      fx.api.chat.current.turns.at(-2)?.attachments?.map((a) => a.label),
      ['src/math.ts'],
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fx.api.fromWebview({ type: 'openReference', turnId: answer.id, index: 0 });
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), math.toString());
    assert.deepEqual([editor.selection.start.line, editor.selection.end.line], [0, lines.length - 1]);
  });

  it('an excluded file is refused as a chip, with a message, from the list, the command and a drop', async () => {
    const shown = fx.recordNotifications();
    const secret = vscode.Uri.file(fx.writeFile('config/.env.local', 'API_TOKEN=very-secret\n'));
    const refused = await vscode.commands.executeCommand<(string | undefined)[]>(CommandId.addFileToChat, secret);
    assert.match(refused[0] ?? '', /config\/\.env\.local matches ioIntelligence\.exclude: its content never leaves this machine/);
    await fx.api.fromWebview({ type: 'attach', kind: 'file', uri: secret.toString() });
    await fx.api.fromWebview({ type: 'dropFiles', uris: [secret.toString()] });
    assert.deepEqual(chips(fx), []);
    assert.equal(shown.filter((n) => n.kind === 'showWarningMessage' && /ioIntelligence\.exclude/.test(n.message)).length, 3);
  });

  it("a folder's own ioIntelligence.exclude cannot drop the defaults: with [] in the workspace, a .env is still refused", async () => {
    const config = vscode.workspace.getConfiguration('ioIntelligence');
    await config.update('exclude', [], vscode.ConfigurationTarget.Workspace);
    try {
      const secret = vscode.Uri.file(fx.writeFile('config/.env.staging', 'API_TOKEN=very-secret\n'));
      const refused = await vscode.commands.executeCommand<(string | undefined)[]>(CommandId.addFileToChat, secret);
      assert.match(refused[0] ?? '', /config\/\.env\.staging matches ioIntelligence\.exclude/);
      assert.deepEqual(chips(fx), []);
    } finally {
      await config.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a file excluded after its chip was made is not sent: the answer says why', async () => {
    const file = vscode.Uri.file(fx.writeFile('notes/plan.txt', 'the secret plan\n'));
    await vscode.commands.executeCommand(CommandId.addFileToChat, file);
    assert.equal(chips(fx).length, 1);
    await fx.setting('exclude', ['**/notes/**']);
    const answer = await ask(fx, 'Summarize');
    assert.doesNotMatch(lastUserMessage(fx.server), /secret plan/);
    assert.match(answer.note ?? '', /notes\/plan\.txt matches ioIntelligence\.exclude/);
    assert.equal(answer.references, undefined);
  });

  it('Add File to Chat from the explorer attaches every selected file once; a drop from outside the workspace is ignored', async () => {
    const a = vscode.Uri.file(fx.writeFile('src/a.ts', 'export const a = 1;\n'));
    const b = vscode.Uri.file(fx.writeFile('src/b.ts', 'export const b = 2;\n'));
    await vscode.commands.executeCommand(CommandId.addFileToChat, a, [a, b]);
    await vscode.commands.executeCommand(CommandId.addFileToChat, b);
    await fx.api.fromWebview({ type: 'dropFiles', uris: ['file:///etc/hostname', a.toString()] });
    assert.deepEqual(
      chips(fx).map((c) => c.label),
      ['src/a.ts', 'src/b.ts'],
    );
    await fx.api.fromWebview({ type: 'detach', id: chips(fx)[0].id });
    assert.deepEqual(
      chips(fx).map((c) => c.label),
      ['src/b.ts'],
    );
  });

  it('@selection sends the selected lines as they are when the question goes (unsaved edits included)', async () => {
    const editor = await fx.open('src/sel.ts', 'line one\nline two\nline three\nline four\n');
    editor.selection = new vscode.Selection(1, 0, 2, 10);
    await fx.api.fromWebview({ type: 'attach', kind: 'selection' });
    assert.deepEqual(
      chips(fx).map((c) => c.label),
      ['src/sel.ts:2–3'],
    );
    await editor.edit((e) => e.replace(new vscode.Range(1, 0, 1, 8), 'LINE TWO'));
    const answer = await ask(fx, 'Explain');
    assert.match(lastUserMessage(fx.server), /src\/sel\.ts \(lines 2–3\):\n```ts\nLINE TWO\nline three\n```/);
    assert.deepEqual(answer.references?.map((r) => [r.startLine, r.endLine]), [[2, 3]]);
  });

  it('@selection without a selection is refused with what to do', async () => {
    const shown = fx.recordNotifications();
    const editor = await fx.open('src/math.ts');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await fx.api.fromWebview({ type: 'attach', kind: 'selection' });
    assert.deepEqual(chips(fx), []);
    assert.match(shown.at(-1)?.message ?? '', /Select some code in an editor first/);
  });

  it('@open sends each open file once, but not an excluded one (the note says so)', async () => {
    await fx.open('src/one.ts', 'export const one = 1;\n');
    await fx.open('src/two.ts', 'export const two = 2;\n');
    await fx.open('src/.env', 'SECRET=shh\n');
    await fx.api.fromWebview({ type: 'attach', kind: 'open' });
    await vscode.commands.executeCommand(CommandId.addFileToChat, vscode.Uri.file(`${fx.folder}/src/one.ts`));
    const answer = await ask(fx, 'Compare them');
    const sent = lastUserMessage(fx.server);
    assert.equal(sent.split('export const one = 1;').length, 2, 'one.ts is sent once');
    assert.match(sent, /export const two = 2;/);
    assert.doesNotMatch(sent, /SECRET=shh/);
    assert.match(answer.note ?? '', /src\/\.env matches ioIntelligence\.exclude/);
  });

  it('@problems sends the errors and warnings of a file, and of the workspace', async () => {
    const diagnostics = vscode.languages.createDiagnosticCollection('context-test');
    try {
      const math = vscode.Uri.file(`${fx.folder}/src/math.ts`);
      const other = vscode.Uri.file(`${fx.folder}/README.md`);
      diagnostics.set(math, [new vscode.Diagnostic(new vscode.Range(2, 4, 2, 9), 'Type X is not assignable', vscode.DiagnosticSeverity.Error)]);
      diagnostics.set(other, [
        new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), 'Heading style', vscode.DiagnosticSeverity.Warning),
        new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), 'Just a hint', vscode.DiagnosticSeverity.Hint),
      ]);
      await fx.api.fromWebview({ type: 'attach', kind: 'problems', uri: math.toString() });
      await ask(fx, 'Fix the problems');
      const sent = lastUserMessage(fx.server);
      assert.match(sent, /Problems in src\/math\.ts:\n```\nsrc\/math\.ts:3:5 error: Type X is not assignable/);
      assert.doesNotMatch(sent, /Heading style/);
      await fx.api.fromWebview({ type: 'attach', kind: 'problems' });
      await ask(fx, 'And everywhere?');
      const all = lastUserMessage(fx.server);
      assert.match(all, /README\.md:1:1 warning: Heading style/);
      assert.match(all, /Type X is not assignable/);
      assert.doesNotMatch(all, /Just a hint/);
    } finally {
      diagnostics.dispose();
    }
  });

  it('a webview cannot name a file outside the workspace: a `..` path or a link that leads out is refused', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ioi-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'credentials'), 'OUTSIDE_SECRET\n');
      const dotted = vscode.Uri.file(fx.folder).with({ path: `${vscode.Uri.file(fx.folder).path}/../../../../..${outside}/credentials` });
      fs.symlinkSync(path.join(outside, 'credentials'), fx.trackPath('src/linkOut.ts'));
      const link = vscode.Uri.file(`${fx.folder}/src/linkOut.ts`);
      await fx.api.fromWebview({ type: 'attach', kind: 'file', uri: dotted.toString() });
      await fx.api.fromWebview({ type: 'dropFiles', uris: [dotted.toString(), link.toString()] });
      await fx.api.fromWebview({ type: 'attach', kind: 'file', uri: link.toString() });
      assert.deepEqual(chips(fx), []);
      assert.equal((await optionsFor(fx, 'file:linkOut')).filter((o) => o.uri).length, 0, 'a link out of the workspace is not offered');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a link to an excluded file is excluded: refused as a chip, not offered, not sent with @open', async () => {
    const shown = fx.recordNotifications();
    fx.writeFile('src/.env.linked', 'LINKED_SECRET=1\n');
    fs.symlinkSync(path.join(fx.folder, 'src', '.env.linked'), fx.trackPath('src/settingsLink.ts'));
    const link = vscode.Uri.file(`${fx.folder}/src/settingsLink.ts`);
    const refused = await vscode.commands.executeCommand<(string | undefined)[]>(CommandId.addFileToChat, link);
    assert.match(refused[0] ?? '', /matches ioIntelligence\.exclude/);
    assert.equal((await optionsFor(fx, 'file:settingsLink')).filter((o) => o.uri).length, 0);
    await fx.open('src/settingsLink.ts');
    await fx.api.fromWebview({ type: 'attach', kind: 'open' });
    await ask(fx, 'What is open?');
    assert.doesNotMatch(lastUserMessage(fx.server), /LINKED_SECRET/);
    assert.ok(shown.some((n) => /settingsLink\.ts matches ioIntelligence\.exclude/.test(n.message)));
  });

  it("a workspace's own ioIntelligence.exclude adds to the user's patterns, never replaces them; `/dir/**` is anchored at the folder", async () => {
    const config = vscode.workspace.getConfiguration('ioIntelligence');
    await config.update('exclude', ['**/*.nothing', '/private/**'], vscode.ConfigurationTarget.Workspace);
    try {
      const env = vscode.Uri.file(fx.writeFile('cfg/.env.production', 'WS_SECRET=1\n'));
      const privateFile = vscode.Uri.file(fx.writeFile('private/plan.ts', 'export const plan = 1;\n'));
      const nested = vscode.Uri.file(fx.writeFile('src/private/ok.ts', 'export const ok = 1;\n'));
      const refused = await vscode.commands.executeCommand<(string | undefined)[]>(CommandId.addFileToChat, env, [env, privateFile, nested]);
      assert.match(refused[0] ?? '', /cfg\/\.env\.production matches ioIntelligence\.exclude/, 'the default pattern still holds');
      assert.match(refused[1] ?? '', /private\/plan\.ts matches ioIntelligence\.exclude/, 'the anchored pattern holds at the folder');
      assert.equal(refused[2], undefined, 'an anchored pattern does not match deeper down');
    } finally {
      await config.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('@open leaves out tabs of files outside the workspace', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ioi-outside-'));
    try {
      const file = path.join(outside, 'kubeconfig.yaml');
      fs.writeFileSync(file, 'token: OUTSIDE_TAB_SECRET\n');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file), { preview: false });
      await fx.open('src/math.ts');
      await fx.api.fromWebview({ type: 'attach', kind: 'open' });
      await ask(fx, 'What is open?');
      const sent = lastUserMessage(fx.server);
      assert.doesNotMatch(sent, /OUTSIDE_TAB_SECRET/);
      assert.match(sent, /export function average/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('@codebase typed into the question attaches it as if picked; a folder from the explorer is refused', async () => {
    const shown = fx.recordNotifications();
    fx.writeFile('src/typedOnly.ts', 'export function typedMentionMarker() {}\n');
    await vscode.commands.executeCommand(CommandId.addFileToChat, vscode.Uri.file(`${fx.folder}/src`));
    assert.deepEqual(chips(fx), []);
    assert.match(shown.at(-1)?.message ?? '', /src is a folder/);
    await ask(fx, '@codebase where is typedMentionMarker?');
    assert.deepEqual(
      fx.api.chat.current.turns.at(-2)?.attachments?.map((a) => a.kind),
      ['codebase'],
    );
    assert.match(lastUserMessage(fx.server), /src\/typedOnly\.ts \(line 1\)/);
  });

  it('a file too large for the window is cut at a line, and the answer says which lines were sent', async () => {
    const lines = Array.from({ length: 12_000 }, (_, i) => `export const value${i} = ${i}; // padding to make the file large`);
    const big = vscode.Uri.file(fx.writeFile('src/big.ts', `${lines.join('\n')}\n`));
    await vscode.commands.executeCommand(CommandId.addFileToChat, big);
    const answer = await ask(fx, 'What is in it?');
    const cited = answer.references?.[0];
    assert.ok(cited && cited.startLine === 1 && cited.endLine > 100 && cited.endLine < 12_000, JSON.stringify(cited));
    assert.match(answer.note ?? '', new RegExp(`src/big\\.ts: lines 1–${cited.endLine} of 12000 sent; the rest did not fit in .*'s context window\\.`));
    const sent = lastUserMessage(fx.server);
    assert.ok(sent.includes(lines[cited.endLine - 1]) && !sent.includes(lines[cited.endLine]), 'the cut falls after the cited line');
  });
});

describe('Context: the @codebase index in a real VS Code', () => {
  const fx = useFixture({ server: { stepDelayMs: 1 }, key: KEY });
  const index = () => fx.api.attachments.codebase;
  const storedIndex = (): string => vscode.Uri.joinPath(fx.api.storageUri!, 'codebase-index.json').fsPath;

  before(async () => {
    fx.writeFile('.gitignore', 'generated/\n');
    fx.writeFile('src/retry.ts', 'export function retryDelaySeconds(attempt: number): number {\n  return Math.min(30, 2 ** attempt);\n}\n');
    fx.writeFile('src/colors.ts', 'export const palette = ["red", "green"];\nexport function pickColor(i: number) {\n  return palette[i % palette.length];\n}\n');
    fx.writeFile('generated/retryTable.ts', 'export const retryDelayTable = [1, 2, 4];\n');
    fx.writeFile('src/.env.retry', 'RETRY_DELAY_TOKEN=hidden\n');
    await index().delete();
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand(CommandId.newChat);
  });

  it('the first @codebase question builds the index, sends the matching code and cites it; ignored and excluded files are not in it', async () => {
    assert.equal(index().stats, undefined, 'nothing is built before the first use');
    await fx.api.fromWebview({ type: 'attach', kind: 'codebase' });
    const answer = await ask(fx, 'How is the retry delay computed?');
    const sent = lastUserMessage(fx.server);
    assert.match(sent, /src\/retry\.ts \(lines 1–3\):\n```ts\nexport function retryDelaySeconds/);
    assert.ok(answer.references?.some((r) => r.path === 'src/retry.ts' && r.startLine === 1));
    assert.doesNotMatch(sent, /retryDelayTable|RETRY_DELAY_TOKEN/);
    const paths = CodebaseIndex.fromJSON(await waitForStoredIndex(storedIndex())).paths();
    assert.ok(paths.some((p) => p.endsWith('/src/retry.ts')), paths.join(', '));
    assert.ok(!paths.some((p) => p.includes('/generated/') || p.includes('.env')), paths.join(', '));
  });

  it('an exclusion or a .gitignore entry added after indexing holds: the file leaves the index and is never sent', async () => {
    fx.writeFile('src/laterSecret.ts', 'export const laterSecretValue = "LATER_SECRET";\n');
    fx.writeFile('src/laterIgnored.ts', 'export const laterIgnoredValue = "IGNORED_LATER";\n');
    await until(async () => (await index().ready())!.search('later secret value', 5).length > 0 && (await index().ready())!.search('later ignored value', 5).length > 0, 'the files to be indexed');
    await fx.setting('exclude', [...(vscode.workspace.getConfiguration('ioIntelligence').inspect<string[]>('exclude')?.defaultValue ?? []), '**/laterSecret.ts']);
    fx.writeFile('.gitignore', 'generated/\nsrc/laterIgnored.ts\n');
    await fx.api.fromWebview({ type: 'attach', kind: 'codebase' });
    await ask(fx, 'later secret value and later ignored value?');
    assert.doesNotMatch(lastUserMessage(fx.server), /LATER_SECRET|IGNORED_LATER/);
    await until(async () => (await index().ready())!.paths().every((p) => !/laterSecret|laterIgnored/.test(p)), 'the index to follow the new rules');
  });

  it('a minified file (a line over 2,000 characters) is not indexed', async () => {
    fx.writeFile('src/vendor.min.js', `var minifiedMarkerName=1;${'a=1;'.repeat(1_000)}\n`);
    fx.writeFile('src/readable.js', 'var readableMarkerName = 1;\n');
    await until(async () => (await index().ready())!.search('readable marker name', 5).length > 0, 'the readable file to be indexed');
    assert.equal((await index().ready())!.search('minified marker name', 5).filter((h) => h.path.endsWith('vendor.min.js')).length, 0);
  });

  it('follows the files: a change is searchable, a deleted file leaves the index', async () => {
    await index().ready();
    fx.writeFile('src/colors.ts', 'export function blendGradient(a: string, b: string) {\n  return a + b;\n}\n');
    await until(async () => (await index().ready())!.search('blend gradient', 5).some((h) => h.path.endsWith('/src/colors.ts')), 'the change to be indexed');
    const removed = fx.writeFile('src/gone.ts', 'export const ephemeralWidget = 1;\n');
    await until(async () => (await index().ready())!.search('ephemeral widget', 5).length > 0, 'the new file to be indexed');
    fs.rmSync(removed);
    await until(async () => (await index().ready())!.search('ephemeral widget', 5).length === 0, 'the deleted file to leave the index');
  });

  it('is kept in workspace storage: loaded again, only files that changed are read into it', async () => {
    // A reload: what was saved is read from storage and brought up to date (whatever earlier tests left changed).
    const reload = async (): Promise<void> => {
      await index().ready();
      await index().flush();
      await index().forget();
    };
    await reload();
    // Loaded again and brought up to the disk's state (an earlier test's last write may not have been seen yet).
    await reload();
    assert.ok(!fs.readFileSync(storedIndex(), 'utf8').includes('Math.min(30'), 'no code text is stored');
    await index().ready();
    assert.equal(index().lastBuild?.indexed, 0, `nothing changed: ${JSON.stringify(index().lastBuild)}`);
    await reload();
    fx.writeFile('src/retry.ts', 'export function retryDelaySeconds(attempt: number): number {\n  return Math.min(60, 3 ** attempt);\n}\n');
    await index().ready();
    assert.equal(index().lastBuild?.indexed, 1, JSON.stringify(index().lastBuild));
    assert.ok(index().lastBuild!.listed >= 4);
  });

  it('Rebuild Codebase Index reads every file again; its Delete removes it from storage', async () => {
    await index().ready();
    await vscode.commands.executeCommand(CommandId.rebuildIndex, 'rebuild');
    assert.equal(index().lastBuild?.indexed, index().lastBuild?.listed);
    await vscode.commands.executeCommand(CommandId.rebuildIndex, 'delete');
    assert.equal(index().stats, undefined);
    assert.equal(fs.existsSync(storedIndex()), false);
  });

  it('embeddings are off by default: nothing goes to /embeddings, and the first use explains the opt-in once', async () => {
    const shown = fx.recordNotifications();
    await fx.api.globalState.update('ioIntelligence.codebaseEmbeddingsExplained', undefined);
    await fx.api.fromWebview({ type: 'attach', kind: 'codebase' });
    await ask(fx, 'where is the palette?');
    await fx.api.fromWebview({ type: 'attach', kind: 'codebase' });
    await ask(fx, 'where is the retry delay?');
    assert.equal(fx.server.embeddingRequests().length, 0);
    const explained = shown.filter((n) => /Semantic search .* sends your code, in chunks, to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/embeddings/.test(n.message));
    assert.equal(explained.length, 1, shown.map((n) => n.message).join('\n'));
  });

  it('opted in, chunks are embedded once (never an excluded or ignored file), the question is embedded, and the tokens are counted', async () => {
    await fx.setting('codebaseIndex.embeddings', true);
    await index().ready();
    await until(() => fx.server.embeddingRequests().length > 0 && !index().embedding, 'the chunks to be embedded');
    const inputs = fx.server.embeddingRequests().flatMap((r) => (r.body as { input: string[] }).input);
    assert.ok(inputs.some((i) => i.includes('retryDelaySeconds')));
    assert.ok(!inputs.some((i) => /retryDelayTable|RETRY_DELAY_TOKEN/.test(i)));
    assert.equal(new Set(inputs).size, inputs.length, 'no chunk text is sent twice');
    const before = fx.server.embeddingRequests().length;
    await fx.api.fromWebview({ type: 'attach', kind: 'codebase' });
    await ask(fx, 'how long do we wait before trying again?');
    const question = fx.server.embeddingRequests().slice(before);
    assert.deepEqual(
      question.map((r) => (r.body as { input: string[] }).input),
      [['how long do we wait before trying again?']],
    );
    const usage = fx.api.usage.ledger.usageOf('mixedbread-ai/mxbai-embed-large-v1');
    assert.ok(usage.tokens > 0 && usage.requests === before + 1, JSON.stringify(usage));
  });
});

/** The index file, once the service has written it (saves are debounced). */
async function waitForStoredIndex(file: string): Promise<string> {
  await until(() => fs.existsSync(file), 'the index to be saved', 15_000);
  return fs.readFileSync(file, 'utf8');
}
