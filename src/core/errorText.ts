import type { ErrorDetails, RequestError } from './errors';

/** Turns a typed failure into the one sentence a user reads; the only place such words are made. */
export function describeError(error: RequestError): string {
  const d = error.details;
  const server = d.serverMessage ? ` The server said: “${d.serverMessage}”` : '';
  switch (error.kind) {
    case 'noKey':
      return 'No IO Intelligence API key is set. Set one to start (keys are issued at https://ai.io.net/ai/api-keys).';
    case 'badKey':
      return `The IO Intelligence API key was rejected (${d.status ?? 401}). Set a valid key.${server}`;
    case 'unknownModel':
      return `The model ${d.model ? `“${d.model}” ` : ''}is not available on this server. Select another model.${server}`;
    case 'rateLimited':
      return `Too many requests right now (429).${retryHint(d.retryAfterSeconds)}${server}`;
    case 'quotaExhausted':
      return `Today's token quota for ${d.model ?? 'this model'} is spent. ${d.suggestedModel ? `Switch to another model, such as ${d.suggestedModel} (ioIntelligence.fallbackModels)` : 'Switch to another model'}; quotas reset at 00:00 UTC.${server}`;
    case 'contextTooLong':
      return `The request is longer than ${d.model ?? 'the model'}'s context window. ${
        d.suggestedModel ? `Select a smaller piece of code, or a model with a longer context such as ${d.suggestedModel}.` : 'Select a smaller piece of code or a model with a longer context.'
      }${server}`;
    case 'badRequest':
      return `The server refused the request (${d.status ?? 400}).${server}`;
    case 'server':
      return `The IO Intelligence server failed (${d.status ?? 500}). Try again in a moment.${server}`;
    case 'network':
      return networkText(d);
    case 'redirected':
      return `The server redirected the request${d.status ? ` (${d.status})` : ''} to ${d.redirectOrigin ?? 'another address'}; IO Intelligence does not follow redirects, so your code and key go only to the configured base URL. Check ioIntelligence.baseUrl.`;
    case 'requestTimeout':
      return 'The server did not start answering in time (ioIntelligence.requestTimeoutSeconds). Try again.';
    case 'idleTimeout':
      return 'The answer stalled: no data arrived for too long (ioIntelligence.idleTimeoutSeconds). Try again.';
    case 'cancelled':
      return 'Stopped.';
    case 'malformed':
      return `The server sent a response that could not be read. Try again.${server}`;
    case 'internal':
      return 'Something unexpected went wrong in IO Intelligence. The details are in the log (Output → IO Intelligence). Try again.';
  }
}

/** What a connection failure code means, in words (codes not listed are named as they are). */
const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing is listening there',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'the name lookup failed; the network may be down',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'the connection was reset',
  UND_ERR_SOCKET: 'the other side closed it',
  ERR_STREAM_PREMATURE_CLOSE: 'the connection closed early',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
};

/** Codes of a connection that was made and then broke (the others never connected). */
const BROKEN_CONNECTION = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_BODY_TIMEOUT']);

/** Names the address and what happened; the words of a failed connection are the system's, never "the server said". */
function networkText(d: ErrorDetails): string {
  const code = d.networkCode;
  const what = code ? ` (${NETWORK_WORDS[code] ?? code})` : '';
  const where = !d.url
    ? `Could not reach the IO Intelligence server, or the connection broke${what}.`
    : code && BROKEN_CONNECTION.has(code)
      ? `The connection to ${d.url} broke${what}.`
      : `Could not connect to ${d.url}${what}.`;
  const detail = !code && d.serverMessage ? ` ${d.serverMessage}` : '';
  return `${where}${detail} Check the network and the ioIntelligence.baseUrl setting.`;
}

function retryHint(seconds: number | undefined): string {
  if (seconds === undefined) return ' Wait a moment and retry, or switch to another model.';
  return ` Retry in ${Math.ceil(seconds)} s, or switch to another model.`;
}
