import assert from 'node:assert/strict';
import { APIError } from 'openai';
import { readSseBatches, readSseJson } from '../../src/core/sseReader';
import { seededRandom, testSeed, type Random } from '../fixtures/random';

function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

function bytesBody(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const event of readSseJson(stream, new Headers())) out.push(event);
  return out;
}

const read = (...chunks: string[]): Promise<unknown[]> => readAll(body(...chunks));

const LINE_ENDS = ['\n', '\r\n', '\r'];

/** One event as a server could write it: any line end per line, comments and other fields, data over several lines. */
function writeEvent(value: unknown, random: Random): string {
  let previous = '';
  // After a CR, an LF would make the two one line end (as it does for every reader): a CR is then followed by a CR.
  const end = (): string => {
    const next = LINE_ENDS[Math.floor(random() * LINE_ENDS.length)];
    previous = previous === '\r' && next === '\n' ? '\r' : next;
    return previous;
  };
  const json = JSON.stringify(value, null, random() < 0.3 ? 1 : undefined);
  const lines = json.split('\n').map((line) => (random() < 0.5 ? `data: ${line}` : `data:${line}`));
  if (random() < 0.3) lines.unshift(': keep-alive');
  if (random() < 0.2) lines.unshift('event: chunk', 'id: 7');
  if (random() < 0.1) lines.push('retry: 100');
  return `${lines.map((line) => line + end()).join('')}${end()}`;
}

/** Bytes cut at random places: inside a CR LF, inside a multi-byte character, anywhere. */
function cutBytes(bytes: Uint8Array, random: Random): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(random() * (random() < 0.8 ? 12 : 400));
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe('readSseJson', () => {
  it('reads events split anywhere across chunks, LF or CRLF, with comments and multi-line data', async () => {
    const events = await read('data: {"a"', ':1}\n\n: keep-alive\n\ndata: {"b":\r\n', 'data: 2}\r\n\r\nda', 'ta: {"c":3}\n\ndata: [DONE]\n\ndata: {"after":1}\n\n');
    assert.deepEqual(events, [{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('reads a last event that has no blank line after it', async () => {
    assert.deepEqual(await read('data: {"x":1}'), [{ x: 1 }]);
  });

  it('turns {"error"} inside the stream into an APIError and a broken line into a SyntaxError', async () => {
    await assert.rejects(read('data: {"error":{"message":"boom"}}\n\n'), (e: unknown) => e instanceof APIError && /boom/.test(e.message));
    await assert.rejects(read('data: {not json\n\n'), SyntaxError);
  });

  it('yields a batch for every read, empty when the read held only comments or part of an event', async () => {
    const batches: unknown[][] = [];
    for await (const batch of readSseBatches(body(': keep-alive\n\n', ':\n\n', 'data: {"a"', ':1}\n\n'), new Headers())) batches.push(batch);
    assert.deepEqual(batches, [[], [], [], [{ a: 1 }]]);
  });

  const SEED = testSeed(20261204);
  it(`reads every event written with LF, CR or CR LF, a byte-order mark, comments and fields, cut anywhere (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    for (let round = 0; round < 300; round++) {
      const events = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, i) => ({ choices: [{ delta: { content: `tök ${round}.${i} ✓ 𝄞\\n` } }], n: i }));
      const bom = random() < 0.3 ? '\uFEFF' : '';
      const done = random() < 0.5 ? `data: [DONE]${LINE_ENDS[round % 3]}${LINE_ENDS[round % 3]}` : '';
      const text = bom + events.map((e) => writeEvent(e, random)).join('') + done;
      const got = await readAll(bytesBody(cutBytes(new TextEncoder().encode(text), random)));
      assert.deepEqual(got, events, `round ${round} of seed ${SEED}: ${JSON.stringify(text.slice(0, 300))}`);
    }
  });

  it('a CR at the end of a read waits for the next: CR LF across two reads is one line end, CR CR two', async () => {
    assert.deepEqual(await read('data: {"a":1}\r', '\r', 'data: {"b":2}\r', '\n\r', '\n'), [{ a: 1 }, { b: 2 }]);
    // Were the CR taken as a line end at once, the LF after it would be a blank line ending the first event.
    await assert.rejects(read('data: {"a":1}\r', '\ndata: {"b":2}\r\n\r\n'), SyntaxError, 'one event of two data lines, not two events');
  });

  it('an event whose data is empty is skipped, not parsed (as the SSE format says)', async () => {
    assert.deepEqual(await read('data:\n\ndata: {"a":1}\n\ndata: \n\n'), [{ a: 1 }]);
  });
});
