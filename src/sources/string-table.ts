/**
 * Strings stored once: referred to by index, for the column-wise encodings of the read cache
 * (`snapshot.ts`, `claude-code/cached-state.ts`: numbers and one string list parse several times
 * faster than an object per record with its keys repeated), and interned, for records held by
 * the hundred thousand (`interner`).
 */

/** Builds the string list while encoding; `ref(null)` is -1. */
export class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  ref(value: string | null): number {
    if (value === null) return -1;
    let at = this.index.get(value);
    if (at === undefined) this.index.set(value, (at = this.strings.push(value) - 1));
    return at;
  }
}

/** The string a reference stands for (null for -1). */
export function stringAt(strings: readonly string[], ref: number): string | null {
  return ref < 0 ? null : strings[ref]!;
}

/**
 * One copy of each repeated value: JSON.parse makes a new string per line or file, and records
 * kept by the hundred thousand would each hold their own copy of the same session id, model or
 * repository. Keeps up to `limit` distinct values; past that, values pass through as they are.
 */
export function interner(limit: number): <T extends string | null>(value: T) => T {
  const known = new Map<string, string>();
  return <T extends string | null>(value: T): T => {
    if (value === null) return value;
    const kept = known.get(value);
    if (kept !== undefined) return kept as T;
    if (known.size < limit) known.set(value, value);
    return value;
  };
}
