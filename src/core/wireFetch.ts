import { detailText } from './errorMapping';
import { RequestError } from './errors';

type Fetch = typeof fetch;

/** The statuses fetch would follow (the Fetch standard's "redirect status"). */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * The fetch the SDK uses. It does three things the SDK cannot:
 * - refuses any URL outside the configured base URL, so the key in the Authorization header goes nowhere else;
 * - never follows a redirect: fetch would send the request again to wherever `Location` points, with the body
 *   (the user's code) on a 307/308, so a redirect fails as a typed `redirected` RequestError instead;
 * - rewrites error bodies into OpenAI's `{"error": {"message"}}` shape, because IO Intelligence also answers
 *   FastAPI-style `{"detail": …}` and proxies answer with HTML pages, which the SDK would report as "no body".
 */
export function createWireFetch(baseUrl: string, inner: Fetch = fetch): Fetch {
  const prefix = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(prefix)) {
      throw new TypeError(`Refused a request outside the configured base URL (${new URL(url).origin}).`);
    }
    const response = await inner(input, { ...init, redirect: 'manual' });
    if (isRedirect(response)) throw await refuseRedirect(response, url);
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    return new Response(JSON.stringify({ error: normalizeErrorBody(text, response.status) }), {
      status: response.status,
      statusText: response.statusText,
      headers: withJsonContentType(response.headers),
    });
  };
}

function isRedirect(response: Response): boolean {
  // A browser's fetch hides a manual redirect behind an opaque response with status 0.
  return response.type === 'opaqueredirect' || REDIRECT_STATUSES.has(response.status);
}

async function refuseRedirect(response: Response, url: string): Promise<RequestError> {
  // The redirect's own body is of no use; cancelling it frees the connection. A failure to cancel changes nothing.
  await response.body?.cancel().catch(() => undefined);
  return new RequestError('redirected', { status: response.status || undefined, redirectOrigin: originOf(response.headers.get('location'), url) });
}

/** The origin a Location points to, resolved like fetch would; undefined when it names none (absent, opaque, junk). */
function originOf(location: string | null, requestUrl: string): string | undefined {
  if (!location) return undefined;
  try {
    const origin = new URL(location, requestUrl).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined; // not a URL: the message then says "another address"
  }
}

export interface NormalizedErrorBody {
  message: string;
  type?: string;
  code?: string | number;
}

export function normalizeErrorBody(text: string, status: number): NormalizedErrorBody {
  const parsed = parseJson(text);
  if (parsed && typeof parsed === 'object') {
    const record = parsed as Record<string, unknown>;
    const error = record.error;
    if (error && typeof error === 'object') {
      const e = error as Record<string, unknown>;
      return {
        message: typeof e.message === 'string' ? e.message : JSON.stringify(e.message ?? error),
        type: typeof e.type === 'string' ? e.type : undefined,
        code: typeof e.code === 'string' || typeof e.code === 'number' ? e.code : undefined,
      };
    }
    if (typeof error === 'string') return { message: error };
    if (record.detail !== undefined) return { message: detailText(record.detail) };
    if (typeof record.message === 'string') return { message: record.message };
  }
  if (/<(?:!doctype|html|body|head)\b/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return { message: `an HTML page instead of an API answer (HTTP ${status}${title ? `: ${title}` : ''})`, type: 'html' };
  }
  const plain = text.trim();
  return { message: plain ? plain.slice(0, 300) : `HTTP ${status} with an empty body` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not JSON: handled as HTML or plain text by the caller
  }
}

function withJsonContentType(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.set('content-type', 'application/json');
  copy.delete('content-length');
  copy.delete('content-encoding');
  return copy;
}
