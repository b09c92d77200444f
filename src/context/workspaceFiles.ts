import ignore, { type Ignore } from 'ignore';
import * as vscode from 'vscode';
import { isExcludedUri, isInsideWorkspace, matchesExclude } from '../exclusions';
import { relative } from './mentionCatalog';

/** A file of the workspace that may be attached or indexed. */
export interface WorkspaceFile {
  readonly uri: vscode.Uri;
  /** As the user reads it: relative to its folder (with the folder's name in a multi-root workspace). */
  readonly path: string;
}

/** More files than this are not listed (a huge monorepo): the search and the index say so. */
export const MAX_LISTED_FILES = 20_000;
/** How many paths are asked of VS Code's search before the rules here leave some out. */
const FOUND_LIMIT = MAX_LISTED_FILES * 4;
const RULE_SETTINGS = ['files.exclude', 'search.exclude', 'ioIntelligence.exclude'];

/** The rules of one `.gitignore`, for the files below its folder. */
interface GitIgnore {
  readonly folder: string;
  readonly rules: Ignore;
}

/**
 * The files `@file` offers and `@codebase` indexes: what Search shows (`files.exclude` and `search.exclude`), less
 * what `.gitignore` files hide, what `ioIntelligence.exclude` keeps on the machine, and links that lead out of the
 * workspace or to an excluded file. Listed on first use and again after files are created or deleted or a rule
 * changed (`onDidChangeRules` then fires, so that what was indexed under the old rules can be looked at again).
 */
export class WorkspaceFiles implements vscode.Disposable {
  private listing: Promise<{ files: WorkspaceFile[]; complete: boolean }> | undefined;
  private gitignores: Promise<GitIgnore[]> | undefined;
  private readonly rulesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeRules = this.rulesChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.rulesChanged];

  constructor() {
    const files = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const forgetListing = () => (this.listing = undefined);
    const gitignores = vscode.workspace.createFileSystemWatcher('**/.gitignore');
    const rulesChanged = () => {
      this.gitignores = undefined;
      this.listing = undefined;
      this.rulesChanged.fire();
    };
    this.disposables.push(files, files.onDidCreate(forgetListing), files.onDidDelete(forgetListing));
    this.disposables.push(gitignores, gitignores.onDidCreate(rulesChanged), gitignores.onDidChange(rulesChanged), gitignores.onDidDelete(rulesChanged));
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((event) => RULE_SETTINGS.some((s) => event.affectsConfiguration(s)) && rulesChanged()));
  }

  /**
   * The files, sorted by path; `complete` is false when there were more than MAX_LISTED_FILES. `fresh` reads the
   * files and the `.gitignore` rules again rather than trusting the watcher's word (the index's builds: a rule file
   * written a moment ago may not have been reported yet).
   */
  list(fresh = false): Promise<{ files: WorkspaceFile[]; complete: boolean }> {
    if (fresh) {
      this.listing = undefined;
      this.gitignores = undefined;
    }
    return (this.listing ??= this.read().catch((error: unknown) => {
      this.listing = undefined;
      throw error;
    }));
  }

  /** Whether one file is among those listed (checked by the rules, without listing): for changes and reads. */
  async includes(uri: vscode.Uri): Promise<boolean> {
    if (!isInsideWorkspace(uri) || matchesExclude(uri, searchExcludes()) || isExcludedUri(uri)) return false;
    return !isGitIgnored(uri, await this.loadGitIgnores());
  }

  private async read(): Promise<{ files: WorkspaceFile[]; complete: boolean }> {
    const excludes = searchExcludes();
    const found = await vscode.workspace.findFiles('**/*', `{${excludes.join(',')}}`, FOUND_LIMIT);
    const gitignores = await this.loadGitIgnores();
    const files = found
      .filter((uri) => !isGitIgnored(uri, gitignores) && !isExcludedUri(uri) && isInsideWorkspace(uri))
      .map((uri) => ({ uri, path: relative(uri) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { files: files.slice(0, MAX_LISTED_FILES), complete: files.length <= MAX_LISTED_FILES && found.length < FOUND_LIMIT };
  }

  private loadGitIgnores(): Promise<GitIgnore[]> {
    return (this.gitignores ??= readGitIgnores());
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The globs Search leaves out (`files.exclude` and `search.exclude` entries set to true), and `.git`. */
function searchExcludes(): string[] {
  const globs = ['files.exclude', 'search.exclude'].flatMap((section) => {
    const [group, key] = section.split('.');
    const value = vscode.workspace.getConfiguration(group).get<Record<string, unknown>>(key) ?? {};
    return Object.entries(value).flatMap(([glob, on]) => (on === true ? [glob] : []));
  });
  return [...new Set(['**/.git', ...globs])];
}

async function readGitIgnores(): Promise<GitIgnore[]> {
  const uris = await vscode.workspace.findFiles('**/.gitignore', '**/node_modules/**', 1_000);
  const read = await Promise.all(
    uris.map(async (uri): Promise<GitIgnore | undefined> => {
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        return { folder: uri.path.slice(0, -'.gitignore'.length), rules: ignore().add(text) };
      } catch {
        return undefined; // unreadable: its rules are unknown, as if it were absent
      }
    }),
  );
  return read.filter((g): g is GitIgnore => g !== undefined);
}

function isGitIgnored(uri: vscode.Uri, gitignores: readonly GitIgnore[]): boolean {
  return gitignores.some((g) => uri.path.startsWith(g.folder) && g.rules.ignores(uri.path.slice(g.folder.length)));
}
