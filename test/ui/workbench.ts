import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { CommandId } from '../../src/commandIds';
import { assertContributed, suiteSettings } from '../fixtures/testSettings';
import { developmentPayload, openWorkbench, type Workbench } from '../host/browser';
import { DEFAULT_HOST, REPO_ROOT, startCodeServer, type HostName, type RunningCodeServer } from '../host/codeServer';
import { prepareWorkspace } from '../host/runInCodeServer';

/** A real VS Code (code-server) with this extension loaded for development, driven like a person would. */
export interface Session {
  readonly host: RunningCodeServer;
  readonly bench: Workbench;
  readonly page: Page;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Start with Workspace Trust on (to test Restricted Mode); by default the folder is trusted. */
  readonly workspaceTrust?: boolean;
  /** Install this packaged VSIX into the fresh VS Code instead of loading the repository for development. */
  readonly installVsix?: string;
  /** IOINTELLIGENCE_API_KEY for the server's extension host, as `npm start` gives the demo (default: none). */
  readonly environmentKey?: string;
  /** Which VS Code to start (default {@link DEFAULT_HOST}); `1.139` needs `installVsix`. */
  readonly host?: HostName;
  /** The workspace's own settings (`.vscode/settings.json`), by full id; written before VS Code opens the folder. */
  readonly workspaceSettings?: Record<string, unknown>;
}

export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

interface Manifest {
  readonly contributes: { readonly commands: readonly { command: string; title: string; category?: string }[]; readonly configuration?: { properties?: object } };
}
const MANIFEST = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;

/**
 * A fresh VS Code (its own user data, extensions folder, browser profile and copy of test/fixtures/workspace) with
 * these user settings over FEATURES_OFF (test/fixtures/testSettings.ts); `close()` stops it and removes all of it.
 */
export async function openSession(userSettings: Record<string, unknown>, options: SessionOptions = {}): Promise<Session> {
  const settings = { ...suiteSettings(), ...userSettings };
  assertContributed(settings, MANIFEST);
  // A development extension did not load on the newer host (shared/vscode-host.md): fail here, not as a missing command.
  if ((options.host ?? DEFAULT_HOST) !== DEFAULT_HOST && !options.installVsix) throw new Error(`VS Code ${options.host} runs only a packaged extension: open the session with \`packaged: true\``);
  const workspace = prepareWorkspace();
  if (options.workspaceSettings) {
    assertContributed(options.workspaceSettings, MANIFEST);
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(options.workspaceSettings, null, 2));
  }
  const host = await startCodeServer({ workspace, userSettings: settings, workspaceTrust: options.workspaceTrust, installVsix: options.installVsix, host: options.host, env: { IOINTELLIGENCE_API_KEY: options.environmentKey ?? '' } }).catch((error: unknown) => {
    fs.rmSync(workspace, { recursive: true, force: true });
    throw error;
  });
  let bench: Workbench | undefined;
  try {
    bench = await openWorkbench(host, options.installVsix ? undefined : developmentPayload(host, REPO_ROOT));
    await bench.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  } catch (error) {
    // The caller gets no session to close: without this the server would outlive the run.
    await bench?.close();
    await host.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
    throw error;
  }
  return {
    host,
    bench,
    page: bench.page,
    close: async () => {
      await bench.close();
      await host.stop();
      fs.rmSync(workspace, { recursive: true, force: true });
    },
  };
}

const VISIBLE_ROWS = '.quick-input-widget .monaco-list-row:visible';

/** The title the Command Palette shows for one of the extension's commands, as package.json contributes it. */
export function paletteTitle(id: (typeof CommandId)[keyof typeof CommandId]): string {
  const command = MANIFEST.contributes.commands.find((c) => c.command === id);
  if (!command) throw new Error(`package.json contributes no command ${id}`);
  return command.category ? `${command.category}: ${command.title}` : command.title;
}

/**
 * F1, type the command's palette title, Enter. Right after load the palette may not list the extension's commands
 * yet (the development extension is still being scanned), so it is reopened until it does (at most a minute).
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator(VISIBLE_ROWS).filter({ hasText: title }).first();
  const deadline = Date.now() + 60_000;
  let label: string;
  for (;;) {
    await page.keyboard.press('F1');
    try {
      // A palette that opened while the workbench moved focus (a walkthrough, a webview) may not take input, and one
      // can close under the test (the walkthrough opened again on a first start): retried.
      await input.waitFor({ timeout: 5_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await row.waitFor({ timeout: 3_000 });
      label = (await row.getAttribute('aria-label', { timeout: 3_000 })) ?? '';
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.keyboard.press('Escape');
    }
  }
  // Exactly the title, not a longer command that contains it.
  if (!label.startsWith(title)) throw new Error(`the palette offered "${label}" for "${title}"`);
  await page.keyboard.press('Enter');
}

/** Types into the quick input that a command opened (input box or quick pick) and presses Enter. */
export async function answerQuickInput(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor();
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/** The labels of the open quick pick, once it shows an item containing `expected`. */
export async function quickPickLabels(page: Page, expected: string): Promise<string[]> {
  await page.locator(VISIBLE_ROWS).filter({ hasText: expected }).first().waitFor({ timeout: 30_000 });
  return page.locator(VISIBLE_ROWS).evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? n.textContent ?? ''));
}

