import * as vscode from 'vscode';
import type { MentionKind } from '../core/domain';
import { inertText } from '../core/notificationText';
import type { Logger } from '../logger';
import { AttachmentReader } from './attachmentReader';
import { AttachmentTray, MAX_ATTACHMENTS } from './attachmentTray';
import type { CodebaseIndexService } from './codebaseIndexService';
import { MentionCatalog, relative } from './mentionCatalog';
import type { WorkspaceFiles } from './workspaceFiles';

/** `@kind` words typed into a question without picking them from the list: they attach as if picked. */
const TYPED_MENTION = /(?:^|\s)@(selection|open|problems|codebase)(?=$|[\s,.;:!?])/g;

/**
 * What the chat knows of context: the chips waiting above the input, what `@` offers, and how the chips are read
 * when a question is sent. Every way to attach (the `@` list, a typed `@codebase`, a drop, Add File to Chat) goes
 * through here, where exclusions are checked and a refusal is told.
 */
export class ChatAttachments implements vscode.Disposable {
  readonly tray = new AttachmentTray();
  readonly catalog: MentionCatalog;
  readonly reader: AttachmentReader;

  constructor(
    files: WorkspaceFiles,
    readonly codebase: CodebaseIndexService,
    private readonly log: Logger,
  ) {
    this.catalog = new MentionCatalog(files);
    this.reader = new AttachmentReader(codebase);
  }

  /** Attaches what the user chose; a refusal is shown and returned (for tests), undefined when attached. */
  async attach(kind: MentionKind, uri?: vscode.Uri): Promise<string | undefined> {
    const refused = await this.add(kind, uri);
    if (refused) this.tell([refused]);
    return refused;
  }

  /** Files from a drop or the explorer: each one attached or refused on its own, the refusals told together. */
  async attachFiles(uris: readonly vscode.Uri[]): Promise<(string | undefined)[]> {
    const outcomes: (string | undefined)[] = [];
    for (const uri of uris) outcomes.push(await this.add('file', uri));
    const refused = outcomes.filter((r): r is string => r !== undefined);
    if (refused.length) this.tell(refused);
    return outcomes;
  }

  /** The `@selection`, `@open`, `@problems` and `@codebase` words of a question typed rather than picked. */
  hasTyped(question: string): boolean {
    return new RegExp(TYPED_MENTION.source).test(question);
  }

  async attachTyped(question: string): Promise<void> {
    for (const [, kind] of question.matchAll(TYPED_MENTION)) await this.attach(kind as MentionKind);
  }

  private async add(kind: MentionKind, uri?: vscode.Uri): Promise<string | undefined> {
    if (kind === 'file' && uri && (await isFolder(uri))) return `${relative(uri)} is a folder: attach its files, or use @codebase.`;
    const { attachment, refused } = this.catalog.attach(kind, uri);
    if (!attachment) return refused;
    return this.tray.add(attachment) ? undefined : `At most ${MAX_ATTACHMENTS} attachments go with one question: remove one first.`;
  }

  private tell(refused: readonly string[]): void {
    for (const line of refused) this.log.info(`Not attached: ${line}`);
    const message = refused.length === 1 ? refused[0] : `${refused.length} files were not attached: ${refused.join(' ')}`;
    void vscode.window.showWarningMessage(inertText(message));
  }

  dispose(): void {
    this.tray.dispose();
  }
}

async function isFolder(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
  } catch {
    return false;
  }
}
