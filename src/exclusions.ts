import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser/lib/esm/main.js';
import * as vscode from 'vscode';
import { SECTION } from './settings';

const EXCLUDE = 'exclude';
const EXCLUDE_ID = `${SECTION}.${EXCLUDE}`;
/** A folder's settings file is read again at most this often while the workspace is untrusted. */
const UNTRUSTED_READ_TTL_MS = 2_000;

/**
 * `ioIntelligence.exclude` as it applies to a resource: the user's patterns (or the defaults) and the workspace's and
 * the folder's, all together. A folder can only add exclusions, never drop one (a folder's `[]` does not empty the
 * user's list). In Restricted Mode VS Code withholds the workspace's values of this setting (it is listed in
 * `restrictedConfigurations`, so that an untrusted folder changes nothing), yet a folder that keeps one of its own
 * files private still means it: its patterns are read from its settings files, as additions only.
 */
export function excludedPatterns(scope?: vscode.ConfigurationScope): string[] {
  const inspected = vscode.workspace.getConfiguration(SECTION, scope).inspect<unknown>(EXCLUDE);
  const lists = [inspected?.globalValue ?? inspected?.defaultValue, inspected?.workspaceValue, inspected?.workspaceFolderValue];
  if (!vscode.workspace.isTrusted) lists.push(...untrustedWorkspacePatterns());
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
  const matches = (pattern: vscode.GlobPattern): boolean => vscode.languages.match({ pattern }, probe) > 0;
  return patterns.some((glob) => {
    const pattern = anyCase ? glob.toLowerCase() : glob;
    const anchored = /^\.?\//.exec(pattern);
    // `/secrets/**` and `./secrets/**` are anchored at a workspace folder, as in .gitignore (not at the disk's root).
    if (anchored) {
      const rest = pattern.slice(anchored[0].length);
      return (vscode.workspace.workspaceFolders ?? []).some((f) => matches(new vscode.RelativePattern(anyCase ? f.uri.with({ path: f.uri.path.toLowerCase() }) : f.uri, rest)));
    }
    return matches(pattern) || (!pattern.startsWith('**/') && matches(`**/${pattern}`));
  });
}

/**
 * The file is excluded by the patterns that apply to it. A symbolic link is judged by its target too: a link named
 * `notes.md` that points at `.env` is `.env`.
 */
export function isExcludedUri(uri: vscode.Uri): boolean {
  if (matchesExclude(uri, excludedPatterns(uri))) return true;
  const target = realUri(uri);
  return target !== undefined && target.fsPath !== uri.fsPath && matchesExclude(target, excludedPatterns(target));
}

/** Where a file of the disk really is (its links resolved); undefined when it cannot be resolved or is not on disk. */
export function realUri(uri: vscode.Uri): vscode.Uri | undefined {
  if (uri.scheme !== 'file') return undefined;
  try {
    return vscode.Uri.file(fs.realpathSync(uri.fsPath));
  } catch {
    return undefined;
  }
}

/**
 * A file inside one of the workspace's folders, for real: no `..` in its path, and its target (links resolved) inside
 * a folder too. What the webview names and what the index reads must pass this.
 */
export function isInsideWorkspace(uri: vscode.Uri): boolean {
  if (uri.path.split('/').some((segment) => segment === '..' || segment === '.')) return false;
  if (!vscode.workspace.getWorkspaceFolder(uri)) return false;
  if (uri.scheme !== 'file') return true;
  const target = realUri(uri);
  if (!target) return true; // not on disk (yet): nothing to follow
  return (vscode.workspace.workspaceFolders ?? []).some((folder) => {
    const root = realUri(folder.uri)?.fsPath ?? folder.uri.fsPath;
    return target.fsPath === root || target.fsPath.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
  });
}

/** A document is excluded by the patterns that apply to it (its language given, for patterns that name one). */
export function isExcludedDocument(document: vscode.TextDocument, patterns: readonly string[] = excludedPatterns(document)): boolean {
  return matchesExclude(document.uri, patterns, document.languageId);
}

const untrustedReads = new Map<string, { readonly at: number; readonly patterns: readonly unknown[] }>();

/** The exclusions written in the workspace's own settings files (each folder's, and a `.code-workspace`'s). */
function untrustedWorkspacePatterns(): unknown[][] {
  const files = (vscode.workspace.workspaceFolders ?? []).flatMap((f) => (f.uri.scheme === 'file' ? [vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json').fsPath] : []));
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile?.scheme === 'file') files.push(workspaceFile.fsPath);
  return files.map((file) => [...readExclusions(file)]);
}

function readExclusions(file: string): readonly unknown[] {
  const cached = untrustedReads.get(file);
  if (cached && Date.now() - cached.at < UNTRUSTED_READ_TTL_MS) return cached.patterns;
  const patterns = exclusionsIn(file);
  untrustedReads.set(file, { at: Date.now(), patterns });
  return patterns;
}

function exclusionsIn(file: string): readonly unknown[] {
  try {
    const parsed: unknown = parseJsonc(fs.readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return [];
    // A settings file holds the id at its top; a .code-workspace file holds it under "settings".
    const settings = (file.endsWith('.code-workspace') ? (parsed as { settings?: unknown }).settings : parsed) as Record<string, unknown> | undefined;
    const value = settings?.[EXCLUDE_ID];
    return Array.isArray(value) ? value : [];
  } catch {
    return []; // no settings file, or one that cannot be read: nothing added
  }
}