export async function waitForNotification(page: Page, text: string | RegExp): Promise<string> {
  const toast = page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first();
  try {
    await toast.waitFor({ timeout: 30_000 });
  } catch {
    const shown = await page.locator('.notification-list-item-message').allTextContents();
    await screenshot(page, 'notification-missing');
    throw new Error(`no notification matching ${String(text)}; shown: ${JSON.stringify(shown)}`);
  }
  return (await toast.textContent()) ?? '';
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * The chat webview's document (VS Code nests it: iframe.webview, then #active-frame). Picked by extension, since other
 * webviews (a walkthrough's markdown) can be open beside it.
 */
export function chatFrame(page: Page): import('playwright-core').FrameLocator {
  return page.frameLocator('iframe.webview.ready[src*="extensionId=io-intelligence.io-intelligence"]').frameLocator('#active-frame');
}

/** Opens a workspace file through Quick Open, as a person would. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor();
  await input.fill(name);
  await page.locator(VISIBLE_ROWS).filter({ hasText: name }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines').first().waitFor();
  await page.locator('.tab.active', { hasText: name }).waitFor();
}

/** Where VS Code draws ghost text (inline completions). */
export const GHOST = '.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text';

/** The ghost text VS Code shows, read as a person reads it: its highlighted pieces joined, spaces as spaces. */
export async function shownGhostText(page: Page): Promise<string> {
  const pieces = await page.locator(GHOST).evaluateAll((els) => els.map((e) => e.textContent ?? ''));
  return pieces.join('').replace(/\u00a0/g, ' ');
}

/** Waits until the ghost text shown is exactly `text` (15 s at most). */
export async function ghostShows(page: Page, text: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await shownGhostText(page)) !== text) {
    if (Date.now() > deadline) assert.fail(`ghost text ${JSON.stringify(text)} did not show; shown: ${JSON.stringify(await shownGhostText(page))}`);
    await page.waitForTimeout(100);
  }
}

/** Opens `name` and puts the cursor at its end, as a click into the editor and Ctrl+End do. */
export async function cursorAtEnd(page: Page, name: string): Promise<void> {
  await openFile(page, name);
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
}

/** User settings for ghost-text tests: word suggestions would open their list over it, and completions wait while it is open. */
export const NO_WORD_SUGGESTIONS = { 'editor.quickSuggestions': { other: false, comments: false, strings: false }, 'editor.suggestOnTriggerCharacters': false };

/** Sets the API key through the palette, typing it into the password box. */
export async function setApiKeyThroughPalette(page: Page, key: string): Promise<void> {
  await runCommand(page, paletteTitle(CommandId.setApiKey));
  await answerQuickInput(page, key);
  await waitForNotification(page, 'It works');
}

/** The webview frame that holds the chat's DOM, for evaluating code inside it. */
export async function chatDocument(page: Page): Promise<import('playwright-core').Frame> {
  for (const frame of page.frames()) {
    if (await frame.evaluate(() => Boolean(document.querySelector('.transcript'))).catch(() => false)) return frame;
  }
  throw new Error('chat webview frame not found');
}

// ── VS Code's own Chat view (VS Code 1.139): the selectors below were read from its DOM ──

/** VS Code's Chat view (the auxiliary bar's chat), not a chat editor. */
export function vscodeChatView(page: Page): import('playwright-core').Locator {
  return page.locator('[id="workbench.panel.chat"]');
}

/** "Chat: Open Chat" through the palette, until its input shows; dismisses a BYOK banner if one is shown. */
export async function openVsCodeChat(page: Page): Promise<void> {
  await runCommand(page, 'Chat: Open Chat');
  await vscodeChatView(page).locator('.interactive-input-part .interactive-input-editor .monaco-editor').waitFor({ timeout: 30_000 });
  await dismissChatBanner(page, /BYOK utility models/);
}

