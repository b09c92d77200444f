import * as vscode from 'vscode';
import { SECTION } from './settings';

/**
 * `ioIntelligence.exclude`: the user's patterns (or the defaults) and the workspace's and folder's, all together: a
 * folder can only add exclusions, never drop one, trusted or not. That is why `exclude` is not in
 * `restrictedConfigurations`: in Restricted Mode VS Code would leave out a restricted setting's workspace values
 * altogether, and with them the folder's own exclusions. Read for a resource, so that a folder's own patterns apply
 * to its files.
 */
export function excludedPatterns(scope?: vscode.ConfigurationScope): string[] {
  const inspected = vscode.workspace.getConfiguration(SECTION, scope).inspect<unknown>('exclude');
  const lists = [inspected?.globalValue ?? inspected?.defaultValue, inspected?.workspaceValue, inspected?.workspaceFolderValue];
  const globs = lists.flatMap((list) => (Array.isArray(list) ? list : [])).filter((g): g is string => typeof g === 'string' && g.trim() !== '');
  return [...new Set(globs)];
}

/**
 * A file whose content must never leave the machine. A pattern without a folder (`*.pem`, `secrets/**`) matches at
 * any depth and inside each workspace folder, as in `files.exclude`; letter case is ignored where the file system
 * ignores it.
 */
export function matchesExclude(uri: vscode.Uri, patterns: readonly string[], languageId = ''): boolean {
  const anyCase = process.platform === 'win32' || process.platform === 'darwin';
  // languages.match reads only the uri and the language of what it is given.
  const probe = { uri: anyCase ? uri.with({ path: uri.path.toLowerCase() }) : uri, languageId } as vscode.TextDocument;
  return patterns.some((glob) => {
    const pattern = anyCase ? glob.toLowerCase() : glob;
    const anywhere = pattern.startsWith('**/') || pattern.startsWith('/') ? pattern : `**/${pattern}`;
    return vscode.languages.match({ pattern }, probe) > 0 || vscode.languages.match({ pattern: anywhere }, probe) > 0;
  });
}

/** The file is excluded by the patterns that apply to it. */
export function isExcludedUri(uri: vscode.Uri): boolean {
  return matchesExclude(uri, excludedPatterns(uri));
}
