import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suiteSettings, type SettingValues } from '../fixtures/testSettings';
import { REPO_ROOT, type HostName } from '../host/codeServer';
import { IoTestServer, type TestServerOptions } from '../server/ioTestServer';
import { openSession, setApiKeyThroughPalette, type Session } from './workbench';

/**
 * The UI side of the test fixture (test/integration/fixture.ts is the extension-host side), with the same options:
 * a local test server with `ioIntelligence.baseUrl` pointing to it, the suite's settings over FEATURES_OFF
 * (test/fixtures/testSettings.ts), and the API key, typed into Set API Key through the palette like a user would.
 * Each suite gets a fresh VS Code (user data, extensions, browser profile, workspace copy), so restoring is removing:
 * after the suite the workbench is closed, code-server stopped, its folders deleted and the server stopped.
 */
export interface UiFixtureOptions {
  /** Starts a test server with these options; `ioIntelligence.baseUrl` points to it. */
  readonly server?: TestServerOptions;
  /** `ioIntelligence.*` user settings, named without the section; applied after FEATURES_OFF. */
  readonly settings?: SettingValues;
  /** Other VS Code user settings, by full id (say `security.workspace.trust.startupPrompt`). */
  readonly userSettings?: Record<string, unknown>;
  /** Typed into Set API Key through the palette once the workbench is open. */
  readonly key?: string;
  /** Lets the page read and write the clipboard (Copy buttons). */
  readonly clipboard?: boolean;
  /** Start with Workspace Trust on, so that the folder can be left untrusted (Restricted Mode). */
  readonly workspaceTrust?: boolean;
  /** Packages the extension (`npm run package`) and installs the VSIX, instead of loading the repository for development. */
  readonly packaged?: boolean;
  /** IOINTELLIGENCE_API_KEY in the extension host's environment, as `npm start` sets it for the demo endpoint. */
  readonly environmentKey?: string;
  /**
   * Which VS Code: `1.104` (default) runs every suite; `1.139` (code-server 4.139.1) is for the tests of VS Code's own
   * Chat view and takes only a packaged extension, so it needs `packaged: true`.
   */
  readonly host?: HostName;
  /** The workspace's own settings (`.vscode/settings.json`), by full id. */
  readonly workspaceSettings?: Record<string, unknown>;
}

export class UiFixture {
  private suiteServer: IoTestServer | undefined;
  private opened: Session | undefined;

  constructor(private readonly options: UiFixtureOptions = {}) {}

  get server(): IoTestServer {
    if (!this.suiteServer) throw new Error(this.opened ? 'this session was opened without a `server` option' : 'the session is not open yet');
    return this.suiteServer;
  }

  get session(): Session {
    if (!this.opened) throw new Error('the session is not open yet: use it inside a test or hook');
    return this.opened;
  }

  get page(): Session['page'] {
    return this.session.page;
  }

  async open(): Promise<void> {
    const { server, settings, userSettings, key, clipboard, workspaceTrust, packaged, environmentKey, host, workspaceSettings } = this.options;
    if (server) this.suiteServer = await new IoTestServer(server).start();
    const vsix = packaged ? packageVsix() : undefined;
    this.opened = await openSession({ ...suiteSettings({ ...(this.suiteServer ? { baseUrl: this.suiteServer.baseUrl } : {}), ...settings }), ...userSettings }, { workspaceTrust, installVsix: vsix, environmentKey, host, workspaceSettings });
    if (clipboard) await this.opened.bench.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: this.opened.host.origin });
    if (key !== undefined) await setApiKeyThroughPalette(this.opened.page, key);
  }

  async close(): Promise<void> {
    await this.opened?.close();
    await this.suiteServer?.stop();
  }
}

/**
 * A UI fixture for the enclosing `describe`: opened in `before`, closed in `after`. Call it first in the `describe`,
 * so that the suite's own `before` runs with the session open.
 */
export function useSession(options: UiFixtureOptions = {}): UiFixture {
  const fixture = new UiFixture(options);
  before(async function () {
    if (options.packaged) this.timeout(180_000);
    await fixture.open();
  });
  after(() => fixture.close());
  return fixture;
}

/** Packages the extension as `npm run package` does for a release; returns the VSIX's path. */
export function packageVsix(): string {
  const packaged = spawnSync('npm', ['run', 'package', '--silent'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (packaged.status !== 0) throw new Error(`npm run package failed:\n${packaged.stdout}${packaged.stderr}`);
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  return path.join(REPO_ROOT, `io-intelligence-${version}.vsix`);
}
