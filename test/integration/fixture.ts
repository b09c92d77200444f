import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { PendingEdit } from '../../src/rewrite/pendingEdit';
import { assertContributed, contributedSettings, suiteSettings, type SettingValues } from '../fixtures/testSettings';
import { IoTestServer, type TestServerOptions } from '../server/ioTestServer';
import { editorState, restoreEditors, type EditorState } from './editorState';
import { EXTENSION_ID, SECRET_KEY, until } from './helpers';

/**
 * One setup for every integration suite (inside the real extension host): the activated extension, a local test
 * server with `ioIntelligence.baseUrl` pointing to it, the suite's settings (features it does not exercise off:
 * test/fixtures/testSettings.ts) and the API key in SecretStorage.
 *
 * What changes inside a scope is put back when the scope ends, and nothing else is touched. A scope is the suite
 * (`before` … `after`) or one test (`beforeEach` … `afterEach`):
 * - the user (global) value of every contributed `ioIntelligence.*` setting that differs from its value at the scope's
 *   start, whoever changed it (the fixture, the test, or a command such as Select Model);
 * - the API key in SecretStorage;
 * - a chat answer still streaming is stopped, and pending edits made in the scope are rejected (a streaming rewrite
 *   is cancelled by that);
 * - functions replaced through `patch()` (notifications, `env.openExternal`) get their originals back;
 * - editors (editorState.ts): unsaved changes made in the scope are reverted, tabs opened in the scope are closed,
 *   tabs open before it are open again as they were, the tab active before is active again;
 * - files and folders written or tracked through the fixture are put back (removed when they did not exist);
 * - test servers it started are stopped.
 * Not restored: the extension's workspace and global state (conversations, usage, recent instructions): the extension
 * keeps them in memory too, and rewriting its storage underneath would make the two disagree. Tests read them
 * relative to what they found.
 */

export interface FixtureOptions {
  /** Starts a test server with these options for the suite; `ioIntelligence.baseUrl` points to it. */
  readonly server?: TestServerOptions;
  /** User (global) settings for the suite, named without `ioIntelligence.`; applied after FEATURES_OFF. */
  readonly settings?: SettingValues;
  /** The API key stored in SecretStorage for the suite. */
  readonly key?: string;
}

export type NotificationKind = 'showErrorMessage' | 'showWarningMessage' | 'showInformationMessage';
export interface ShownNotification {
  readonly kind: NotificationKind;
  readonly message: string;
}
type Notify = (message: string, ...rest: unknown[]) => Thenable<unknown>;

const SECTION = 'ioIntelligence';

/** What one scope found, and what it must undo. */
interface Scope {
  readonly name: 'suite' | 'test';
  readonly settings: ReadonlyMap<string, unknown>;
  readonly key: string | undefined;
  readonly editors: EditorState;
  /** Pending edits that were there already: left as they are. */
  readonly edits: ReadonlySet<PendingEdit>;
  /** Originals of patched functions: put back first, so that no patched dialog answers for the restore. */
  readonly patches: (() => void)[];
  /** Files put back and servers stopped: last, after the editors that show them are closed. */
  readonly releases: (() => unknown)[];
}

export class Fixture {
  private activated: TestApi | undefined;
  private suiteServer: IoTestServer | undefined;
  private readonly scopes: Scope[] = [];

  constructor(private readonly options: FixtureOptions = {}) {}

  /** The extension's test API, from the suite's `before` on. */
  get api(): TestApi {
    if (!this.activated) throw new Error('the fixture is not set up yet: use it inside a test or hook');
    return this.activated;
  }

  /** The suite's test server (the `server` option). */
  get server(): IoTestServer {
    if (!this.suiteServer) throw new Error(this.activated ? 'this fixture was set up without a `server` option' : 'the fixture is not set up yet');
    return this.suiteServer;
  }

  /** The first workspace folder: the host's copy of test/fixtures/workspace. */
  get folder(): string {
    return vscode.workspace.workspaceFolders![0].uri.fsPath;
  }

  /** Activates the extension, opens the suite's scope and applies the options in it. */
  async setUp(): Promise<void> {
    this.activated = await activateExtension();
    await this.enter('suite');
    if (this.options.server) this.suiteServer = await this.startServer(this.options.server);
    const settings = suiteSettings({ ...(this.suiteServer ? { baseUrl: this.suiteServer.baseUrl } : {}), ...this.options.settings });
    assertContributed(settings, manifest());
    for (const [id, value] of Object.entries(settings)) await vscode.workspace.getConfiguration().update(id, value, vscode.ConfigurationTarget.Global);
    if (this.options.key !== undefined) await this.storeKey(this.options.key);
  }

  /** Puts back everything of every open scope. */
  async tearDown(): Promise<void> {
    while (this.scopes.length) await this.leave();
  }

  /** Opens a scope for one test; the suite's server forgets the last test's script and requests. */
  async enterTest(): Promise<void> {
    await this.enter('test');
    this.suiteServer?.reset();
  }

  async leaveTest(): Promise<void> {
    if (this.scopes.at(-1)?.name === 'test') await this.leave();
  }

