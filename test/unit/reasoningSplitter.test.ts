import assert from 'node:assert/strict';
import { ReasoningSplitter, type TextSegment } from '../../src/core/reasoningSplitter';

function split(pieces: readonly string[]): { content: string; reasoning: string } {
  const splitter = new ReasoningSplitter();
  const segments: TextSegment[] = [...pieces.flatMap((p) => splitter.push(p)), ...splitter.flush()];
  const join = (kind: TextSegment['kind']): string => segments.filter((s) => s.kind === kind).map((s) => s.text).join('');
  return { content: join('content'), reasoning: join('reasoning') };
}

describe('ReasoningSplitter', () => {
  it('passes plain answers through untouched', () => {
    assert.deepEqual(split(['Hello ', 'world']), { content: 'Hello world', reasoning: '' });
  });

  it('moves a <think> block out of the answer', () => {
    assert.deepEqual(split(['<think>plan it</think>\n\nThe answer.']), { content: 'The answer.', reasoning: 'plan it' });
  });

  it('handles tags split across every possible chunk boundary', () => {
    const whole = '<think>a < b, so </thin not yet</think>\n\nx < y <thi';
    for (let size = 1; size <= 9; size++) {
      const pieces = whole.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
      assert.deepEqual(split(pieces), { content: 'x < y <thi', reasoning: 'a < b, so </thin not yet' }, `chunk size ${size}`);
    }
  });

  it('keeps an unterminated think block as reasoning, never as answer', () => {
    assert.deepEqual(split(['<think>still thinking when the stream ended']), { content: '', reasoning: 'still thinking when the stream ended' });
  });

  it('keeps text that only looks like the start of a tag', () => {
    assert.deepEqual(split(['if (a <', 't) return']), { content: 'if (a <t) return', reasoning: '' });
  });
});
