import ignore, { type Ignore } from 'ignore';
import * as vscode from 'vscode';
import { excludedPatterns, matchesExclude } from '../exclusions';
import { relative } from './mentionCatalog';

/** A file of the workspace that may be attached or indexed. */
export interface WorkspaceFile {
  readonly uri: vscode.Uri;
  /** As the user reads it: relative to its folder (with the folder's name in a multi-root workspace). */
  readonly path: string;
}

/** More files than this are not listed (a huge monorepo): the search and the index say so. */
export const MAX_LISTED_FILES = 20_000;

/** The rules of one `.gitignore`, for the files below its folder. */
interface GitIgnore {
  readonly folder: string;
  readonly rules: Ignore;
}

/**
 * The files `@file` offers and `@codebase` indexes: what Search shows (`files.exclude` and `search.exclude`), less
 * what `.gitignore` files hide and what `ioIntelligence.exclude` keeps on the machine. Listed on first use and again
 * after files are created or deleted.
 */
export class WorkspaceFiles implements vscode.Disposable {
  private listing: Promise<{ files: WorkspaceFile[]; complete: boolean }> | undefined;
  private gitignores: Promise<GitIgnore[]> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const forget = (uri: vscode.Uri) => {
      this.listing = undefined;
      if (uri.path.endsWith('/.gitignore')) this.gitignores = undefined;
    };
    this.disposables.push(watcher, watcher.onDidCreate(forget), watcher.onDidDelete(forget));
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (['files.exclude', 'search.exclude', 'ioIntelligence.exclude'].some((s) => event.affectsConfiguration(s))) this.listing = undefined;
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (document.uri.path.endsWith('/.gitignore')) {
          this.gitignores = undefined;
          this.listing = undefined;
        }
      }),
    );
  }

  /** The files, sorted by path; `complete` is false when there were more than MAX_LISTED_FILES. */
  list(): Promise<{ files: WorkspaceFile[]; complete: boolean }> {
    return (this.listing ??= this.read().catch((error: unknown) => {
      this.listing = undefined;
      throw error;
    }));
  }

  /** Whether one file is among those listed (checked by the rules, without listing): for changes and chips. */
  async includes(uri: vscode.Uri): Promise<boolean> {
    if (!vscode.workspace.getWorkspaceFolder(uri)) return false;
    if (matchesExclude(uri, searchExcludes()) || matchesExclude(uri, excludedPatterns(uri))) return false;
    return !isGitIgnored(uri, await this.loadGitIgnores());
  }

  private async read(): Promise<{ files: WorkspaceFile[]; complete: boolean }> {
    const excludes = searchExcludes();
    const found = await vscode.workspace.findFiles('**/*', excludes.length ? `{${excludes.join(',')}}` : undefined, MAX_LISTED_FILES + 1);
    const gitignores = await this.loadGitIgnores();
    const files = found
      .filter((uri) => !isGitIgnored(uri, gitignores) && !matchesExclude(uri, excludedPatterns(uri)))
      .map((uri) => ({ uri, path: relative(uri) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { files: files.slice(0, MAX_LISTED_FILES), complete: found.length <= MAX_LISTED_FILES };
  }

  private loadGitIgnores(): Promise<GitIgnore[]> {
    return (this.gitignores ??= readGitIgnores());
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The globs Search leaves out (`files.exclude` and `search.exclude` entries set to true). */
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
