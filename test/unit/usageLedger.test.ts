import assert from 'node:assert/strict';
import type { KeyValueStore } from '../../src/core/conversations';
import { nextFallback, UsageLedger, utcDay } from '../../src/core/usageLedger';

class MemoryStore implements KeyValueStore {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
  }
}

const QWEN = 'Qwen/Qwen2.5-Coder-32B-Instruct';
const usage = (total: number, estimated = false) => ({ promptTokens: total - 10, completionTokens: 10, totalTokens: total, estimated });

describe('UsageLedger', () => {
  it('counts tokens per model per UTC day and rolls over at UTC midnight, not local midnight', async () => {
    let now = new Date('2026-03-01T23:59:30Z');
    const store = new MemoryStore();
    const ledger = new UsageLedger(store, () => now);
    await ledger.record(QWEN, usage(1_000));
    await ledger.record(QWEN, usage(500, true));
    assert.deepEqual(ledger.usageOf(QWEN), { model: QWEN, tokens: 1_500, requests: 2, estimated: true, quota: 500_000, exhausted: false });
    now = new Date('2026-03-02T00:00:10Z');
    assert.equal(ledger.usageOf(QWEN).tokens, 0, 'a new UTC day starts from zero');
    assert.equal(utcDay(new Date('2026-03-02T01:30:00+03:00')), '2026-03-01');
  });

  it('a second ledger over the same state (another window, a reload) sees the same figures', async () => {
    const store = new MemoryStore();
    await new UsageLedger(store).record(QWEN, usage(42));
    assert.equal(new UsageLedger(store).usageOf(QWEN).tokens, 42);
  });

  it('warns once when a model crosses 80 % of its 500,000-token API quota', async () => {
    const ledger = new UsageLedger(new MemoryStore());
    assert.equal((await ledger.record(QWEN, usage(399_999))).crossedWarning, false);
    assert.equal((await ledger.record(QWEN, usage(1))).crossedWarning, true);
    assert.equal((await ledger.record(QWEN, usage(1_000))).crossedWarning, false, 'only once');
  });

  it('knows a model is spent by its count or by the server saying so, and picks the next fallback', async () => {
    const ledger = new UsageLedger(new MemoryStore());
    await ledger.record(QWEN, usage(500_000));
    assert.equal(ledger.isExhausted(QWEN), true);
    await ledger.markExhausted('meta-llama/Llama-3.3-70B-Instruct');
    const fallbacks = [QWEN, 'meta-llama/Llama-3.3-70B-Instruct', 'deepseek-ai/DeepSeek-R1-0528'];
    assert.equal(nextFallback(ledger, QWEN, fallbacks), 'deepseek-ai/DeepSeek-R1-0528');
  });

  it('embeddings models carry their 50,000,000-token quota', () => {
    assert.equal(new UsageLedger(new MemoryStore()).usageOf('BAAI/bge-multilingual-gemma2').quota, 50_000_000);
  });
});
