import assert from 'node:assert/strict';
import { formatKey, keyLabel, keyPlatform } from '../../src/core/keyLabel';

describe('keyLabel: the keys a CodeLens names, from the contributed keybindings', () => {
  const bindings = [
    { command: 'accept', key: 'ctrl+enter', mac: 'cmd+enter' },
    { command: 'reject', key: 'escape' },
    { command: 'chord', key: 'ctrl+k ctrl+alt+i' },
  ];

  it('uses the macOS key on macOS (Cmd) and the plain key elsewhere (Ctrl)', () => {
    assert.equal(keyLabel(bindings, 'accept', 'linux'), 'Ctrl+Enter');
    assert.equal(keyLabel(bindings, 'accept', 'win'), 'Ctrl+Enter');
    assert.equal(keyLabel(bindings, 'accept', 'mac'), 'Cmd+Enter');
  });

  it('names Escape "Esc" on every platform, and a command without a keybinding has no label', () => {
    assert.equal(keyLabel(bindings, 'reject', 'mac'), 'Esc');
    assert.equal(keyLabel(bindings, 'reject', 'linux'), 'Esc');
    assert.equal(keyLabel(bindings, 'missing', 'linux'), undefined);
  });

  it('formats chords and platform names of modifiers', () => {
    assert.equal(keyLabel(bindings, 'chord', 'linux'), 'Ctrl+K Ctrl+Alt+I');
    assert.equal(formatKey('cmd+alt+e', 'mac'), 'Cmd+Option+E');
    assert.equal(formatKey('shift+f12', 'linux'), 'Shift+F12');
  });

  it('maps Node platforms to keybinding platforms', () => {
    assert.equal(keyPlatform('darwin'), 'mac');
    assert.equal(keyPlatform('win32'), 'win');
    assert.equal(keyPlatform('linux'), 'linux');
  });
});
