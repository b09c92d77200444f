import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { classifyStatus, cleanMessage, detailText, networkCodeOf, parseRetryAfter, toRequestError, type ErrorContext } from './errorMapping';
import { RequestError, isRequestError } from './errors';

/**
 * Classifies the openai SDK's errors (typed at the source: status, headers, body) into RequestErrors. This module imports
 * the SDK, so it lives in the client bundle; nothing it throws leaves the client untyped.
 */
export function sdkErrorToRequestError(error: unknown, context: ErrorContext = {}): RequestError {
  const ours = ownRequestError(error);
  if (ours) return ours;
  const base = { model: context.model };
  if (error instanceof APIUserAbortError) return new RequestError('cancelled', base);
  if (error instanceof APIConnectionTimeoutError) return new RequestError('requestTimeout', base);
  // The SDK's own words ("Connection error.") say nothing: what failed is in its cause's code.
  if (error instanceof APIConnectionError) return new RequestError('network', { ...base, url: context.url, networkCode: networkCodeOf(error) });
  if (error instanceof APIError) {
    const serverMessage = cleanMessage(serverMessageOf(error), context);
    const status = error.status ?? statusFromBody(error.error);
    const retryAfterSeconds = parseRetryAfter(error.headers?.get?.('retry-after') ?? null);
    return classifyStatus(status, { ...base, status, serverMessage, retryAfterSeconds }, error.constructor === APIError);
  }
  return toRequestError(error, context);
}

/**
 * An RequestError our own fetch (wireFetch) threw, such as a refused redirect. The SDK wraps anything fetch throws in an
 * APIConnectionError (its `cause`), which would otherwise read as a network failure.
 */
function ownRequestError(error: unknown): RequestError | undefined {
  if (isRequestError(error)) return error;
  const cause: unknown = error instanceof Error ? (error as { cause?: unknown }).cause : undefined;
  return isRequestError(cause) ? cause : undefined;
}

/** The server's own explanation: OpenAI's `error.message`, FastAPI's `detail` (string or list), or plain text. */
function serverMessageOf(error: APIError): string | undefined {
  const body: unknown = error.error;
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    if (typeof record.message === 'string') return record.message;
    if (record.detail !== undefined) return detailText(record.detail);
  }
  if (typeof body === 'string') return body;
  // The SDK prefixes the status; without a body its message says so, which adds nothing for a user.
  return /status code \(no body\)/.test(error.message) ? undefined : error.message.replace(/^\d{3} /, '');
}

/** An error event inside a stream may carry its HTTP-like status as `code`. */
function statusFromBody(body: unknown): number | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const code = (body as Record<string, unknown>).code;
  const numeric = typeof code === 'number' ? code : typeof code === 'string' ? Number(code) : NaN;
  return Number.isInteger(numeric) && numeric >= 400 && numeric < 600 ? numeric : undefined;
}
