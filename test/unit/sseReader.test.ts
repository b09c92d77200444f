import assert from 'node:assert/strict';
import { APIError } from 'openai';
import { readSseBatches, readSseJson } from '../../src/core/sseReader';

function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function read(...chunks: string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const event of readSseJson(body(...chunks), new Headers())) out.push(event);
  return out;
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
});
