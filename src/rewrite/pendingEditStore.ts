import { StoredRecord, type KeyValueStore, type RecordShape } from '../core/storedRecord';
import type { PendingEditSnapshot } from './pendingEdit';

interface Stored {
  readonly edits: readonly PendingEditSnapshot[];
}

/** Stored as `{ version: 1, edits }` from the start (see storedRecord.ts): there is no older shape. */
const SHAPE = {
  key: 'ioIntelligence.pendingEdits',
  version: 1,
  current: (record) => (Array.isArray(record.edits) ? { edits: record.edits.filter(isSnapshot) } : undefined),
  empty: () => ({ edits: [] }),
  what: 'the pending edits of this workspace',
  consequence: 'edits pending before the reload are not offered again',
} satisfies RecordShape<Stored>;

/**
 * Pending edits kept in workspace state, so that after a window reload an edit whose proposal is still in the
 * document is offered again with Accept / Reject (its original text would otherwise be lost).
 */
export class PendingEditStore {
  private readonly record: StoredRecord<Stored>;

  /** `state` is VS Code's workspace state (a Memento). */
  constructor(state: KeyValueStore) {
    this.record = new StoredRecord(state, SHAPE);
  }

  all(): readonly PendingEditSnapshot[] {
    return this.record.read().edits;
  }

  async put(snapshot: PendingEditSnapshot): Promise<void> {
    await this.write([...this.all().filter((s) => s.uri !== snapshot.uri), snapshot]);
  }

  async remove(uri: string): Promise<void> {
    if (this.all().some((s) => s.uri === uri)) await this.write(this.all().filter((s) => s.uri !== uri));
  }

  /** Once: what to tell the user when the stored edits could not be read and were set aside. */
  takeNotice(): string | undefined {
    return this.record.takeNotice();
  }

  private async write(edits: readonly PendingEditSnapshot[]): Promise<void> {
    await this.record.write(edits.length ? { edits } : undefined);
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
