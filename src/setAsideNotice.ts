import * as vscode from 'vscode';
import { inertText } from './core/notificationText';

/** A store of what the extension saves (conversations, usage, pending edits): it says once when it set data aside. */
export interface SetAsideReporter {
  takeNotice(): string | undefined;
}

/**
 * Tells the user, without a modal, that stored data could not be read and was set aside (not deleted); returns the
 * store, so that it can wrap where the store is created. Nothing is shown when there is nothing to say.
 */
export function announceSetAside<T extends SetAsideReporter>(store: T): T {
  const notice = store.takeNotice();
  // The notice names a key and a version number, no stored text; it is made inert all the same.
  if (notice) void vscode.window.showWarningMessage(inertText(notice));
  return store;
}