/** Closes a notice over the chat input (such as "Set BYOK utility models") when one is shown; nothing otherwise. */
export async function dismissChatBanner(page: Page, text: RegExp): Promise<void> {
  const banner = vscodeChatView(page).locator('.chat-input-notice, .chat-getting-started-tip-container, .chat-input-notification-container').filter({ hasText: text });
  if (!(await banner.first().isVisible().catch(() => false))) return;
  await banner.first().locator('.codicon-close, .codicon-dialog-close, [aria-label*="Dismiss"], [aria-label*="Close"]').first().click();
}

/** The model picker of the chat input: the model's name as it shows. */
export async function chatViewModel(page: Page): Promise<string> {
  return ((await vscodeChatView(page).locator('.interactive-input-part .model-picker-item .model-picker-name .chat-input-picker-label').textContent()) ?? '').trim();
}

/**
 * Opens the chat input's model picker, searches for `name` and picks it; returns the picked row's aria-label
 * (`"<name>, <vendor display name>[, Current model]"`).
 */
export async function pickChatViewModel(page: Page, name: string): Promise<string> {
  await vscodeChatView(page).locator('.interactive-input-part .model-picker-item .model-picker-name').click();
  await page.locator('.action-widget .action-list-filter-input').fill(name);
  const row = page.locator(`.action-widget .monaco-list-row[aria-label^="${name},"]`).first();
  await row.waitFor({ timeout: 30_000 });
  const label = (await row.getAttribute('aria-label')) ?? '';
  await row.click();
  const deadline = Date.now() + 10_000;
  while ((await chatViewModel(page)) !== name) {
    if (Date.now() > deadline) assert.fail(`the model picker shows ${JSON.stringify(await chatViewModel(page))}, not ${name}`);
    await page.waitForTimeout(100);
  }
  return label;
}

/** A question asked in the Chat view: its own request and response rows in the chat list. */
export interface ChatViewTurn {
  readonly request: import('playwright-core').Locator;
  readonly response: import('playwright-core').Locator;
}

/**
 * Types `text` into the Chat view's input (a Monaco editor: clicked, emptied, typed) and presses Enter. Emptied first
 * because a sticky participant (`@io`) puts itself back into the input after each request; an open suggest widget is
 * closed before Enter. The list is virtual
 * (rows out of view are not in the DOM), so the new turn is found by index: its request is the row after the newest
 * one the list held before, its response the next.
 */
export async function askInChatView(page: Page, text: string): Promise<ChatViewTurn> {
  const list = vscodeChatView(page).locator('.interactive-list .monaco-list');
  // The list keeps its newest rows rendered (it follows the conversation's end).
  const before = await list.locator('.monaco-list-row[data-index]').evaluateAll((rows) => rows.reduce((n, row) => Math.max(n, Number(row.getAttribute('data-index')) + 1), 0));
  const input = vscodeChatView(page).locator('.interactive-input-part .interactive-input-editor .monaco-editor');
  await input.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
  // Typing `@io` or `/explain` opens the suggest widget, where Enter would take the suggestion instead of sending.
  const suggest = page.locator('.suggest-widget.visible');
  await suggest.waitFor({ timeout: 500 }).catch(() => undefined);
  if (await suggest.count()) await page.keyboard.press('Escape');
  const typed = ((await input.locator('.view-lines').innerText()) ?? '').replace(/\u00a0/g, ' ').trim();
  if (typed !== text.trim()) throw new Error(`the chat input holds ${JSON.stringify(typed)}, not ${JSON.stringify(text)}`);
  await page.keyboard.press('Enter');
  const request = list.locator(`.monaco-list-row[data-index="${before}"] .interactive-item-container.interactive-request`);
  try {
    await request.waitFor({ timeout: 30_000 });
  } catch (error) {
    await screenshot(page, 'chat-view-request-missing');
    const rows = await list.locator('.monaco-list-row').evaluateAll((els) => els.map((el) => `${el.getAttribute('data-index')}: ${(el as HTMLElement).innerText.slice(0, 80)}`));
    throw new Error(`no request row ${before} after asking ${JSON.stringify(text)}; rows: ${JSON.stringify(rows)}`, { cause: error });
  }
  return { request, response: list.locator(`.monaco-list-row[data-index="${before + 1}"] .interactive-item-container.interactive-response`) };
}

/** Waits until this response has finished loading (60 s at most); returns its text as shown. */
export async function chatResponseDone(page: Page, response: import('playwright-core').Locator, timeout = 60_000): Promise<string> {
  await response.waitFor({ timeout });
  const deadline = Date.now() + timeout;
  while (await response.evaluate((el) => el.classList.contains('chat-response-loading'))) {
    if (Date.now() > deadline) assert.fail(`the chat response is still loading after ${timeout} ms: ${JSON.stringify(await response.innerText())}`);
    await page.waitForTimeout(100);
  }
  return response.innerText();
}
