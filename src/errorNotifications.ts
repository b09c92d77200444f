import * as vscode from 'vscode';
import { BuiltinCommand, CommandId } from './commandIds';
import { ERROR_ACTION_LABELS } from './core/domain';
import { describeError } from './core/errorText';
import type { ErrorAction } from './core/domain';
import type { RequestError } from './core/errors';
import { inertText } from './core/notificationText';
import type { SetKeyResult } from './commands/apiKeyCommands';

/**
 * Shows a typed failure as one notification with the buttons that fix it, and runs the chosen one.
 * `retry` is offered only when the caller can retry. The words carry the server's message and model ids, so they are
 * made inert here, at the notification, and stay plain for the chat (which shows them as text).
 */
export async function notifyError(error: RequestError, retry?: () => unknown): Promise<void> {
  if (error.kind === 'cancelled') return;
  const actions = error.actions.filter((action) => action !== 'retry' || retry);
  const chosen = await vscode.window.showErrorMessage(inertText(describeError(error)), ...actions.map((a) => ERROR_ACTION_LABELS[a]));
  const action = actions.find((a) => ERROR_ACTION_LABELS[a] === chosen);
  if (action) await runAction(action, retry);
}

export async function runAction(action: ErrorAction, retry?: () => unknown): Promise<void> {
  switch (action) {
    case 'setApiKey': {
      // A key stored from a "no key" or "key rejected" failure: what failed is asked again, as the user meant it to be.
      const result = await vscode.commands.executeCommand<SetKeyResult | undefined>(CommandId.setApiKey);
      if (result?.stored) await retry?.();
      return;
    }
    case 'selectModel':
    case 'switchModel':
      await vscode.commands.executeCommand(CommandId.selectModel);
      return;
    case 'retry':
      await retry?.();
      return;
    case 'openSettings':
      await vscode.commands.executeCommand(BuiltinCommand.openSettings, 'ioIntelligence');
      return;
  }
}
