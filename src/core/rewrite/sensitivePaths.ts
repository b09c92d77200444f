/**
 * Files where a model's text could do harm beyond the text itself: editor and CI configuration that runs code,
 * secrets, git internals. Matched against a workspace-relative path with `/` separators; case is ignored because
 * the same names are dangerous on every file system (`.VSCode/` is `.vscode/` on macOS and Windows).
 */
const SENSITIVE: readonly [RegExp, string][] = [
  [/(^|\/)\.vscode\//, 'editor configuration (tasks and launch configurations run code)'],
  [/(^|\/)\.env[^/]*$/, 'environment secrets'],
  [/(^|\/)\.git\//, 'git internals'],
  [/(^|\/)\.git$/, 'git internals'],
  [/\.code-workspace$/, 'workspace configuration'],
  [/(^|\/)\.github\/workflows\//, 'CI workflows (they run code)'],
  [/(^|\/)\.devcontainer\//, 'dev container configuration (it runs code)'],
  [/(^|\/)\.(?:npmrc|pypirc|netrc)$/, 'credentials'],
];

/** Why a write into this workspace-relative path needs a yes, or undefined. */
export function sensitiveWriteReason(relativePath: string): string | undefined {
  const normalized = relativePath.replace(/\\/g, '/').toLowerCase();
  const match = SENSITIVE.find(([pattern]) => pattern.test(normalized));
  return match ? `${relativePath} holds ${match[1]}.` : undefined;
}
