import assert from 'node:assert/strict';
import type { SetAsideEntry } from '../../src/core/storedRecord';
import { chooseModel } from '../../src/core/requestPlan';
import { UsageLedger, utcDay } from '../../src/core/usageLedger';
import { SETTINGS } from './chatSessionHarness';
import { MemoryStore } from '../fixtures/memoryStore';

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
    const fallbackModels = [QWEN, 'meta-llama/Llama-3.3-70B-Instruct', 'deepseek-ai/DeepSeek-R1-0528'];
    const facts = { settings: { ...SETTINGS, fallbackModels }, isExhausted: (m: string) => ledger.isExhausted(m) };
    assert.equal(chooseModel(facts, QWEN).model, 'deepseek-ai/DeepSeek-R1-0528');
  });

  it('passes over an embedding model in the fallback list: it cannot answer a chat', async () => {
    const ledger = new UsageLedger(new MemoryStore());
    await ledger.record(QWEN, usage(500_000));
    const fallbackModels = [QWEN, 'mixedbread-ai/mxbai-embed-large-v1', 'acme/code-embedder', 'meta-llama/Llama-3.3-70B-Instruct'];
    const facts = { settings: { ...SETTINGS, fallbackModels }, isExhausted: (m: string) => ledger.isExhausted(m) };
    assert.equal(chooseModel(facts, QWEN).model, 'meta-llama/Llama-3.3-70B-Instruct');
  });

  it('counts completions apart (tokens, requests, accepted) and in the day of the model too', async () => {
    const ledger = new UsageLedger(new MemoryStore(), () => new Date('2026-12-04T10:00:00Z'));
    const qwen = 'Qwen/Qwen2.5-Coder-32B-Instruct';
    await ledger.record(qwen, usage(1_000));
    await ledger.record(qwen, usage(300), 'completion');
    await ledger.record(qwen, usage(200), 'completion');
    await ledger.recordAccepted(qwen);
    assert.equal(ledger.usageOf(qwen).tokens, 1_500, "the model's quota counts everything");
    assert.deepEqual(ledger.completionUsageOf(qwen), { model: qwen, tokens: 500, requests: 2, accepted: 1 });
    assert.deepEqual(ledger.completionUsageOf('meta-llama/Llama-3.3-70B-Instruct'), { model: 'meta-llama/Llama-3.3-70B-Instruct', tokens: 0, requests: 0, accepted: 0 });
    assert.deepEqual(ledger.completionsToday(), [{ model: qwen, tokens: 500, requests: 2, accepted: 1 }]);
  });

  it('embeddings models carry their 50,000,000-token quota', () => {
    assert.equal(new UsageLedger(new MemoryStore()).usageOf('BAAI/bge-multilingual-gemma2').quota, 50_000_000);
  });

  describe('embeddings of the @codebase index', () => {
    const MXBAI = 'mixedbread-ai/mxbai-embed-large-v1';
    const at = () => new Date('2026-12-04T10:00:00Z');

    it('count against the embedding model’s own 50,000,000-token day, never the chat model’s', async () => {
      const ledger = new UsageLedger(new MemoryStore(), at);
      await ledger.record(QWEN, usage(1_000));
      await ledger.record(MXBAI, usage(30_000, true), 'embedding');
      await ledger.record(MXBAI, usage(12_000), 'embedding');
      assert.deepEqual(ledger.usageOf(MXBAI), { model: MXBAI, tokens: 42_000, requests: 2, estimated: true, quota: 50_000_000, exhausted: false });
      assert.equal(ledger.usageOf(QWEN).tokens, 1_000);
    });

    it('are spent at 50,000,000 tokens, or when the server says so', async () => {
      const ledger = new UsageLedger(new MemoryStore(), at);
      await ledger.record(MXBAI, usage(49_999_999), 'embedding');
      assert.equal(ledger.isExhausted(MXBAI), false);
      await ledger.record(MXBAI, usage(1), 'embedding');
      assert.equal(ledger.isExhausted(MXBAI), true);
      await ledger.markExhausted('BAAI/bge-multilingual-gemma2');
      assert.equal(ledger.isExhausted('BAAI/bge-multilingual-gemma2'), true);
    });

    it('never raise the 80 % warning: the index embeds in the background', async () => {
      const ledger = new UsageLedger(new MemoryStore(), at);
      assert.equal((await ledger.record(MXBAI, usage(45_000_000), 'embedding')).crossedWarning, false);
      assert.equal((await ledger.record(MXBAI, usage(1_000_000), 'embedding')).crossedWarning, false);
    });

    it('are stored as any model’s day (version 1 unchanged), so an older version reads and keeps them', async () => {
      const store = new MemoryStore();
      await new UsageLedger(store, at).record(MXBAI, usage(700), 'embedding');
      assert.deepEqual(store.get('ioIntelligence.usage'), { version: 1, day: '2026-12-04', models: { [MXBAI]: { tokens: 700, requests: 1, estimated: false } } });
    });
  });
});

