/**
 * Typed failures of the IO Intelligence API, as values the UI can render.
 * The words for the user are made once, at the boundary (see errorText.ts); this file only classifies.
 */
import type { ErrorAction, ErrorKind } from './domain';

export interface ErrorDetails {
  /** HTTP status when the server answered. */
  readonly status?: number;
  /** Seconds until a retry makes sense, from Retry-After. */
  readonly retryAfterSeconds?: number;
  /** The server's own explanation, already cleaned (never an HTML page, never the key). */
  readonly serverMessage?: string;
  /** The model the request was for. */
  readonly model?: string;
  /** A model whose context window would fit the request (for contextTooLong). */
  readonly suggestedModel?: string;
  /** Where a redirect pointed: the origin of its Location, when it has one (for redirected). */
  readonly redirectOrigin?: string;
  /** The address the request went to (for network: what could not be reached). */
  readonly url?: string;
  /** The system's or undici's code for a connection that failed (for network): ECONNREFUSED, ENOTFOUND, … */
  readonly networkCode?: string;
}

export class RequestError extends Error {
  override readonly name = 'RequestError';

  constructor(
    readonly kind: ErrorKind,
    readonly details: ErrorDetails = {},
    /** What was thrown originally, kept for the log (an `internal` error's stack). */
    cause?: unknown,
  ) {
    super(details.serverMessage ? `${kind}: ${details.serverMessage}` : kind, cause === undefined ? undefined : { cause });
  }

  /** The action that fixes this failure, in the order they are offered. */
  get actions(): readonly ErrorAction[] {
    return ACTIONS[this.kind];
  }
}

const ACTIONS: Record<ErrorKind, readonly ErrorAction[]> = {
  noKey: ['setApiKey'],
  badKey: ['setApiKey'],
  unknownModel: ['selectModel'],
  rateLimited: ['retry', 'switchModel'],
  quotaExhausted: ['switchModel'],
  contextTooLong: ['selectModel'],
  badRequest: ['openSettings'],
  server: ['retry'],
  network: ['retry', 'openSettings'],
  redirected: ['openSettings'],
  requestTimeout: ['retry'],
  idleTimeout: ['retry'],
  cancelled: [],
  malformed: ['retry'],
  internal: ['retry'],
};

/**
 * By shape, not `instanceof`: the client is a separate bundle (loaded on first use) with its own copy of this class.
 */
export function isRequestError(value: unknown): value is RequestError {
  return value instanceof Error && value.name === 'RequestError' && typeof (value as Partial<RequestError>).kind === 'string';
}
