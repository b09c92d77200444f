import * as fs from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDir, type RunningCodeServer } from './codeServer';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

export interface Workbench {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly profileDir: string;
  close(): Promise<void>;
}

/**
 * Opens the workbench of a running code-server in headless Chromium. SecretStorage and global state live in the
 * browser profile (code-server keeps them browser-side), so a "fresh user" is a fresh profile.
 */
export async function openWorkbench(host: RunningCodeServer, payload?: [string, string][], profileDir = tempDir('profile')): Promise<Workbench> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const query = new URLSearchParams({ folder: host.workspace });
  if (payload) query.set('payload', JSON.stringify(payload));
  try {
    // The default 30 s is too short for the workbench's load event on a busy 2-core machine.
    await page.goto(`${host.origin}/?${query.toString()}`, { timeout: 180_000 });
  } catch (error) {
    await context.close().catch(() => undefined);
    fs.rmSync(profileDir, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    page,
    profileDir,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** The payload that loads this repository as a development extension, optionally with a tests module. */
export function developmentPayload(host: RunningCodeServer, extensionRoot: string, testsModule?: string): [string, string][] {
  const remote = (p: string): string => `vscode-remote://127.0.0.1:${host.port}${p}`;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(extensionRoot)]];
  if (testsModule) payload.push(['extensionTestsPath', remote(testsModule)]);
  return payload;
}
