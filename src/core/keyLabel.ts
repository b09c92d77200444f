/** A keybinding as package.json contributes it (`key`, with `mac` for macOS). */
export interface KeybindingContribution {
  readonly command: string;
  readonly key?: string;
  readonly mac?: string;
  readonly linux?: string;
  readonly win?: string;
}

export type KeyPlatform = 'mac' | 'linux' | 'win';

const KEY_NAMES: Readonly<Record<string, string>> = {
  ctrl: 'Ctrl',
  cmd: 'Cmd',
  meta: 'Cmd',
  alt: 'Alt',
  shift: 'Shift',
  escape: 'Esc',
  enter: 'Enter',
  backspace: 'Backspace',
  delete: 'Delete',
  tab: 'Tab',
  space: 'Space',
};
// On macOS, VS Code names Alt "Option" and Meta "Cmd"; elsewhere Meta is the Windows/Super key.
const MAC_NAMES: Readonly<Record<string, string>> = { alt: 'Option', meta: 'Cmd' };

/**
 * The label of a command's contributed keybinding on a platform, as a lens or tooltip shows it ("Ctrl+Enter",
 * "Cmd+Enter", "Esc"); undefined when the command has none. The first contribution for the command wins.
 */
export function keyLabel(keybindings: readonly KeybindingContribution[], command: string, platform: KeyPlatform): string | undefined {
  const binding = keybindings.find((k) => k.command === command);
  const key = binding && (binding[platform] ?? binding.key);
  return key ? formatKey(key, platform) : undefined;
}

/** "ctrl+k ctrl+i" → "Ctrl+K Ctrl+I": each chord part, each key capitalised or named. */
export function formatKey(key: string, platform: KeyPlatform): string {
  return key
    .trim()
    .split(/\s+/)
    .map((chord) => chord.split('+').map((part) => keyName(part.toLowerCase(), platform)).join('+'))
    .join(' ');
}

function keyName(part: string, platform: KeyPlatform): string {
  if (platform === 'mac' && MAC_NAMES[part]) return MAC_NAMES[part];
  return KEY_NAMES[part] ?? (part.length === 1 ? part.toUpperCase() : part[0].toUpperCase() + part.slice(1));
}

/** The platform keybindings apply to, from Node's `process.platform`. */
export function keyPlatform(nodePlatform: string): KeyPlatform {
  if (nodePlatform === 'darwin') return 'mac';
  return nodePlatform === 'win32' ? 'win' : 'linux';
}
