import { ApiClient } from '../../src/core/apiClient';
import { IoTestServer, sseBody } from '../server/ioTestServer';
import { median, round } from './stats';

/**
 * Client pipeline throughput: our stream pipeline (SDK + reasoning splitter + usage accounting + idle guard) against
 * a minimal baseline over the same bytes from the same local server: read, split on blank lines, JSON.parse each
 * event, concatenate delta.content. Runs alternate so that machine noise hits both alike.
 */
export async function benchPipeline(repetitions = 7): Promise<{ oursMs: number; baselineMs: number; ratio: number; megabytes: number }> {
  const pieces = answerPieces(2_000_000);
  const answer = { kind: 'sse' as const, body: sseBody('bench', pieces, { prompt_tokens: 10, completion_tokens: 500_000, total_tokens: 500_010 }) };
  const server = await new IoTestServer({ defaultAnswer: () => answer }).start();
  const expected = pieces.join('');
  const ours: number[] = [];
  const baseline: number[] = [];
  try {
    for (let i = 0; i < repetitions + 1; i++) {
      const a = await timeOurs(server.baseUrl, expected);
      const b = await timeBaseline(server.baseUrl, expected);
      if (i === 0) continue; // warm-up
      ours.push(a);
      baseline.push(b);
    }
  } finally {
    await server.stop();
  }
  const oursMs = median(ours);
  const baselineMs = median(baseline);
  return { oursMs: round(oursMs), baselineMs: round(baselineMs), ratio: round(oursMs / baselineMs), megabytes: round(expected.length / 1e6) };
}

function answerPieces(totalChars: number): string[] {
  const words = 'const value = compute(items); // streaming tokens look like this\n'.match(/.{1,6}/gs) ?? [];
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < totalChars; i++) {
    const piece = words[i % words.length];
    out.push(piece);
    size += piece.length;
  }
  return out;
}

async function timeOurs(baseUrl: string, expected: string): Promise<number> {
  const client = new ApiClient({ baseUrl, apiKey: 'bench', requestTimeoutMs: 30_000, idleTimeoutMs: 30_000 });
  const start = performance.now();
  let text = '';
  let tokens = 0;
  for await (const event of client.streamChat({ model: 'bench', messages: [{ role: 'user', content: 'go' }] })) {
    if (event.type === 'content') text += event.text;
    else if (event.type === 'usage') tokens += event.usage.totalTokens;
  }
  const elapsed = performance.now() - start;
  if (text !== expected || tokens === 0) throw new Error('our pipeline lost data');
  return elapsed;
}

async function timeBaseline(baseUrl: string, expected: string): Promise<number> {
  const start = performance.now();
  const response = await fetch(`${baseUrl}chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'bench', stream: true, messages: [{ role: 'user', content: 'go' }] }),
  });
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.startsWith('data: ') ? event.slice(6) : '';
      if (data && data !== '[DONE]') {
        const parsed = JSON.parse(data) as { choices: { delta?: { content?: string } }[] };
        text += parsed.choices[0]?.delta?.content ?? '';
      }
      end = buffer.indexOf('\n\n');
    }
  }
  const elapsed = performance.now() - start;
  if (text !== expected) throw new Error('baseline lost data');
  return elapsed;
}
