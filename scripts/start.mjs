// `npm start`: build, package the VSIX, and open the extension in a real VS Code.
// - With a desktop `code` CLI on PATH: `code --extensionDevelopmentPath=<repo>`.
// - Otherwise: the offline code-server host on 127.0.0.1 with the VSIX installed; prints the URL to open.
// Without IOINTELLIGENCE_API_KEY, the local test server runs as a clearly labelled demo endpoint.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const vsix = path.join(root, `io-intelligence-${pkg.version}.vsix`);

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`✘ ${cmd} ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

function onPath(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}

async function freePort(preferred) {
  const tryPort = (port) =>
    new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(server.address()?.port ?? port)));
    });
  return (await tryPort(preferred)) ?? (await tryPort(0));
}

async function startDemoEndpoint() {
  run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
  const child = spawn(process.execPath, ['out/test/server/cli.js'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(d.toString().trim())));
  return { child, baseUrl };
}

async function main() {
  run('npm', ['run', 'package', '--silent']);
  const realKey = Boolean(process.env.IOINTELLIGENCE_API_KEY);

  if (onPath('code') && !process.env.IOI_FORCE_CODE_SERVER) {
    console.log('Desktop VS Code found: opening it with this extension in development mode.');
    run('npm', ['run', 'build', '--silent']);
    spawn('code', [`--extensionDevelopmentPath=${root}`, path.join(root, 'test', 'fixtures', 'workspace')], { stdio: 'inherit', detached: true }).unref();
    return;
  }

  const install = spawnSync('bash', ['scripts/install-host.sh'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (install.status !== 0) process.exit(install.status ?? 1);
  const codeServer = install.stdout.trim().split('\n').pop();
  const demo = realKey ? undefined : await startDemoEndpoint();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioi-start-user-'));
  const extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioi-start-exts-'));
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ioi-start-ws-'));
  fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  const settings = { 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', ...(demo ? { 'ioIntelligence.baseUrl': demo.baseUrl } : {}) };
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  run(codeServer, ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix]);
  const port = await freePort(Number(process.env.PORT ?? 8080));
  // The demo endpoint accepts any key; the real API gets the key from the environment, never from a file.
  const env = { ...process.env, ...(demo ? { IOINTELLIGENCE_API_KEY: 'demo-key-for-the-local-test-server' } : {}) };
  const server = spawn(
    codeServer,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, workspace],
    { stdio: 'ignore', env },
  );
  const stop = () => {
    server.kill('SIGTERM');
    demo?.child.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log('\n────────────────────────────────────────────────────────────');
  console.log(`VS Code with IO Intelligence is running: http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  console.log(demo
    ? `DEMO ENDPOINT: answers come from the local test server at ${demo.baseUrl}, not from IO Intelligence.\nSet IOINTELLIGENCE_API_KEY and run npm start again to use the real API.`
    : 'Using the live IO Intelligence API with the key from IOINTELLIGENCE_API_KEY.');
  console.log('Press Ctrl+C to stop.');
  console.log('────────────────────────────────────────────────────────────');
}

main();
