import * as vscode from 'vscode';
import { describeError } from '../core/errorText';
import type { RequestError } from '../core/errors';

/**
 * An IO failure in the words VS Code's chat shows, as the host's error kinds: no or bad key → NoPermissions, an
 * unknown model → NotFound, a spent quota or a rate limit → Blocked (with what to do), a stop → Cancellation; anything
 * else keeps our message (the host reports it as Unknown).
 */
export function toLanguageModelError(error: RequestError): Error {
  const message = describeError(error);
  switch (error.kind) {
    case 'noKey':
    case 'badKey':
      return vscode.LanguageModelError.NoPermissions(message);
    case 'unknownModel':
      return vscode.LanguageModelError.NotFound(message);
    case 'quotaExhausted':
    case 'rateLimited':
      return vscode.LanguageModelError.Blocked(message);
    case 'cancelled':
      return new vscode.CancellationError();
    default:
      return new Error(message, { cause: error });
  }
}
