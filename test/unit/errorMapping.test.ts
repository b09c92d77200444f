import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { thrownText, toRequestError } from '../../src/core/errorMapping';
import { describeError } from '../../src/core/errorText';
import type { ErrorKind } from '../../src/core/domain';
import { RequestError } from '../../src/core/errors';
import { closedLoopbackPort } from '../fixtures/closedPort';
import { seededRandom } from '../fixtures/random';

/** What a real fetch throws when nothing listens on the port: TypeError('fetch failed') caused by ECONNREFUSED. */
async function realRefusedFetch(): Promise<unknown> {
  return fetch(`http://127.0.0.1:${await closedLoopbackPort()}/`).then(
    () => assert.fail('the closed port answered'),
    (error: unknown) => error,
  );
}

/** What reading a body throws when the server destroys the socket mid-body: TypeError('terminated'). */
async function realTerminatedBody(): Promise<unknown> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('part');
    setTimeout(() => res.socket?.destroy(), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return await response.text().then(
      () => assert.fail('the body ended normally'),
      (error: unknown) => error,
    );
  } finally {
    server.close();
  }
}

function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return assert.fail('did not throw');
}

const NOT_NETWORK: readonly [string, () => unknown][] = [
  ['TypeError from our own code (property of undefined)', () => thrownBy(() => (undefined as unknown as { x: number }).x)],
  ['TypeError from our own code (not a function)', () => thrownBy(() => (null as unknown as () => void)())],
  ['TypeError whose message only mentions fetch', () => new TypeError('this.fetch failed is not a function')],
  ['fetch failed because of a bad argument (our bug, not the network)', () => new TypeError('fetch failed', { cause: coded('invalid header', 'UND_ERR_INVALID_ARG') })],
  ['RangeError', () => thrownBy(() => new Array(-1))],
  ['ReferenceError', () => new ReferenceError('x is not defined')],
  ['plain Error', () => new Error('unexpected state')],
  ['Error caused by another plain Error', () => new Error('outer', { cause: new Error('inner') })],
  ['file-system error ENOENT', () => coded("ENOENT: no such file or directory, open 'x'", 'ENOENT')],
  ['Error caused by EACCES', () => new Error('write failed', { cause: coded('EACCES: permission denied', 'EACCES') })],
  ['Error whose cause is itself (a cycle)', () => {
    const e = new Error('loop') as Error & { cause?: unknown };
    e.cause = e;
    return e;
  }],
  ['AggregateError', () => new AggregateError([new Error('a')], 'many')],
  ['plain object with a message', () => ({ message: 'boom' })],
  ['empty object', () => ({})],
  ['object with a non-network code', () => ({ code: 'ERR_INVALID_ARG_TYPE' })],
  ['string', () => 'boom'],
  ['empty string', () => ''],
  ['undefined', () => undefined],
  ['null', () => null],
  ['number', () => 42],
  ['symbol', () => Symbol('s')],
  ['object whose toString throws', () => ({ toString: () => { throw new Error('no'); } })],
];

const NETWORK: readonly [string, () => unknown | Promise<unknown>][] = [
  ['real fetch to a closed port (TypeError fetch failed, cause ECONNREFUSED)', realRefusedFetch],
  ['real body read cut by the server (TypeError terminated)', realTerminatedBody],
  ['TypeError fetch failed caused by ECONNRESET', () => new TypeError('fetch failed', { cause: coded('read ECONNRESET', 'ECONNRESET') })],
  ['Error with cause ECONNRESET', () => new Error('request failed', { cause: coded('read ECONNRESET', 'ECONNRESET') })],
  ['DNS failure ENOTFOUND', () => coded('getaddrinfo ENOTFOUND api.example', 'ENOTFOUND')],
  ['ETIMEDOUT two causes deep', () => new Error('a', { cause: new Error('b', { cause: coded('connect ETIMEDOUT', 'ETIMEDOUT') }) })],
  ['undici socket error', () => new TypeError('terminated', { cause: coded('other side closed', 'UND_ERR_SOCKET') })],
  ['TLS certificate expired', () => new TypeError('fetch failed', { cause: coded('certificate has expired', 'CERT_HAS_EXPIRED') })],
  ['plain object with a network code', () => ({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })],
];

describe('toRequestError: an unknown throwable is internal, only network-shaped failures are network', () => {
  for (const [name, make] of NOT_NETWORK) {
    it(`${name} → internal, with the original kept for the log`, () => {
      const thrown = make();
      const error = toRequestError(thrown, { model: 'm' });
      assert.equal(error.kind, 'internal');
      assert.equal(error.cause, thrown, 'the original is kept so that the boundary can log its stack');
      assert.deepEqual(error.actions, ['retry']);
      const text = describeError(error);
      assert.match(text, /unexpected/i);
      assert.match(text, /Output → IO Intelligence/);
      assert.doesNotMatch(text, /network/i);
    });
  }

  for (const [name, make] of NETWORK) {
    it(`${name} → network`, async () => {
      const error = toRequestError(await make(), { model: 'm' });
      assert.equal(error.kind, 'network', error.message);
      assert.match(describeError(error), /connection broke/);
    });
  }

  it('keeps the earlier classes: RequestError as is, SyntaxError malformed, AbortError cancelled', () => {
    const io = new RequestError('server', { status: 500 });
    assert.equal(toRequestError(io), io);
    assert.equal(toRequestError(thrownBy(() => JSON.parse('{x'))).kind, 'malformed');
    assert.equal(toRequestError(new DOMException('aborted', 'AbortError')).kind, 'cancelled');
    const abortReason = thrownBy(() => AbortSignal.abort().throwIfAborted());
    assert.equal(toRequestError(abortReason).kind, 'cancelled');
  });

  it('randomized: a network code anywhere in a short cause chain is network; without one, never network', () => {
    const seed = Number(process.env.IOI_SEED ?? 0x5eed11);
    console.log(`      seed ${seed} (IOI_SEED=${seed} repeats this run)`);
    const random = seededRandom(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const networkCodes = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'];
    const otherCodes = ['ENOENT', 'EACCES', 'EISDIR', 'ERR_INVALID_ARG_TYPE', 'ERR_ASSERTION', 'ABORT_ERR_NOT', '', 'econnreset'];
    const wrappers: ((message: string, cause?: unknown) => unknown)[] = [
      (m, cause) => new Error(m, { cause }),
      (m, cause) => new TypeError(m, { cause }),
      (m, cause) => new RangeError(m, { cause }),
      (m, cause) => ({ message: m, cause }),
    ];
    for (let round = 0; round < 500; round++) {
      const depth = 1 + Math.floor(random() * 3);
      const network = random() < 0.5;
      let value: unknown = Object.assign(new Error(`leaf ${round}`), { code: pick(network ? networkCodes : otherCodes) });
      for (let level = 1; level < depth; level++) value = pick(wrappers)(`level ${level}`, value);
      const kind: ErrorKind = toRequestError(value).kind;
      assert.equal(kind, network ? 'network' : 'internal', `round ${round}: ${thrownText(value)}`);
    }
  });

  it('thrownText gives the stack of an Error, the text of anything else, and never throws', () => {
    const error = new RangeError('too far');
    assert.equal(thrownText(error), error.stack);
    assert.equal(thrownText('plain'), 'plain');
    assert.equal(thrownText(undefined), 'undefined');
    assert.match(thrownText({ a: 1 }), /\{"a":1\}/);
    assert.equal(typeof thrownText({ toString: () => { throw new Error('no'); } }), 'string');
  });
});

