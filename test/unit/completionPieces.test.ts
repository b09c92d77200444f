import assert from 'node:assert/strict';
import { cleanCompletion } from '../../src/core/completions/cleanCompletion';
import { HOLE, holePrompt } from '../../src/core/completions/holePrompt';
import { TypingPace } from '../../src/core/completions/typingPace';

describe('inline completions: the wait before asking', () => {
  it('follows the typist: a little longer than their usual gap, within 75–400 ms', () => {
    const fast = new TypingPace();
    for (let t = 0; t <= 800; t += 60) fast.typed(t);
    assert.equal(fast.wait(), 90);
    const slow = new TypingPace();
    for (let t = 0; t <= 3_000; t += 350) slow.typed(t);
    assert.equal(slow.wait(), 400, 'capped');
    const burst = new TypingPace();
    for (let t = 0; t <= 200; t += 20) burst.typed(t);
    assert.equal(burst.wait(), 75, 'floored');
  });

  it('pauses are not typing gaps; before any typing it waits 150 ms', () => {
    const pace = new TypingPace();
    assert.equal(pace.wait(), 150);
    for (const t of [0, 100, 200, 5_000, 5_100, 5_200]) pace.typed(t);
    assert.equal(pace.wait(), 150, 'the 4.8 s pause is left out');
  });
});

describe('inline completions: the chat fallback prompt', () => {
  it('marks the hole in the code and asks for the missing text only', () => {
    const [system, user] = holePrompt({ before: 'const total = ', after: ';\n', path: 'src/a.ts', language: 'typescript', multiline: false });
    assert.equal(user.content, `src/a.ts (typescript):\nconst total = ${HOLE};\n`);
    assert.match(system.content, /the rest of the line at the marker only/);
    assert.match(system.content, /no markdown fences/);
  });

  it('a chat answer that fills the hole with a fence and words around it still gives only the code', () => {
    const answer = 'Sure! Here is the missing code:\n```typescript\nvalues.length\n```';
    assert.equal(cleanCompletion(answer, { before: 'const total = ', after: ';\n', multiline: false }), 'values.length');
  });
});