describe('UsageLedger: the stored shape is versioned', () => {
  const KEY = 'ioIntelligence.usage';
  const SET_ASIDE = `${KEY}.setAside`;
  const NOW = new Date('2026-03-01T12:00:00Z');
  const DAY = '2026-03-01';
  const at = () => NOW;

  it('stores { version: 1, day, models } and reads it back', async () => {
    const store = new MemoryStore();
    await new UsageLedger(store, at).record(QWEN, usage(100));
    assert.deepEqual(store.get(KEY), { version: 1, day: DAY, models: { [QWEN]: { tokens: 100, requests: 1, estimated: false } } });
    assert.equal(new UsageLedger(store, at).usageOf(QWEN).tokens, 100);
  });

  it('reads the shape stored before versions ({ day, models }) and writes version 1 on the next record', async () => {
    const store = new MemoryStore({ [KEY]: { day: DAY, models: { [QWEN]: { tokens: 450_000, requests: 3, estimated: false, warned: true } } } });
    const ledger = new UsageLedger(store, at);
    assert.equal(ledger.usageOf(QWEN).tokens, 450_000);
    assert.deepEqual(store.writes, []);
    assert.equal((await ledger.record(QWEN, usage(10))).crossedWarning, false, 'the warning given before the migration is not given again');
    assert.deepEqual(store.get(KEY), { version: 1, day: DAY, models: { [QWEN]: { tokens: 450_010, requests: 4, estimated: false, warned: true } } });
    assert.equal(ledger.takeNotice(), undefined);
    assert.equal(store.get(SET_ASIDE), undefined);
  });

  const good = { tokens: 5, requests: 1, estimated: false };
  const ENTRIES: { readonly name: string; readonly entry: unknown; readonly reads: unknown }[] = [
    { name: 'tokens that are text: dropped', entry: { ...good, tokens: '5' }, reads: undefined },
    { name: 'tokens below zero: dropped', entry: { ...good, tokens: -1 }, reads: undefined },
    { name: 'requests missing: dropped', entry: { tokens: 5, estimated: false }, reads: undefined },
    { name: 'an entry that is null: dropped', entry: null, reads: undefined },
    { name: 'an entry that is a number: dropped', entry: 5, reads: undefined },
    { name: 'estimated missing: counted as an estimate', entry: { tokens: 5, requests: 1 }, reads: { ...good, estimated: true } },
    { name: 'flags that are not booleans: left out', entry: { ...good, exhausted: 'yes', warned: 1 }, reads: good },
    { name: 'a whole entry as it should be', entry: { ...good, exhausted: true, warned: false }, reads: { ...good, exhausted: true, warned: false } },
  ];
  for (const format of ['version 1', 'before versions'] as const) {
    for (const { name, entry, reads } of ENTRIES) {
      it(`${format}: ${name}`, async () => {
        const day = { day: DAY, models: { [QWEN]: entry, other: good } };
        const store = new MemoryStore({ [KEY]: format === 'version 1' ? { version: 1, ...day } : day });
        const ledger = new UsageLedger(store, at);
        assert.doesNotThrow(() => ledger.today());
        assert.deepEqual(ledger.today().map((u) => u.model).sort(), reads ? [QWEN, 'other'].sort() : ['other']);
        await ledger.record('other', usage(1));
        assert.deepEqual((store.get(KEY) as { models: Record<string, unknown> }).models, { ...(reads ? { [QWEN]: reads } : {}), other: { tokens: 6, requests: 2, estimated: false } });
        assert.equal(ledger.takeNotice(), undefined);
      });
    }
  }

  it('model ids that are prototype keys count from zero, as any other model', async () => {
    const ledger = new UsageLedger(new MemoryStore(), at);
    for (const model of ['constructor', 'toString', '__proto__']) {
      assert.equal(ledger.usageOf(model).tokens, 0, model);
      await ledger.record(model, usage(20));
      assert.equal(ledger.usageOf(model).tokens, 20, model);
    }
  });

  const UNREADABLE: { readonly stored: unknown; readonly found: string }[] = [
    { stored: { version: 99, day: DAY, models: { [QWEN]: good } }, found: 'version 99' },
    { stored: 'garbage', found: 'a string' },
    { stored: [good], found: 'a list of unknown shape' },
    { stored: { tokens: 5 }, found: 'an object without a version' },
    { stored: { version: 1, day: 20260301, models: {} }, found: 'version 1, damaged' },
    { stored: { version: 1, day: DAY, models: [good] }, found: 'version 1, damaged' },
  ];
  for (const { stored, found } of UNREADABLE) {
    it(`${JSON.stringify(stored).slice(0, 60)}: set aside with the date, told once, counting from zero, never written over`, async () => {
      const store = new MemoryStore({ [KEY]: stored });
      const ledger = new UsageLedger(store, at);
      assert.equal(
        ledger.takeNotice(),
        `IO Intelligence: today's usage figures were in a format this version cannot read (${found}). ` +
          `They were set aside, not deleted (kept under ${SET_ASIDE}); today's count starts from zero, so the 80 % warning may come late.`,
      );
      assert.equal(ledger.takeNotice(), undefined);
      assert.deepEqual(ledger.today(), []);
      assert.equal(ledger.isExhausted(QWEN), false);
      await ledger.record(QWEN, usage(7));
      assert.deepEqual(store.get<SetAsideEntry[]>(SET_ASIDE), [{ setAsideAt: NOW.toISOString(), found, value: stored }]);
      assert.deepEqual(store.get(KEY), { version: 1, day: DAY, models: { [QWEN]: { tokens: 7, requests: 1, estimated: false } } });
      await ledger.markExhausted(QWEN);
      assert.equal(store.get<SetAsideEntry[]>(SET_ASIDE)!.length, 1, 'later writes leave the copy alone');
      assert.equal(ledger.takeNotice(), undefined);
    });
  }
});
