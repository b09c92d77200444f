/** How much text around the cursor identifies a completion: enough to tell places apart, small enough to hash cheaply. */
const KEY_BEFORE = 500;
const KEY_AFTER = 200;

interface Entry {
  /** The file and model it was asked for: the same text in another file or from another model is another place. */
  readonly scope: string;
  readonly before: string;
  readonly after: string;
  readonly completion: string;
}

/**
 * Completions by the text around the cursor, least recently used first out. It also serves the completion the user is
 * typing through: after typing the first characters of a shown suggestion, the rest of it is offered again without a
 * request (the text before the cursor grew by exactly what the suggestion began with).
 */
export class CompletionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 100) {}

  get(before: string, after: string, scope = ''): string | undefined {
    return this.lookup(before, after, scope)?.text;
  }

  /** What is known at this place, and how: asked here before, or typed into a suggestion shown before. */
  lookup(before: string, after: string, scope = ''): { text: string; via: 'cache' | 'typedThrough' } | undefined {
    const key = keyOf(before, after, scope);
    const exact = this.entries.get(key);
    if (exact) return { text: this.touch(key, exact).completion, via: 'cache' };
    const rest = this.typedThrough(before, after, scope);
    return rest === undefined ? undefined : { text: rest, via: 'typedThrough' };
  }

  /** An empty completion is kept too: the model had nothing to add here, and asking again would cost the same. */
  set(before: string, after: string, completion: string, scope = ''): void {
    const key = keyOf(before, after, scope);
    this.entries.delete(key);
    this.entries.set(key, { scope, before: before.slice(-KEY_BEFORE), after: after.slice(0, KEY_AFTER), completion });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** The newest entry at the same place whose completion begins with exactly what was typed since it was shown. */
  private typedThrough(before: string, after: string, scope: string): string | undefined {
    const now = before.slice(-KEY_BEFORE);
    const rest = after.slice(0, KEY_AFTER);
    for (const [key, entry] of [...this.entries].reverse()) {
      if (entry.scope !== scope || entry.after !== rest) continue;
      for (let typed = 1; typed < entry.completion.length; typed++) {
        const prefix = entry.completion.slice(0, typed);
        if (!now.endsWith(prefix)) continue;
        if ((entry.before + prefix).slice(-KEY_BEFORE) === now) return this.touch(key, entry).completion.slice(typed);
      }
    }
    return undefined;
  }

  private touch(key: string, entry: Entry): Entry {
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }
}

function keyOf(before: string, after: string, scope: string): string {
  return `${scope}\u0000${before.slice(-KEY_BEFORE)}\u0000${after.slice(0, KEY_AFTER)}`;
}
