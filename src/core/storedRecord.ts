/**
 * What the extension keeps in VS Code's storage (workspace or global state), as versioned records:
 * `{ version: N, ...payload }`, so that a later change of shape is a migration, not a crash.
 *
 * Reading never throws. A record of the current version is read leniently (the shape's reader repairs or drops
 * the entries that are wrong); an older shape is migrated (version 0 is whatever was stored before records had a
 * version); anything else (a newer version, a damaged record, garbage) is *set aside*: copied, with the date, into a
 * list under `<key>.setAside`, and the store starts empty. The store says so once (`takeNotice`) for the adapter to
 * tell the user. The stored value itself is replaced only by a later write, and only after its copy was written.
 *
 * To change a shape later: raise `version`, make `current` read the new shape, and move the old reader into
 * `older` under its version number, returning the new payload. A change that an older version must not silently
 * drop (a new field it would not copy) needs a new version too: older versions set such a record aside.
 */

/** The part of VS Code's Memento the stores need, so that they run under plain Node too. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export type Fields = Record<string, unknown>;

export interface RecordShape<T extends object> {
  readonly key: string;
  readonly version: number;
  /** The payload of a record of the current version, wrong entries repaired or dropped; undefined when unreadable. */
  readonly current: (record: Fields) => T | undefined;
  /** Earlier shapes by version (0: no version field), migrated to the current payload; undefined when not that shape. */
  readonly older?: Readonly<Record<number, (value: unknown) => T | undefined>>;
  readonly empty: () => T;
  /** For the notice: what the data is ("the saved conversations of this workspace")… */
  readonly what: string;
  /** …and what setting it aside means for the user ("the chat history starts empty"). */
  readonly consequence: string;
}

/** One value set aside, as kept in the list under `<key>.setAside`. */
export interface SetAsideEntry {
  readonly setAsideAt: string;
  /** What was found, in words: "version 99", "a string". */
  readonly found: string;
  readonly value: unknown;
}

export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class StoredRecord<T extends object> {
  private notice: string | undefined;
  private noticed = false;
  /** The value this instance set aside last (as JSON), so that reading it again before a write copies it once. */
  private setAsideJson: string | undefined;
  /** The copy being written: a write of the key waits for it, and does not happen when it failed. */
  private backup: Promise<void> | undefined;
  /** The last value read and what it read as: VS Code hands out the same object until the key is written again. */
  private last: { readonly raw: unknown; readonly payload: T } | undefined;

  constructor(
    private readonly storage: KeyValueStore,
    private readonly shape: RecordShape<T>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get setAsideKey(): string {
    return `${this.shape.key}.setAside`;
  }

  /** The stored payload: current, migrated, or empty (with the stored value set aside). Never throws. */
  read(): T {
    const raw = this.storage.get<unknown>(this.shape.key);
    if (raw === undefined) return this.shape.empty();
    if (this.last?.raw === raw) return this.last.payload;
    let payload = this.payloadOf(raw);
    if (!payload) {
      this.setAside(raw);
      payload = this.shape.empty();
    }
    this.last = { raw, payload };
    return payload;
  }

  /** Writes the payload as the current version (undefined removes the key), after any copy set aside is written. */
  async write(payload: T | undefined): Promise<void> {
    this.read(); // whatever is stored now and cannot be read is set aside before it is written over
    if (this.backup) await this.backup;
    await this.storage.update(this.shape.key, payload === undefined ? undefined : { version: this.shape.version, ...payload });
  }

  /**
   * The message about a value set aside, once per store; undefined when there is none (or it was taken). Reads the
   * stored value first (stores read nothing until they are used: activation stays free of storage work).
   */
  takeNotice(): string | undefined {
    this.read();
    const notice = this.notice;
    this.notice = undefined;
    return notice;
  }

  private payloadOf(raw: unknown): T | undefined {
    const version = versionOf(raw);
    try {
      if (version === this.shape.version) return isRecord(raw) ? this.shape.current(raw) : undefined;
      const older = this.shape.older;
      return older && Object.hasOwn(older, version) ? older[version](raw) : undefined;
    } catch {
      // A reader should not throw; if one does, the value is kept aside rather than the extension failing.
      return undefined;
    }
  }

  private setAside(raw: unknown): void {
    const json = JSON.stringify(raw);
    if (json === this.setAsideJson) return;
    this.setAsideJson = json;
    const found = describeFound(raw, this.shape.version);
    if (!this.noticed) {
      this.noticed = true;
      this.notice =
        `IO Intelligence: ${this.shape.what} were in a format this version cannot read (${found}). ` +
        `They were set aside, not deleted (kept under ${this.setAsideKey}); ${this.shape.consequence}.`;
    }
    const previous = this.backup?.catch(() => undefined) ?? Promise.resolve();
    const copy = previous.then(() => this.copyAside(raw, json, found));
    this.backup = copy;
    // Failed: the key is not written over (writes wait for `copy`), and the next read tries the copy again.
    copy.catch(() => {
      if (this.setAsideJson !== json) return;
      this.setAsideJson = undefined;
      this.last = undefined;
    });
  }

  private async copyAside(raw: unknown, json: string, found: string): Promise<void> {
    const existing = this.storage.get<unknown>(this.setAsideKey);
    // Whatever is there already is kept: a list is appended to, anything else becomes its first entry.
    const entries: unknown[] = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
    if (entries.some((entry) => isRecord(entry) && JSON.stringify(entry.value) === json)) return;
    const entry: SetAsideEntry = { setAsideAt: this.now().toISOString(), found, value: raw };
    await this.storage.update(this.setAsideKey, [...entries, entry]);
  }
}

/** The version of a stored value: its `version` field, 0 when it has none, NaN when that is not a number. */
function versionOf(raw: unknown): number {
  if (!isRecord(raw) || !Object.hasOwn(raw, 'version')) return 0;
  return typeof raw.version === 'number' ? raw.version : NaN;
}

/** What was found, in words that hold no stored text (only a number, never a stored string). */
function describeFound(raw: unknown, current: number): string {
  if (isRecord(raw) && Object.hasOwn(raw, 'version')) {
    if (typeof raw.version !== 'number' || !Number.isFinite(raw.version)) return 'a version that is not a number';
    return raw.version === current ? `version ${current}, damaged` : `version ${raw.version}`;
  }
  if (Array.isArray(raw)) return 'a list of unknown shape';
  if (isRecord(raw)) return 'an object without a version';
  return raw === null ? 'null' : `a ${typeof raw}`;
}
