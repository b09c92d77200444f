import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { Attachment } from '../core/domain';

/** At most this many chips wait above the input: more would crowd out the question. */
export const MAX_ATTACHMENTS = 20;

/** The chips above the chat input: what the next question carries. Adding the same thing twice keeps one chip. */
export class AttachmentTray implements vscode.Disposable {
  private items: Attachment[] = [];
  private readonly changed = new vscode.EventEmitter<readonly Attachment[]>();
  readonly onDidChange = this.changed.event;

  get attachments(): readonly Attachment[] {
    return this.items;
  }

  /** Adds a chip; false when the tray is full. */
  add(attachment: Omit<Attachment, 'id'>): boolean {
    if (this.items.some((a) => sameTarget(a, attachment))) return true;
    if (this.items.length >= MAX_ATTACHMENTS) return false;
    this.items = [...this.items, { id: randomUUID(), ...attachment }];
    this.changed.fire(this.items);
    return true;
  }

  remove(id: string): void {
    const kept = this.items.filter((a) => a.id !== id);
    if (kept.length === this.items.length) return;
    this.items = kept;
    this.changed.fire(this.items);
  }

  /** The chips for a question being sent; the tray empties (the question keeps them). */
  take(): readonly Attachment[] {
    const taken = this.items;
    if (!taken.length) return taken;
    this.items = [];
    this.changed.fire(this.items);
    return taken;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function sameTarget(a: Omit<Attachment, 'id'>, b: Omit<Attachment, 'id'>): boolean {
  return a.kind === b.kind && a.uri === b.uri && a.startLine === b.startLine && a.endLine === b.endLine;
}
