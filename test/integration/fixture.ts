import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { Settings } from '../../src/settings';
import { featureSettings, type Features } from '../fixtures/features';
import { IoTestServer, type TestServerOptions } from '../server/ioTestServer';
import { EXTENSION_ID, SECRET_KEY } from './helpers';

/**
 * One setup for every integration suite (inside the real extension host): the local test server, the settings and the
 * key a suite needs, the activated extension, and features it does not exercise turned off (test/fixtures/features.ts).
 *
 * Everything that changes during a scope is put back when the scope ends. A scope is the suite (`before` … `after`)
 * or one test (`beforeEach` … `afterEach`), whichever was running when the change was made:
 * - every contributed `ioIntelligence.*` setting, at every level, back to its inspect() value at the scope's start
 *   (also when a command such as Select Model changed it);
 * - the API key in SecretStorage;
 * - the extension's workspaceState and globalState (conversations, usage, pending edits, …), after the suite;
 * - editor tabs opened during the scope are closed, their documents reverted first if dirty;
 * - files written or paths tracked through the fixture are put back (removed when they did not exist);
 * - functions replaced through `patch()` (notifications, `env.openExternal`) get their originals back;
 * - servers it started are stopped.
 */

export type SettingKey = keyof Settings;
export type SettingValues = { readonly [K in SettingKey]?: Settings[K] };

export interface FixtureOptions {
  /** Starts a local test server with these options; `ioIntelligence.baseUrl` points to it unless `settings` says otherwise. */
  readonly server?: TestServerOptions;
  /** User (global) settings for the suite. */
  readonly settings?: SettingValues;
  /** The API key stored in SecretStorage for the suite. */
  readonly key?: string;
  /** Features the suite exercises; every other one is off (test/fixtures/features.ts). */
  readonly features?: Partial<Features>;
}

export type NotificationKind = 'showErrorMessage' | 'showWarningMessage' | 'showInformationMessage';
export interface ShownNotification {
  readonly kind: NotificationKind;
  readonly message: string;
}
type Notify = (message: string, ...rest: unknown[]) => Thenable<unknown>;

const SECTION = 'ioIntelligence';
const LEVELS = [
  ['globalValue', vscode.ConfigurationTarget.Global],
  ['workspaceValue', vscode.ConfigurationTarget.Workspace],
  ['workspaceFolderValue', vscode.ConfigurationTarget.WorkspaceFolder],
] as const;
type Level = (typeof LEVELS)[number][0];
type Inspected = { readonly [L in Level]?: unknown };

/** What a scope must put back, in the order it does so. */
interface Scope {
  readonly name: string;
  readonly cleanups: (() => unknown)[];
  readonly patches: (() => void)[];
  readonly tabs: ReadonlySet<string>;
  readonly paths: { readonly file: string; readonly restore: () => void }[];
  readonly settings: ReadonlyMap<string, Inspected>;
  readonly secret: string | undefined;
  readonly state?: { readonly workspace: ReadonlyMap<string, unknown>; readonly global: ReadonlyMap<string, unknown> };
  readonly servers: IoTestServer[];
}

export class Fixture {
  private activated: TestApi | undefined;
  private mainServer: IoTestServer | undefined;
  private readonly scopes: Scope[] = [];
  private readonly eachTestEnds: (() => unknown)[] = [];

  constructor(private readonly options: FixtureOptions = {}) {}

  /** The extension's test API; available from the suite's `before` on. */
  get api(): TestApi {
    if (!this.activated) throw new Error('the fixture is not set up yet: use it inside a test or hook');
    return this.activated;
  }

  /** The test server started for the `server` option. */
  get server(): IoTestServer {
    if (!this.mainServer) throw new Error(this.activated ? 'this fixture was set up without a `server` option' : 'the fixture is not set up yet');
    return this.mainServer;
  }

  /** The first workspace folder, where the integration host's copy of test/fixtures/workspace lives. */
  get folder(): string {
    return vscode.workspace.workspaceFolders![0].uri.fsPath;
  }

