import assert from 'node:assert/strict';
import type { TurnView } from '../../src/protocol/messages';
import { openWebviewPage, postAll, stateWith, type WebviewPage } from './webviewPage';

const failure = { message: 'Could not connect to http://127.0.0.1:9/api/v1/ (connection refused).', actions: [] };
const turn = (id: string, text: string, status: TurnView['status'], withError = false): TurnView => ({
  id,
  role: 'assistant',
  text,
  status,
  model: 'test/model',
  ...(withError ? { error: failure } : {}),
});

describe('UI: the note under an answer says what happened to it (bare Chromium)', () => {
  let view: WebviewPage;
  before(async () => {
    view = await openWebviewPage();
  });
  after(() => view.close());

  const cases: { name: string; turn: TurnView; note: string | undefined }[] = [
    { name: 'interrupted after part of the answer arrived', turn: turn('a', 'Half an ans', 'interrupted', true), note: 'Interrupted — the answer above is incomplete.' },
    { name: 'failed before anything arrived: no "Interrupted", the error says it', turn: turn('b', '', 'interrupted', true), note: undefined },
    { name: 'stopped after part arrived', turn: turn('c', 'Some', 'stopped'), note: 'Stopped — the answer above is what arrived.' },
    { name: 'stopped before anything arrived', turn: turn('d', '', 'stopped'), note: 'Stopped before anything arrived.' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      await postAll(view.page, [stateWith([c.turn])]);
      const answer = view.page.locator(`[data-turn-id="${c.turn.id}"]`);
      await answer.waitFor();
      const badges = await answer.locator('.status-badge').allInnerTexts();
      assert.deepEqual(badges, c.note ? [c.note] : []);
      if (c.turn.error) assert.match(await answer.locator('.error-card').innerText(), /connection refused/);
    });
  }
});
