import assert from 'node:assert/strict';
import { isIoEndpoint, isSafeBaseUrl, normalizeBaseUrl } from '../../src/core/endpoint';
import { redactSecret } from '../../src/core/redact';

describe('endpoint and redaction', () => {
  it('recognises only the IO host as the IO endpoint', () => {
    assert.equal(isIoEndpoint('https://api.intelligence.io.solutions/api/v1/'), true);
    assert.equal(isIoEndpoint('http://127.0.0.1:8080/api/v1/'), false);
    assert.equal(isIoEndpoint('https://api.intelligence.io.solutions.evil.example/'), false);
  });

  it('accepts https and loopback http, nothing else, as safe for the key', () => {
    assert.equal(isSafeBaseUrl('https://example.com/v1'), true);
    assert.equal(isSafeBaseUrl('http://127.0.0.1:9/v1'), true);
    assert.equal(isSafeBaseUrl('http://localhost:9/v1'), true);
    assert.equal(isSafeBaseUrl('http://192.168.1.2/v1'), false);
    assert.equal(isSafeBaseUrl('not a url'), false);
  });

  it('adds the trailing slash so relative paths resolve under the base', () => {
    assert.equal(normalizeBaseUrl(' https://x.test/api/v1 '), 'https://x.test/api/v1/');
  });

  it('removes the key and any Bearer token from text', () => {
    const out = redactSecret('key io-secret-123 in Authorization: Bearer other-token', 'io-secret-123');
    assert.equal(out.includes('io-secret-123'), false);
    assert.equal(out.includes('other-token'), false);
  });
});

describe('wire fetch', () => {
  it('refuses a URL outside the configured base URL before anything is sent', async () => {
    const { createWireFetch } = await import('../../src/core/wireFetch');
    let sent = 0;
    const wire = createWireFetch('https://api.intelligence.io.solutions/api/v1/', async () => {
      sent++;
      return new Response('{}');
    });
    await assert.rejects(wire('https://evil.example/api/v1/models', { headers: { authorization: 'Bearer k' } }), /outside the configured base URL/);
    assert.equal(sent, 0);
  });

  it('asks fetch not to follow redirects, and refuses each one, naming the origin its Location points to', async () => {
    const { createWireFetch } = await import('../../src/core/wireFetch');
    const { isRequestError } = await import('../../src/core/errors');
    const cases: [location: string | null, origin: string | undefined][] = [
      ['https://evil.example/steal?key=1', 'https://evil.example'],
      ['//evil.example/protocol-relative', 'https://evil.example'],
      ['/api/v2/models', 'https://api.intelligence.io.solutions'],
      ['HTTPS://EVIL.EXAMPLE:8443/x', 'https://evil.example:8443'],
      ['javascript:alert(1)', undefined],
      ['command:workbench.action.files.delete', undefined],
      ['http://[::1', undefined],
      [null, undefined],
    ];
    for (const [location, origin] of cases) {
      const seen: (RequestInit | undefined)[] = [];
      const wire = createWireFetch('https://api.intelligence.io.solutions/api/v1/', async (_input, init) => {
        seen.push(init);
        return new Response('moved', { status: 307, headers: location === null ? {} : { location } });
      });
      const error: unknown = await wire('https://api.intelligence.io.solutions/api/v1/models', { method: 'GET' }).then(() => 'followed', (e: unknown) => e);
      assert.ok(isRequestError(error) && error.kind === 'redirected', `${location}: ${String(error)}`);
      assert.equal(error.details.redirectOrigin, origin, String(location));
      assert.equal(error.details.status, 307);
      assert.equal(seen[0]?.redirect, 'manual');
      assert.equal(seen[0]?.method, 'GET', 'the SDK’s own options are kept');
    }
  });

  it('rewrites FastAPI and HTML error bodies into the OpenAI error shape', async () => {
    const { normalizeErrorBody } = await import('../../src/core/wireFetch');
    assert.deepEqual(normalizeErrorBody('{"detail":"Not authenticated"}', 401), { message: 'Not authenticated' });
    assert.match(normalizeErrorBody('<html><title>Bad Gateway</title></html>', 502).message, /HTML page.*502: Bad Gateway/);
    assert.equal(normalizeErrorBody('', 503).message, 'HTTP 503 with an empty body');
  });
});