  async setUp(): Promise<void> {
    const extension = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
    if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
    const api = await extension.activate();
    if (!api) throw new Error('the extension did not return its test API: is it running in test mode?');
    this.activated = api;
    await this.enter('suite');
    if (this.options.server) this.mainServer = await this.startServer(this.options.server);
    const settings: SettingValues = { ...(this.mainServer ? { baseUrl: this.mainServer.baseUrl } : {}), ...this.options.settings };
    for (const [key, value] of Object.entries(settings)) await this.setting(key as SettingKey, value);
    for (const [key, value] of Object.entries(featureSettings(this.options.features ?? {}, contributedSettings().map((s) => s.key)))) {
      await vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);
    }
    if (this.options.key !== undefined) await this.storeKey(this.options.key);
  }

  async tearDown(): Promise<void> {
    while (this.scopes.length) await this.leave();
  }

  /** Starts a scope for one test: what the test changes is put back after it. */
  async enterTest(): Promise<void> {
    await this.enter('test');
  }

  async leaveTest(): Promise<void> {
    if (this.scopes.at(-1)?.name === 'test') await this.leave();
  }

  /** Runs after each test, before the fixture puts back what the test changed (e.g. reject a pending edit). */
  afterEachTest(cleanup: () => unknown): void {
    this.eachTestEnds.push(cleanup);
  }

  /**
   * Sets a setting, at user level unless told otherwise; the scope puts the old value back (and the workspace's
   * .vscode/settings.json as it was). No contributed setting is language-overridable yet, so there is no `language`.
   */
  async setting<K extends SettingKey>(key: K, value: Settings[K] | undefined, target = vscode.ConfigurationTarget.Global): Promise<void> {
    if (target !== vscode.ConfigurationTarget.Global) this.trackPath(path.join(this.folder, '.vscode', 'settings.json'));
    await vscode.workspace.getConfiguration(SECTION).update(key, value, target);
  }

  /** Stores the API key in SecretStorage, or deletes it for `undefined`; the scope puts the old one back. */
  async storeKey(key: string | undefined): Promise<void> {
    if (key === undefined) await this.api.secrets.delete(SECRET_KEY);
    else await this.api.secrets.store(SECRET_KEY, key);
  }

  /** Another test server (one that must receive nothing, say); stopped when the scope ends. */
  async startServer(options: TestServerOptions = {}): Promise<IoTestServer> {
    const server = await new IoTestServer(options).start();
    this.scope().servers.push(server);
    return server;
  }

  /** Writes a file (relative to the workspace folder, or absolute) and creates its folders; put back when the scope ends. */
  writeFile(file: string, content: string): string {
    const full = path.resolve(this.folder, file);
    this.trackPath(full);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
    return full;
  }

  /**
   * A path the test creates or changes by itself (a symbolic link, say): when the scope ends it is put back, removed
   * with the folders that were created for it when it did not exist.
   */
  trackPath(file: string): string {
    const full = path.resolve(this.folder, file);
    const paths = this.scope().paths;
    if (paths.some((p) => p.file === full)) return full;
    let created = full;
    while (!fs.existsSync(path.dirname(created))) created = path.dirname(created);
    const before = fs.lstatSync(full, { throwIfNoEntry: false });
    const content = before?.isFile() ? fs.readFileSync(full) : undefined;
    const restore = (): void => {
      if (!before) fs.rmSync(created, { recursive: true, force: true });
      else if (content) fs.writeFileSync(full, content);
    };
    paths.push({ file: full, restore });
    return full;
  }

  /** Writes the file when `content` is given, then opens it in an editor; the tab is closed when the scope ends. */
  async openFile(file: string, content?: string): Promise<vscode.TextEditor> {
    const full = content === undefined ? path.resolve(this.folder, file) : this.writeFile(file, content);
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(full));
  }

  /** Replaces `target[name]` until the scope ends. */
  patch<T extends object, K extends keyof T>(target: T, name: K, replacement: T[K]): void {
    const original = target[name];
    target[name] = replacement;
    this.scope().patches.push(() => (target[name] = original));
  }

  /**
   * Records every notification the extension shows, and still shows it: VS Code's `window` API is observed, not
   * replaced (the extension and the tests share one API object in the extension host).
   */
  recordNotifications(): ShownNotification[] {
    const shown: ShownNotification[] = [];
    const window = vscode.window as unknown as Record<NotificationKind, Notify>;
    for (const kind of ['showErrorMessage', 'showWarningMessage', 'showInformationMessage'] as const) {
      const original = window[kind];
      this.patch(window, kind, (message: string, ...rest: unknown[]) => {
        shown.push({ kind, message });
        return original.call(vscode.window, message, ...rest);
      });
    }
    return shown;
  }

  /** Answers notifications of one kind as a user would (a button's label, or undefined to dismiss); returns their messages. */
  answerNotifications(kind: NotificationKind, answer: (message: string) => string | undefined): string[] {
    const shown: string[] = [];
    this.patch(vscode.window as unknown as Record<NotificationKind, Notify>, kind, (message: string) => {
      shown.push(message);
      return Promise.resolve(answer(message));
    });
    return shown;
  }

  private scope(): Scope {
    const scope = this.scopes.at(-1);
    if (!scope) throw new Error('the fixture has no open scope: use it inside a test or hook');
    return scope;
  }

  private async enter(name: 'suite' | 'test'): Promise<void> {
    const api = this.api;
    this.scopes.push({
      name,
      cleanups: name === 'test' ? this.eachTestEnds : [],
      patches: [],
      tabs: new Set(allTabs().map(tabKey)),
      paths: [],
      settings: new Map(contributedSettings().map(({ key }) => [key, levels(vscode.workspace.getConfiguration(SECTION).inspect(key))])),
      secret: await api.secrets.get(SECRET_KEY),
      state: name === 'suite' ? { workspace: snapshot(api.workspaceState), global: snapshot(api.globalState) } : undefined,
      servers: [],
    });
  }

  /** Puts back everything of the innermost scope; every step runs, and what failed is reported together at the end. */
  private async leave(): Promise<void> {
    const scope = this.scope();
    const failures: unknown[] = [];
    const attempt = async (step: () => unknown): Promise<void> => {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    };
    for (const cleanup of scope.cleanups) await attempt(cleanup);
    for (const undo of scope.patches.reverse()) await attempt(undo);
    await attempt(() => closeNewTabs(scope.tabs));
    await attempt(() => restoreSettings(scope));
    for (const { restore } of scope.paths.reverse()) await attempt(restore);
    await attempt(async () => {
      if ((await this.api.secrets.get(SECRET_KEY)) === scope.secret) return;
      await (scope.secret === undefined ? this.api.secrets.delete(SECRET_KEY) : this.api.secrets.store(SECRET_KEY, scope.secret));
    });
    if (scope.state) {
      await attempt(() => restoreState(this.api.workspaceState, scope.state!.workspace));
      await attempt(() => restoreState(this.api.globalState, scope.state!.global));
    }
    for (const server of scope.servers) await attempt(() => server.stop());
    this.scopes.pop();
    if (failures.length) throw new AggregateError(failures, `the fixture could not put back everything after the ${scope.name}: ${failures.map(String).join('; ')}`);
  }
}

