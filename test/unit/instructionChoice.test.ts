import assert from 'node:assert/strict';
import { chosenInstruction } from '../../src/core/rewrite/instructionChoice';

describe('Rewrite Selection picker: what Enter means', () => {
  const fixBugs = { label: 'Fix bugs', description: 'Find and fix bugs', instruction: 'Find and fix bugs' };
  const separator = { label: 'Recent', instruction: '' };
  const typed = (value: string) => ({ label: value, description: 'your instruction', instruction: value });

  it('the typed item, a matching preset, or a recent instruction is taken as chosen', () => {
    assert.equal(chosenInstruction('Use reduce', typed('Use reduce')), 'Use reduce');
    assert.equal(chosenInstruction('fix', fixBugs), 'Find and fix bugs');
    assert.equal(chosenInstruction('fxbg', fixBugs), 'Find and fix bugs', 'the picker matches letters in order');
    assert.equal(chosenInstruction('', fixBugs), 'Find and fix bugs');
  });

  it('an Enter reported against the list before the typed text reached it runs what was typed', () => {
    assert.equal(chosenInstruction('Handle empty arrays', separator), 'Handle empty arrays', 'a separator: nothing would have run');
    assert.equal(chosenInstruction('Handle empty arrays', fixBugs), 'Handle empty arrays', 'a preset it does not match: the wrong rewrite would have run');
    assert.equal(chosenInstruction('  ', separator), undefined);
    assert.equal(chosenInstruction('Handle empty arrays', undefined), 'Handle empty arrays');
  });
});
