/** An item of the Rewrite Selection picker: a preset, a recent instruction, or what the user typed. */
export interface InstructionOption {
  readonly label: string;
  readonly description?: string;
  /** Empty for a separator. */
  readonly instruction: string;
}

/**
 * What Enter in the picker means. The picker replaces its items as the user types; an Enter that comes before the
 * new items reach the workbench is reported against the old list, by position: a separator (nothing would run) or a
 * preset the typed text does not match (the wrong rewrite would run). Only an item the typed text matches, the way
 * the picker filters (its letters in order), is taken; otherwise the typed text is the instruction.
 */
export function chosenInstruction(typed: string, selected: InstructionOption | undefined): string | undefined {
  const value = typed.trim();
  if (!selected?.instruction) return value || undefined;
  if (!value || selected.instruction === value || matchesInOrder(value, `${selected.label} ${selected.description ?? ''}`)) return selected.instruction;
  return value;
}

function matchesInOrder(query: string, text: string): boolean {
  const haystack = text.toLowerCase();
  let at = 0;
  for (const c of query.toLowerCase().replace(/\s+/g, '')) {
    at = haystack.indexOf(c, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}
