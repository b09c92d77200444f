import assert from 'node:assert/strict';
import { usageMarkdown } from '../../src/core/usageReport';

describe('Show Usage page', () => {
  const now = new Date(Date.UTC(2026, 11, 4, 21, 30, 0));

  it('has a row per model against its quota, and when the quotas reset', () => {
    const page = usageMarkdown(
      [
        { model: 'Qwen/Qwen2.5-Coder-32B-Instruct', tokens: 125_000, requests: 3, estimated: false, quota: 500_000, exhausted: false },
        { model: 'odd|model*`x`\n| injected | row |', tokens: 10, requests: 1, estimated: true, quota: undefined, exhausted: true },
      ],
      now,
    );
    assert.match(page, /in 2 h 30 min\./);
    assert.ok(page.includes('| ` Qwen/Qwen2.5-Coder-32B-Instruct ` | 125,000 | 500,000 | 25.0 % | 3 |'), page);
    assert.ok(page.includes('| `` odd\\|model*`x` \\| injected \\| row \\| `` | 10 (estimated, spent (the server said so)) | not documented | — | 1 |'), page);
    assert.equal(page.split('\n').filter((line) => line.startsWith('|')).length, 4, 'a header, its rule and two rows: nothing injected');
  });

  it('says so when nothing was used today', () => {
    assert.match(usageMarkdown([], now), /No IO Intelligence requests today\./);
  });

  it('lists inline completions apart: tokens, requests and accepted, against their budget', () => {
    const qwen = 'Qwen/Qwen2.5-Coder-32B-Instruct';
    const page = usageMarkdown([{ model: qwen, tokens: 125_000, requests: 40, estimated: false, quota: 500_000, exhausted: false }], now, [{ model: qwen, tokens: 42_000, requests: 37, accepted: 9 }], 300_000);
    const section = page.slice(page.indexOf('## Inline completions'));
    assert.ok(section.includes('daily budget 300,000 tokens per model'), section);
    assert.ok(section.includes('| ` Qwen/Qwen2.5-Coder-32B-Instruct ` | 42,000 | 37 | 9 |'), section);
    assert.match(usageMarkdown([{ model: qwen, tokens: 1, requests: 1, estimated: false, quota: 500_000, exhausted: false }], now), /No inline completions today\./);
  });

  describe('the @codebase index’s embeddings', () => {
    const qwen = { model: 'Qwen/Qwen2.5-Coder-32B-Instruct', tokens: 1_000, requests: 2, estimated: false, quota: 500_000, exhausted: false };
    const mxbai = { model: 'mixedbread-ai/mxbai-embed-large-v1', tokens: 12_500_000, requests: 310, estimated: true, quota: 50_000_000, exhausted: false };
    const sectionOf = (page: string): string => page.slice(page.indexOf('## Codebase index embeddings'));

    it('have a section of their own: tokens today against the 50,000,000 quota, and requests; not a row of the chat table', () => {
      const page = usageMarkdown([mxbai, qwen], now);
      const section = sectionOf(page);
      assert.ok(section.includes('| ` mixedbread-ai/mxbai-embed-large-v1 ` | 12,500,000 (estimated) | 50,000,000 | 25.0 % | 310 |'), section);
      assert.equal(page.slice(0, page.indexOf('## Codebase index embeddings')).includes('mxbai'), false, 'not among the chat models');
      assert.ok(page.includes('| ` Qwen/Qwen2.5-Coder-32B-Instruct ` | 1,000 |'));
    });

    it('alone: the page says no chat was used, and shows the embeddings', () => {
      const page = usageMarkdown([mxbai], now);
      assert.match(page, /No chat, rewrite or completion requests today\./);
      assert.ok(sectionOf(page).includes('| 310 |'));
    });

    it('none: the section says code is embedded only when the setting is on', () => {
      assert.match(sectionOf(usageMarkdown([qwen], now)), /No code was embedded today \(only with `ioIntelligence\.codebaseIndex\.embeddings` on\)\./);
    });
  });
});