/**
 * A fixture for the enclosing `describe`: set up in `before`, put back in `after`, and each test's changes put back
 * after the test. Call it first in the `describe`, so that its scope opens before the suite's own hooks run.
 */
export function useFixture(options: FixtureOptions = {}): Fixture {
  const fixture = new Fixture(options);
  before(() => fixture.setUp());
  after(() => fixture.tearDown());
  beforeEach(() => fixture.enterTest());
  afterEach(() => fixture.leaveTest());
  return fixture;
}

function contributedSettings(): { key: string; application: boolean }[] {
  const properties = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.configuration.properties as Record<string, { scope?: string }>;
  return Object.entries(properties)
    .filter(([id]) => id.startsWith(`${SECTION}.`))
    .map(([id, property]) => ({ key: id.slice(SECTION.length + 1), application: property.scope === 'application' }));
}

function levels(inspected: Inspected | undefined): Inspected {
  return Object.fromEntries(LEVELS.map(([level]) => [level, inspected?.[level]]));
}

async function restoreSettings(scope: Scope): Promise<void> {
  const application = new Set(contributedSettings().filter((s) => s.application).map((s) => s.key));
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(SECTION);
  for (const [key, before] of scope.settings) {
    const now = levels(config().inspect(key));
    for (const [level, target] of LEVELS) {
      if (isDeepStrictEqual(now[level], before[level])) continue;
      // An application setting is written at user level only; a workspace value of it comes from a file the test wrote.
      if (application.has(key) && target !== vscode.ConfigurationTarget.Global) continue;
      await config().update(key, before[level], target);
    }
  }
}

function snapshot(memento: vscode.Memento): ReadonlyMap<string, unknown> {
  return new Map(memento.keys().map((key) => [key, structuredClone(memento.get(key))]));
}

async function restoreState(memento: vscode.Memento, before: ReadonlyMap<string, unknown>): Promise<void> {
  for (const key of new Set([...memento.keys(), ...before.keys()])) {
    if (!isDeepStrictEqual(memento.get(key), before.get(key))) await memento.update(key, before.get(key));
  }
}

function allTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs);
}

function tabKey(tab: vscode.Tab): string {
  const input = tab.input;
  const id =
    input instanceof vscode.TabInputText ? input.uri.toString()
    : input instanceof vscode.TabInputTextDiff ? `${input.original.toString()} ↔ ${input.modified.toString()}`
    : input instanceof vscode.TabInputWebview ? `webview ${input.viewType}`
    : input instanceof vscode.TabInputCustom ? `custom ${input.viewType} ${input.uri.toString()}`
    : `label ${tab.label}`;
  return `${tab.group.viewColumn} ${id}`;
}

function tabDocuments(tab: vscode.Tab): string[] {
  const input = tab.input;
  if (input instanceof vscode.TabInputText) return [input.uri.toString()];
  if (input instanceof vscode.TabInputTextDiff) return [input.modified.toString()];
  return [];
}

/** Closes the tabs opened since `before`; a dirty document among them is reverted first, so that no save prompt opens. */
async function closeNewTabs(before: ReadonlySet<string>): Promise<void> {
  const opened = (): vscode.Tab[] => allTabs().filter((tab) => !before.has(tabKey(tab)));
  const uris = new Set(opened().flatMap(tabDocuments));
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty && uris.has(d.uri.toString()))) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  const tabs = opened();
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}
