import type * as vscode from 'vscode';
import type { PendingEditSnapshot } from './pendingEdit';

const KEY = 'ioIntelligence.pendingEdits';
const VERSION = 1;

interface Stored {
  readonly version: number;
  readonly edits: readonly PendingEditSnapshot[];
}

/**
 * Pending edits kept in workspace state, so that after a window reload an edit whose proposal is still in the
 * document is offered again with Accept / Reject (its original text would otherwise be lost).
 */
export class PendingEditStore {
  constructor(private readonly state: vscode.Memento) {}

  all(): readonly PendingEditSnapshot[] {
    const stored = this.state.get<Stored>(KEY);
    if (!stored || stored.version !== VERSION || !Array.isArray(stored.edits)) return [];
    return stored.edits.filter(isSnapshot);
  }

  async put(snapshot: PendingEditSnapshot): Promise<void> {
    await this.write([...this.all().filter((s) => s.uri !== snapshot.uri), snapshot]);
  }

  async remove(uri: string): Promise<void> {
    if (this.all().some((s) => s.uri === uri)) await this.write(this.all().filter((s) => s.uri !== uri));
  }

  private async write(edits: readonly PendingEditSnapshot[]): Promise<void> {
    await this.state.update(KEY, edits.length ? { version: VERSION, edits } : undefined);
  }
}

function isSnapshot(value: unknown): value is PendingEditSnapshot {
  const v = value as Partial<PendingEditSnapshot> | null;
  return (
    typeof v === 'object' && v !== null && typeof v.uri === 'string' && typeof v.start === 'number' && typeof v.original === 'string' &&
    typeof v.shown === 'string' && typeof v.model === 'string' && typeof v.incomplete === 'boolean'
  );
}

/** Where the snapshot's text is in the document now: at its offset, else its only occurrence; undefined when gone. */
export function locate(snapshot: PendingEditSnapshot, text: string): number | undefined {
  // An empty proposal (a deletion) would "match" anywhere: it cannot be found again, so it is not offered.
  if (!snapshot.shown) return undefined;
  if (text.startsWith(snapshot.shown, snapshot.start)) return snapshot.start;
  const first = text.indexOf(snapshot.shown);
  return first >= 0 && text.indexOf(snapshot.shown, first + 1) < 0 ? first : undefined;
}
