import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandId } from '../../src/commandIds';
import { assertContributed, suiteSettings } from '../fixtures/testSettings';

const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

describe('package.json and README', () => {
  it('README documents every contributed command and setting', () => {
    const commands: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
    const settings = Object.keys(pkg.contributes.configuration.properties);
    const missing = [...commands, ...settings].filter((id) => !readme.includes(`\`${id}\``));
    assert.deepEqual(missing, []);
  });

  it('every command shows "IO Intelligence: <title>" in the palette and every setting has a description', () => {
    for (const c of pkg.contributes.commands) assert.equal(c.category, 'IO Intelligence', c.command);
    for (const [key, value] of Object.entries<Record<string, unknown>>(pkg.contributes.configuration.properties)) {
      assert.ok(value.description || value.markdownDescription, `${key} has a description`);
    }
    assert.equal(pkg.contributes.configuration.properties['ioIntelligence.baseUrl'].scope, 'application');
  });

  it('activates lazily and keeps the pinned toolchain majors', () => {
    assert.equal((pkg.activationEvents ?? []).includes('*'), false);
    // The API types are those of the oldest VS Code we support, so the compiler refuses anything newer.
    assert.equal(pkg.engines.vscode, '^1.104.0');
    assert.equal(pkg.devDependencies['@types/vscode'], '1.104.0');
    assert.match(pkg.dependencies.openai, /^\^6\./);
    assert.match(pkg.devDependencies['@vscode/vsce'], /^\^3\./);
    assert.match(pkg.devDependencies['@vscode/test-electron'], /^\^2\./);
  });

  it('in Restricted Mode a workspace cannot choose the models (their ids reach requests and notifications)', () => {
    const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];
    for (const key of ['ioIntelligence.chatModel', 'ioIntelligence.editModel', 'ioIntelligence.fallbackModels']) {
      assert.ok(restricted.includes(key), `${key} is restricted`);
    }
    const modelSettings = Object.keys(pkg.contributes.configuration.properties).filter((key) => /Models?$/.test(key));
    assert.deepEqual(modelSettings.filter((key) => !restricted.includes(key)), [], 'every model setting, new ones too');
  });

  it('keybindings are scoped so they do not take over VS Code defaults elsewhere', () => {
    for (const binding of pkg.contributes.keybindings) assert.ok(binding.when, `${binding.command} has a when clause`);
    const escapes = pkg.contributes.keybindings.filter((b: { key: string }) => b.key === 'escape');
    assert.deepEqual(escapes.map((b: { command: string }) => b.command).sort(), ['ioIntelligence.cancelRewrite', 'ioIntelligence.rejectEdit']);
    // Escape belongs to whatever VS Code shows on top of the editor first; only then does it reject or cancel.
    const yieldsTo = ['suggestWidgetVisible', 'findWidgetVisible', 'inSnippetMode', 'parameterHintsVisible', 'editorHasMultipleSelections', 'inlineSuggestionVisible', 'renameInputVisible', 'editorHoverFocused', 'inlineEditIsVisible', 'referenceSearchVisible', 'notificationToastsVisible'];
    for (const escape of escapes) for (const key of yieldsTo) assert.ok(escape.when.includes(`!${key}`), `${escape.command} yields to ${key}`);
    assert.match(escapes.find((b: { command: string }) => b.command === 'ioIntelligence.rejectEdit').when, /ioIntelligence\.editPending && !ioIntelligence\.rewriteStreaming/);
    assert.match(escapes.find((b: { command: string }) => b.command === 'ioIntelligence.cancelRewrite').when, /ioIntelligence\.rewriteStreaming/);
  });

  it('stopping is split: Stop Generating is the chat, Cancel Rewrite the rewrite', () => {
    const titles = Object.fromEntries(pkg.contributes.commands.map((c: { command: string; title: string }) => [c.command, c.title]));
    assert.equal(titles['ioIntelligence.stop'], 'Stop Generating');
    assert.equal(titles['ioIntelligence.cancelRewrite'], 'Cancel Rewrite');
  });

  it('CommandId (src/commandIds.ts) names exactly the contributed commands, so tests and code never spell an id', () => {
    const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(Object.values(CommandId).sort(), [...contributed].sort());
  });

  it('the test fixtures switch off only settings the extension contributes', () => {
    assert.doesNotThrow(() => assertContributed(suiteSettings(), pkg));
    assert.throws(() => assertContributed(suiteSettings({ noSuchSetting: false }), pkg), /not contributed by package\.json: ioIntelligence\.noSuchSetting/);
  });
});
