import { ApiClient } from '../../src/core/apiClient';
import { IoTestServer, sseBody } from '../server/ioTestServer';
import { interleave, pairRatios, spread, type Spread } from './stats';

/**
 * Client pipeline throughput: our stream pipeline (SDK + reasoning splitter + usage accounting + idle guard) against
 * a minimal baseline over the same bytes from the same local server: read, split on blank lines, JSON.parse each
 * event, concatenate delta.content. Runs alternate (after one warm-up pair) so that machine noise hits both alike.
 */
export interface PipelineFigures {
  readonly oursMs: Spread;
  readonly baselineMs: Spread;
  /** ours ÷ baseline, per interleaved pair. */
  readonly ratio: Spread;
  readonly megabytes: number;
}

export async function benchPipeline(pairs = 7): Promise<PipelineFigures> {
  const pieces = answerPieces(2_000_000);
  const answer = { kind: 'sse' as const, body: sseBody('bench', pieces, { prompt_tokens: 10, completion_tokens: 500_000, total_tokens: 500_010 }) };
  const server = await new IoTestServer({ defaultAnswer: () => answer }).start();
  const expected = pieces.join('');
  try {
    const runs = await interleave(pairs, 1, () => timeOurs(server.baseUrl, expected), () => timeBaseline(server.baseUrl, expected));
    return { oursMs: spread(runs.a, 1), baselineMs: spread(runs.b, 1), ratio: spread(pairRatios(runs.a, runs.b)), megabytes: Math.round(expected.length / 1e4) / 100 };
  } finally {
    await server.stop();
  }
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
