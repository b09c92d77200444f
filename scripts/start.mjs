// `npm start`: build, package the VSIX, and open the extension in a real VS Code.
// - With a desktop `code` CLI on PATH: `code --extensionDevelopmentPath=<repo>`.
// - Otherwise: the offline code-server host on 127.0.0.1 with the VSIX installed; prints the URL to open.
// Without IOINTELLIGENCE_API_KEY, the local test server runs in its demo mode (`--demo`): the extension labels it
// "Demo" from the marker its /models carries.
//
// State is kept between runs, so that a key, conversations and settings survive: code-server keeps SecretStorage and
// extension state in the browser's storage for the page's origin, so the folders and the port stay the same from run
// to run. `npm start -- --fresh` starts over (see README, "Trying it").
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const vsix = path.join(root, `io-intelligence-${pkg.version}.vsix`);
const fresh = process.argv.includes('--fresh');
// The demo and the live API keep apart: each has its own folder and its own port (so its own browser storage, where
// the key lives). A key typed into the demo would otherwise be sent to the real API on the next run, and the reverse.
const live = Boolean(process.env.IOINTELLIGENCE_API_KEY);
const stateDir = process.env.IOI_START_STATE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), `io-intelligence-vscode-start${live ? '-live' : ''}`);
const preferredPort = Number(process.env.PORT ?? (live ? 8090 : 8080));

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

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The same port every run (the browser keeps the extension's state per origin); another only when it is taken. */
async function choosePort() {
  if (await portIsFree(preferredPort)) return preferredPort;
  for (let port = preferredPort + 1; port < preferredPort + 20; port++) {
    if (await portIsFree(port)) {
      console.warn(`! Port ${preferredPort} is in use, so VS Code runs on ${port}. Your browser keeps the extension's state per port: what you set on ${preferredPort} is not here. Free ${preferredPort} (or set PORT) to get it back.`);
      return port;
    }
  }
  console.error(`✘ No free port from ${preferredPort} to ${preferredPort + 19}; set PORT to a free one.`);
  process.exit(1);
}

async function startDemoEndpoint() {
  run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
  const child = spawn(process.execPath, ['out/test/server/cli.js', '--demo'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(d.toString().trim())));
  return { child, baseUrl };
}

const DEMO_README = `# IO Intelligence demo workspace

A copy of the extension's test workspace, kept between \`npm start\` runs (\`npm start -- --fresh\` starts over).

1. Open \`src/math.ts\`, select \`clamp\`, press **Ctrl+Alt+E** (Explain Selection).
2. Ask a follow-up in the chat panel.
3. Select \`average\`, press **Ctrl+Alt+R** (Rewrite Selection…), pick *Add doc comment*, then Accept or Reject.
4. Select Model → \`deepseek-ai/DeepSeek-R1\` shows a reasoning model's *Thinking* section.

Without \`IOINTELLIGENCE_API_KEY\`, answers come from the local demo server (the status bar and the chat panel say
**Demo**): they are written from what you sent, not by a model.
`;

/** Folders that outlive a run: user data (settings), extensions, and the workspace (a copy of the test workspace). */
function prepareState() {
  if (fresh) fs.rmSync(stateDir, { recursive: true, force: true });
  const dirs = { userData: path.join(stateDir, 'user-data'), extensions: path.join(stateDir, 'extensions'), workspace: path.join(stateDir, 'workspace') };
  if (!fs.existsSync(dirs.workspace)) {
    fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), dirs.workspace, { recursive: true });
    fs.writeFileSync(path.join(dirs.workspace, 'README.md'), DEMO_README);
  }
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.mkdirSync(dirs.extensions, { recursive: true });
  return dirs;
}

/**
 * Keeps the user's own settings; points the extension at the demo endpoint (whose port changes every run), or takes
 * that pointer away when the real API is used. `welcomePageInEmptyWorkbench` leaves the editor area to the
 * extension's walkthrough, which it opens on the first start (a startup editor of `none` would tell it not to).
 */
function writeSettings(userDataDir, demo) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  let settings = {};
  if (fs.existsSync(file)) {
    try {
      settings = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      // Comments or trailing commas (VS Code accepts them): keep the user's file aside rather than lose it.
      fs.copyFileSync(file, `${file}.bak`);
      console.warn(`! ${file} is not plain JSON (${error.message}); it was copied to settings.json.bak and written anew.`);
    }
  }
  settings = { 'workbench.startupEditor': 'welcomePageInEmptyWorkbench', 'telemetry.telemetryLevel': 'off', ...settings };
  if (demo) settings['ioIntelligence.baseUrl'] = demo.baseUrl;
  else if (/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/$/.test(settings['ioIntelligence.baseUrl'] ?? '')) delete settings['ioIntelligence.baseUrl'];
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
}

function printWhere({ port, workspace, demo }) {
  const origin = `http://127.0.0.1:${port}`;
  console.log('\n────────────────────────────────────────────────────────────');
  console.log(`VS Code with IO Intelligence is running: ${origin}/?folder=${encodeURIComponent(workspace)}`);
  console.log(demo
    ? `DEMO ENDPOINT: answers come from the local demo server at ${demo.baseUrl}, not from IO Intelligence (any key works).\nSet IOINTELLIGENCE_API_KEY and run npm start again to use the real API.`
    : 'Using the live IO Intelligence API with the key from IOINTELLIGENCE_API_KEY.');
  console.log(`\nKept between runs:\n  settings, extension and workspace: ${stateDir}\n  your key (SecretStorage), conversations, usage: your browser's storage for ${origin}`);
  console.log(`Start over with: npm start -- --fresh (to forget the browser side too, clear the site data of ${origin} or use a private window).`);
  console.log('VS Code asks whether you trust the workspace folder: trust it to use Rewrite and Apply (Restricted Mode only explains and chats).');
  console.log('Press Ctrl+C to stop.');
  console.log('────────────────────────────────────────────────────────────');
}

async function main() {
  run('npm', ['run', 'package', '--silent']);
  const realKey = live;

  if (onPath('code') && !process.env.IOI_FORCE_CODE_SERVER) {
    console.log('Desktop VS Code found: opening it with this extension in development mode.');
    run('npm', ['run', 'build', '--silent']);
    spawn('code', [`--extensionDevelopmentPath=${root}`, path.join(root, 'test', 'fixtures', 'workspace')], { stdio: 'inherit', detached: true }).unref();
    return;
  }

  // The host every suite runs on (scripts/hosts.json); the script prints its launcher.
  const install = spawnSync('bash', ['scripts/install-host.sh', '1.104'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (install.status !== 0) process.exit(install.status ?? 1);
  const codeServer = install.stdout.trim().split('\n').pop();
  const port = await choosePort();
  const demo = realKey ? undefined : await startDemoEndpoint();
  const dirs = prepareState();
  writeSettings(dirs.userData, demo);

  // --force: the same version number is installed over, so that every run has the VSIX just built.
  run(codeServer, ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix, '--force']);
  // The demo endpoint accepts any key; the real API gets the key from the environment, never from a file.
  const env = { ...process.env, ...(demo ? { IOINTELLIGENCE_API_KEY: 'demo-key-for-the-local-test-server' } : {}) };
  const server = spawn(
    codeServer,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, dirs.workspace],
    { stdio: 'ignore', env },
  );
  const stop = () => {
    server.kill('SIGTERM');
    demo?.child.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  printWhere({ port, workspace: dirs.workspace, demo });
}

main();
