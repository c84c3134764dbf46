/**
 * Strings stored once and referred to by index, for the column-wise encodings of the read cache
 * (`snapshot.ts`, `claude-code/cached-state.ts`): numbers and one string list parse several times
 * faster than an object per record with its keys repeated.
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
