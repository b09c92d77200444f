import { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { IoError, isIoError } from './errors';
import { redactSecret } from './redact';

export interface ErrorContext {
  readonly model?: string;
  /** Removed from every message that reaches the user. */
  readonly apiKey?: string;
}

const QUOTA_WORDS = /daily|per day|quota|token limit|tokens? (?:limit|exceeded)|usage limit|insufficient/i;
const CONTEXT_WORDS = /context (?:length|window)|maximum context|too long|max_model_len|prompt is too long|reduce the length/i;
const MODEL_WORDS = /model.*(?:not found|does not exist|unknown|not available)|(?:unknown|invalid) model/i;

/** Classifies anything the SDK, fetch or our own stream code threw into one typed IoError. */
export function toIoError(error: unknown, context: ErrorContext = {}): IoError {
  if (isIoError(error)) return error;
  const clean = (text: string | undefined): string | undefined =>
    text ? redactSecret(text, context.apiKey).slice(0, 500) : undefined;
  const base = { model: context.model };

  if (error instanceof APIUserAbortError) return new IoError('cancelled', base);
  if (error instanceof APIConnectionTimeoutError) return new IoError('requestTimeout', base);
  if (error instanceof APIError) {
    const serverMessage = clean(serverMessageOf(error));
    const status = error.status ?? statusFromBody(error.error);
    const retryAfterSeconds = parseRetryAfter(error.headers?.get?.('retry-after') ?? null);
    return classifyStatus(status, { ...base, status, serverMessage, retryAfterSeconds }, error);
  }
  if (error instanceof SyntaxError) {
    return new IoError('malformed', { ...base, serverMessage: 'A streamed event was not valid JSON.' });
  }
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'APIUserAbortError')) {
    return new IoError('cancelled', base);
  }
  // undici reports a socket closed mid-body as TypeError('terminated'); other fetch failures as TypeError too.
  const message = error instanceof Error ? `${error.message}${causeText(error)}` : String(error);
  return new IoError('network', { ...base, serverMessage: clean(message) });
}

function classifyStatus(
  status: number | undefined,
  details: ConstructorParameters<typeof IoError>[1] & object,
  error: APIError,
): IoError {
  const text = details.serverMessage ?? '';
  if (status === undefined) {
    // An error event inside a stream that carries no status: judge by its words.
    if (QUOTA_WORDS.test(text)) return new IoError('quotaExhausted', details);
    if (CONTEXT_WORDS.test(text)) return new IoError('contextTooLong', details);
    return new IoError(error.constructor === APIError ? 'server' : 'network', details);
  }
  if (status === 401 || status === 403) return new IoError('badKey', details);
  if (status === 429) return new IoError(QUOTA_WORDS.test(text) ? 'quotaExhausted' : 'rateLimited', details);
  if (status === 404) return new IoError('unknownModel', details);
  if (status === 408) return new IoError('requestTimeout', details);
  if (status === 413 || CONTEXT_WORDS.test(text)) return new IoError('contextTooLong', details);
  if (MODEL_WORDS.test(text)) return new IoError('unknownModel', details);
  if (status >= 500) return new IoError('server', details);
  return new IoError('badRequest', details);
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

export function detailText(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((item) => (item && typeof item === 'object' && 'msg' in item ? String((item as { msg: unknown }).msg) : JSON.stringify(item)))
      .join('; ');
  }
  return JSON.stringify(detail);
}

function statusFromBody(body: unknown): number | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const code = (body as Record<string, unknown>).code;
  const numeric = typeof code === 'number' ? code : typeof code === 'string' ? Number(code) : NaN;
  return Number.isInteger(numeric) && numeric >= 400 && numeric < 600 ? numeric : undefined;
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
