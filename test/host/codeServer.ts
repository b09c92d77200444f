import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Starts an offline VS Code host (code-server, installed by scripts/install-host.sh) on a free loopback port,
 * with fresh user data and extension folders, and stops it again.
 */

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The hosts of scripts/hosts.json, by VS Code version. `1.104` (the minimum `engines.vscode`) runs every suite and
 * loads the repository for development; `1.139` runs only VSIX-based UI tests of VS Code's own Chat view (a
 * development extension does not load there, a packaged one does).
 */
export type HostName = '1.104' | '1.139';
export const DEFAULT_HOST: HostName = '1.104';

interface HostSpec {
  readonly codeServer: string;
  readonly node: string;
}

export interface CodeServerOptions {
  /** Folder to open; copied from nothing, the caller owns it. */
  readonly workspace: string;
  /** User settings written before start (settings.json of the fresh user data dir). */
  readonly userSettings?: Record<string, unknown>;
  /** Extra environment for the server and so for the extension host it spawns. */
  readonly env?: Record<string, string>;
  /** Start without --disable-workspace-trust (to test Restricted Mode). */
  readonly workspaceTrust?: boolean;
  /** A packaged VSIX to install into the fresh extensions folder before start. */
  readonly installVsix?: string;
  /** Which installed host to start (default {@link DEFAULT_HOST}). */
  readonly host?: HostName;
}

export interface RunningCodeServer {
  readonly port: number;
  readonly origin: string;
  readonly userDataDir: string;
  readonly workspace: string;
  /** Everything the server printed, for diagnosis when a run fails. */
  readonly output: () => string;
  /** Why the server process is gone (exit code or signal), or undefined while it runs. */
  readonly exited: () => string | undefined;
  stop(): Promise<void>;
}

export function hostSpec(host: HostName = DEFAULT_HOST): HostSpec {
  const hosts = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'scripts', 'hosts.json'), 'utf8')) as Record<string, HostSpec | undefined>;
  const spec = hosts[host];
  if (!spec) throw new Error(`scripts/hosts.json names no host ${host}`);
  return spec;
}

/**
 * The launcher install-host.sh writes for a host: it runs that code-server on the host's own Node (from the npm
 * registry), so whoever starts it needs no Node of their own on PATH.
 */
export function codeServerBinary(host: HostName = DEFAULT_HOST): string {
  const spec = hostSpec(host);
  const cacheRoot = process.env.IOI_HOST_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'io-intelligence-vscode-host');
  const bin = path.join(cacheRoot, `code-server-${spec.codeServer}-node-${spec.node}`, 'bin', 'code-server');
  if (!fs.existsSync(bin)) throw new Error(`code-server ${spec.codeServer} (VS Code ${host}) is not installed at ${bin}: run \`npm run install-host\` first.`);
  return bin;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ioi-${prefix}-`));
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const port = await freePort();
  const userDataDir = tempDir('user');
  const extensionsDir = tempDir('exts');
  const settingsDir = path.join(userDataDir, 'User');
  fs.mkdirSync(settingsDir, { recursive: true });
  fs.writeFileSync(
    path.join(settingsDir, 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoCheckUpdates': false, ...options.userSettings }, null, 2),
  );
  const binary = codeServerBinary(options.host);
  if (options.installVsix) {
    const installed = spawnSync(binary, ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', options.installVsix], { encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`installing ${options.installVsix} failed:\n${installed.stdout}${installed.stderr}`);
  }
  const args = [
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, options.workspace,
  ];
  let output = '';
  const child = spawn(binary, args, { env: { ...process.env, IOI_TEST_USER_DATA_DIR: userDataDir, ...options.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ? `killed by ${signal}` : `exit code ${code}`));
  const origin = `http://127.0.0.1:${port}`;
  await waitForHealth(origin, child, () => output);
  return {
    port,
    origin,
    userDataDir,
    workspace: options.workspace,
    output: () => output,
    exited: () => exited,
    stop: () => stopProcess(child, [userDataDir, extensionsDir]),
  };
}

async function waitForHealth(origin: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet: poll again
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not become healthy in 60 s:\n${output()}`);
}

async function stopProcess(child: ChildProcess, dirs: string[]): Promise<void> {
  if (child.exitCode === null && child.pid) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
  }
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
}