  /** Sets a user (global) setting, named without `ioIntelligence.`; the scope puts the old value back. */
  async setting(key: string, value: unknown): Promise<void> {
    assertContributed({ [`${SECTION}.${key}`]: value }, manifest());
    await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
  }

  /** Stores the API key in SecretStorage, or deletes it for `undefined`; the scope puts the old one back. */
  async storeKey(key: string | undefined): Promise<void> {
    if (key === undefined) await this.api.secrets.delete(SECRET_KEY);
    else await this.api.secrets.store(SECRET_KEY, key);
  }

  /** Another test server (one that must receive nothing, say); stopped when the scope ends. */
  async startServer(options: TestServerOptions = {}): Promise<IoTestServer> {
    const server = await new IoTestServer(options).start();
    this.scope().releases.push(() => server.stop());
    return server;
  }

  /**
   * A path (relative to the workspace folder, or absolute) the test creates or changes: when the scope ends a file
   * gets its content back, and what did not exist is removed with the folders made for it.
   */
  trackPath(file: string): string {
    const full = path.resolve(this.folder, file);
    let created = full;
    while (!fs.existsSync(path.dirname(created))) created = path.dirname(created);
    const before = fs.lstatSync(full, { throwIfNoEntry: false });
    const content = before?.isFile() ? fs.readFileSync(full) : undefined;
    this.scope().releases.push(() => {
      if (!before) fs.rmSync(created, { recursive: true, force: true });
      else if (content) fs.writeFileSync(full, content);
    });
    return full;
  }

  /** Writes a file and the folders it needs; put back when the scope ends. */
  writeFile(file: string, content: string): string {
    const full = this.trackPath(file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
    return full;
  }

  /**
   * Opens a file in a pinned editor (a preview would replace another suite's preview tab), after writing `content`
   * into it when given. The scope closes the tab unless it was open before.
   */
  async open(file: string, content?: string): Promise<vscode.TextEditor> {
    const full = content === undefined ? path.resolve(this.folder, file) : this.writeFile(file, content);
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(full), { preview: false });
  }

  /** Replaces `target[name]` until the scope ends. */
  patch<T extends object, K extends keyof T>(target: T, name: K, replacement: T[K]): void {
    const original = target[name];
    target[name] = replacement;
    this.scope().patches.push(() => (target[name] = original));
  }

  /**
   * Records every notification shown, and still shows it: VS Code's `window` API is observed, not replaced (the
   * extension and the tests share one API object in the extension host, so this sees the extension's real calls).
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

  private async enter(name: Scope['name']): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    this.scopes.push({
      name,
      settings: new Map(contributedSettings(manifest()).map((key) => [key, structuredClone(config.inspect(key)?.globalValue)])),
      key: await this.api.secrets.get(SECRET_KEY),
      editors: editorState(),
      edits: new Set(this.api.rewrite.all()),
      patches: [],
      releases: [],
    });
  }

  /** Puts back what the innermost scope changed; every step runs, and what failed is reported together at the end. */
  private async leave(): Promise<void> {
    const scope = this.scope();
    const api = this.api;
    const failures: unknown[] = [];
    const attempt = async (step: () => unknown): Promise<void> => {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    };
    await attempt(async () => {
      if (!api.chat.busy) return;
      api.chat.stop();
      await until(() => !api.chat.busy, 'the chat answer to stop');
    });
    for (const edit of api.rewrite.all().filter((e) => !scope.edits.has(e))) await attempt(() => api.rewrite.reject(edit.document));
    for (const undo of [...scope.patches].reverse()) await attempt(undo);
    await attempt(() => restoreEditors(scope.editors));
    await attempt(() => restoreSettings(scope.settings));
    await attempt(async () => {
      if ((await api.secrets.get(SECRET_KEY)) !== scope.key) await this.storeKey(scope.key);
    });
    for (const release of [...scope.releases].reverse()) await attempt(release);
    this.scopes.pop();
    if (failures.length) throw new AggregateError(failures, `the fixture could not put back everything after the ${scope.name}: ${failures.map(String).join('; ')}`);
  }
}

/**
 * A fixture for the enclosing `describe`: set up in `before`, put back in `after`, and what each test changes put back
 * after the test. Call it first in the `describe`: mocha runs hooks in the order they are declared, so the suite's own
 * `before` then runs inside the fixture's scope, and the suite needs no `after` of its own.
 */
export function useFixture(options: FixtureOptions = {}): Fixture {
  const fixture = new Fixture(options);
  before(() => fixture.setUp());
  after(() => fixture.tearDown());
  beforeEach(() => fixture.enterTest());
  afterEach(() => fixture.leaveTest());
  return fixture;
}

async function activateExtension(): Promise<TestApi> {
  const extension = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  if (!api) throw new Error('the extension did not return its test API: is it running in test mode?');
  return api;
}

function manifest(): object {
  return vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
}

async function restoreSettings(before: ReadonlyMap<string, unknown>): Promise<void> {
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(SECTION);
  for (const [key, value] of before) {
    if (!isDeepStrictEqual(config().inspect(key)?.globalValue, value)) await config().update(key, value, vscode.ConfigurationTarget.Global);
  }
}
