export const DEFAULT_BASE_URL = 'https://api.intelligence.io.solutions/api/v1/';

/** IO-specific request fields (`reasoning_content`) go only to the IO endpoint; strict servers reject unknown fields. */
export function isIoEndpoint(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === 'api.intelligence.io.solutions';
  } catch {
    return false;
  }
}

/** Normalises the base URL so that `models` and `chat/completions` resolve under it. */
export function normalizeBaseUrl(baseUrl: string): string {
  const trimmed = baseUrl.trim();
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** Loopback or https: anything else would send the key in clear text over the network. */
export function isSafeBaseUrl(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).protocol === 'https:' || isLoopbackHttp(baseUrl);
  } catch {
    return false;
  }
}

/** A plain-http server on this machine (the demo of `npm start`, vLLM, Ollama, LM Studio). */
export function isLoopbackHttp(baseUrl: string): boolean {
  try {
    const url = new URL(baseUrl);
    return url.protocol === 'http:' && /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/.test(url.hostname);
  } catch {
    return false;
  }
}

/**
 * The base URL as messages may show it: scheme, host, port and path only. A user name, password, query or fragment
 * (where a proxy's credentials or a key could sit) never reaches an error card, a notification or a stored turn.
 */
export function displayUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.origin}${url.pathname}`;
  } catch {
    return 'the configured base URL';
  }
}
