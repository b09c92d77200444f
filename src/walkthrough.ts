import * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKeyStore';
import { BuiltinCommand } from './commandIds';

/** The walkthrough as package.json contributes it, in the form `workbench.action.openWalkthrough` takes. */
export const WALKTHROUGH_ID = 'io-intelligence.io-intelligence#gettingStarted';
/**
 * True while SecretStorage holds a key. The "Set your key" step completes on it (`onContext:`), so it ticks however the
 * key got stored: the palette, the walkthrough's button or the chat welcome. A key from the environment does not count:
 * VS Code 1.100 never ticks a step whose context is already true when the walkthrough registers (it records the event
 * as seen without progressing the step), and registration can come after activation; a key stored by the user always
 * turns the context from false to true in front of a registered walkthrough.
 */
export const KEY_STORED_CONTEXT = 'ioIntelligence.apiKeyStored';
const OPENED_KEY = 'ioIntelligence.walkthroughOpened';
/**
 * VS Code's choice of what opens at startup: `none` means the user (or a test host) wants an empty editor area, and the
 * walkthrough respects it. (`workbench.welcomePage.walkthroughs.openOnInstall` would be closer, but VS Code 1.100 does
 * not pass the user's value of it to extension hosts: it read as `true` under a settings.json saying `false`.)
 */
const STARTUP_EDITOR = 'workbench.startupEditor';

/**
 * Ticks the key step when a key is stored or cleared (from anywhere), and opens the walkthrough on the first start
 * (once per profile, remembered in global state, after activation has returned). SecretStorage is not read at
 * startup (design.md, "Activation"): VS Code would not tick a step whose context is already true when it registers.
 */
export function registerWalkthrough(context: vscode.ExtensionContext, keys: ApiKeyStore): void {
  const publishKey = async (): Promise<void> => {
    const stored = (await keys.getWithSource())?.source === 'secretStorage';
    await vscode.commands.executeCommand(BuiltinCommand.setContext, KEY_STORED_CONTEXT, stored);
  };
  const retry = new WalkthroughRetry();
  const deferred = setTimeout(() => void openOnFirstStart(context.globalState, retry), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(deferred) }, retry, keys.onDidChange(() => void publishKey()));
}

async function openOnFirstStart(globalState: vscode.Memento, retry: WalkthroughRetry): Promise<void> {
  if (globalState.get<boolean>(OPENED_KEY)) return;
  if (vscode.workspace.getConfiguration().get<string>(STARTUP_EDITOR) === 'none') return;
  await openWalkthrough();
  await globalState.update(OPENED_KEY, true);
  retry.start();
}

function openWalkthrough(): Thenable<unknown> {
  return vscode.commands.executeCommand(BuiltinCommand.openWalkthrough, WALKTHROUGH_ID, false);
}

/**
 * VS Code 1.104 registers an extension's walkthrough only once its experiment service has said whether to override the
 * walkthrough's `when`, and stops waiting for that answer after 5 s (offline, that is the wait).
 */
const REGISTRATION_BOUND_MS = 6_000;

/**
 * Makes sure that the Welcome editor opened at startup shows our walkthrough. Opened before VS Code registered it, the
 * Welcome editor shows one of VS Code's own walkthroughs instead ("Setup VS Code Web"), and nothing tells an extension
 * when the registration happens. So once VS Code's bound has passed, the walkthrough is opened once more, if the
 * Welcome tab is still the active one (same label, an editor the API has no input type for). When the user has moved
 * to another tab or closed it, nothing happens: it never takes the place of what they chose.
 */
class WalkthroughRetry implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private tabs: vscode.Disposable | undefined;

  start(): void {
    // The API's tab model may learn of the Welcome tab a moment after the command returned.
    let opened = welcomeTabLabel();
    if (opened === undefined) this.tabs = vscode.window.tabGroups.onDidChangeTabs(() => (opened ??= welcomeTabLabel()));
    this.timer = setTimeout(() => {
      this.tabs?.dispose();
      if (opened !== undefined && welcomeTabLabel() === opened) void openWalkthrough();
    }, REGISTRATION_BOUND_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.tabs?.dispose();
  }
}

/** The label of the active tab when it is the Welcome editor (not a text, diff, webview, custom or other known editor). */
function welcomeTabLabel(): string | undefined {
  const active = vscode.window.tabGroups.activeTabGroup.activeTab;
  return active && active.input === undefined ? active.label : undefined;
}
