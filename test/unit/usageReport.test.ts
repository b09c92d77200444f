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
});
