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
    const url = new URL(baseUrl);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/.test(url.hostname);
  } catch {
    return false;
  }
}
