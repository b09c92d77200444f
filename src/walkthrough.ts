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
  const deferred = setTimeout(() => void openOnFirstStart(context.globalState), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(deferred) }, keys.onDidChange(() => void publishKey()));
}

async function openOnFirstStart(globalState: vscode.Memento): Promise<void> {
  if (globalState.get<boolean>(OPENED_KEY)) return;
  if (vscode.workspace.getConfiguration().get<string>(STARTUP_EDITOR) === 'none') return;
  await vscode.commands.executeCommand(BuiltinCommand.openWalkthrough, WALKTHROUGH_ID, false);
  await globalState.update(OPENED_KEY, true);
}
