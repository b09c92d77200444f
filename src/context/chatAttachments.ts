import * as vscode from 'vscode';
import type { MentionKind } from '../core/domain';
import { inertText } from '../core/notificationText';
import type { Logger } from '../logger';
import { AttachmentReader } from './attachmentReader';
import { AttachmentTray, MAX_ATTACHMENTS } from './attachmentTray';
import type { CodebaseIndexService } from './codebaseIndexService';
import { MentionCatalog } from './mentionCatalog';
import type { WorkspaceFiles } from './workspaceFiles';

/**
 * What the chat knows of context: the chips waiting above the input, what `@` offers, and how the chips are read
 * when a question is sent. Every way to attach (the `@` list, a drop, Add File to Chat) goes through `attach`, where
 * exclusions are checked and a refusal is told.
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
  attach(kind: MentionKind, uri?: vscode.Uri): string | undefined {
    const chosen = this.catalog.attach(kind, uri);
    const refused = chosen.refused ?? (this.tray.add(chosen.attachment) ? undefined : `At most ${MAX_ATTACHMENTS} attachments go with one question: remove one first.`);
    if (refused) {
      this.log.info(`Not attached: ${refused}`);
      void vscode.window.showWarningMessage(inertText(refused));
    }
    return refused;
  }

  /** Files from a drop or the explorer: each one attached (or refused) on its own. */
  attachFiles(uris: readonly vscode.Uri[]): (string | undefined)[] {
    return uris.map((uri) => this.attach('file', uri));
  }

  dispose(): void {
    this.tray.dispose();
  }
}
