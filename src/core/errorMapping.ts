import { RequestError, isRequestError, type ErrorDetails } from './errors';
import { redactSecret } from './redact';

export interface ErrorContext {
  readonly model?: string;
  /** Removed from every message that reaches the user. */
  readonly apiKey?: string;
  /** The address the request went to, named when it cannot be reached: already fit to show (see ApiClient.shownUrl). */
  readonly url?: string;
}

const QUOTA_WORDS = /daily|per day|quota|token limit|tokens? (?:limit|exceeded)|usage limit|insufficient/i;
const CONTEXT_WORDS = /context (?:length|window)|maximum context|too long|max_model_len|prompt is too long|reduce the length/i;
const MODEL_WORDS = /model.*(?:not found|does not exist|unknown|not available)|(?:unknown|invalid) model/i;

/**
 * Classifies anything thrown outside the SDK (our own stream code, fetch, the extension) into one typed RequestError.
 * The SDK's own errors are classified by sdkErrors.ts, inside the client bundle, before they leave the client.
 * What is neither the server nor the network is `internal`, carrying the original as `cause` for the log.
 */
export function toRequestError(error: unknown, context: ErrorContext = {}): RequestError {
  if (isRequestError(error)) return error;
  const base = { model: context.model };
  if (error instanceof SyntaxError) {
    return new RequestError('malformed', { ...base, serverMessage: 'A streamed event was not valid JSON.' });
  }
  if (error instanceof Error && error.name === 'AbortError') return new RequestError('cancelled', base);
  const networkCode = networkCodeOf(error);
  if (!networkCode) return new RequestError('internal', base, error);
  const message = error instanceof Error ? `${error.message}${causeText(error)}` : messageOf(error);
  return new RequestError('network', { ...base, url: context.url, networkCode, serverMessage: cleanMessage(message, context) });
}

/** System and undici codes of a connection that failed, broke or could not be trusted (TLS). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN',
  'ENETUNREACH', 'ENETDOWN', 'EPIPE', 'EPROTO', 'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
  'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER',
]);
const MAX_CAUSE_DEPTH = 5;

/**
 * The connection error code of a throwable that is the network failing rather than our code: on the value or a few
 * causes down (undici's TypeError('fetch failed') and TypeError('terminated') carry it as their cause). Anything else
 * is `internal`, so that a bug never reads as "check the network".
 */
export function networkCodeOf(error: unknown): string | undefined {
  let value = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && value !== null && typeof value === 'object'; depth++) {
    const { code, cause } = value as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    value = cause;
  }
  return undefined;
}

/** What to write in the log about a throwable: the stack of an Error, else its text; never throws. */
export function thrownText(value: unknown): string {
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  try {
    return typeof value === 'object' && value !== null && !hasOwnToString(value) ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function hasOwnToString(value: object): boolean {
  return value.toString !== Object.prototype.toString;
}

function messageOf(value: unknown): string {
  const message = (value as { message?: unknown }).message;
  return typeof message === 'string' ? message : thrownText(value);
}

/** The server's words as a user may see them: without the key, and not endless. */
export function cleanMessage(text: string | undefined, context: ErrorContext): string | undefined {
  return text ? redactSecret(text, context.apiKey).slice(0, 500) : undefined;
}

/**
 * Classifies an HTTP status, or, without one (an error event inside a stream), the words of the message.
 * `streamEvent` says the failure was an error event of an answer that had started (the server's fault).
 */
export function classifyStatus(status: number | undefined, details: ErrorDetails, streamEvent: boolean): RequestError {
  const text = details.serverMessage ?? '';
  if (status === undefined) {
    if (QUOTA_WORDS.test(text)) return new RequestError('quotaExhausted', details);
    if (CONTEXT_WORDS.test(text)) return new RequestError('contextTooLong', details);
    return new RequestError(streamEvent ? 'server' : 'network', details);
  }
  if (status === 401 || status === 403) return new RequestError('badKey', details);
  if (status === 429) return new RequestError(QUOTA_WORDS.test(text) ? 'quotaExhausted' : 'rateLimited', details);
  if (status === 404) return new RequestError('unknownModel', details);
  if (status === 408) return new RequestError('requestTimeout', details);
  if (status === 413 || CONTEXT_WORDS.test(text)) return new RequestError('contextTooLong', details);
  if (MODEL_WORDS.test(text)) return new RequestError('unknownModel', details);
  if (status >= 500) return new RequestError('server', details);
  return new RequestError('badRequest', details);
}

export function detailText(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((item) => (item && typeof item === 'object' && 'msg' in item ? String((item as { msg: unknown }).msg) : JSON.stringify(item)))
      .join('; ');
  }
  return JSON.stringify(detail);
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

function causeText(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? ` (${cause.message})` : '';
}
