/** Seeded ways to damage transcripts the way real machines and other tools do. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createRandom } from '../../src/aggregate/statistics/random.js';

/** A seeded generator, so a failing damage pattern can be replayed (the one the statistics use). */
export const seededRandom = createRandom;

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** JSON on one line with a space after every `:` and `,` (as Python's json.dumps writes it). */
export function respaced(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(respaced).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}: ${respaced(item)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export async function jsonlFilesBelow(dir: string, out: string[] = []): Promise<string[]> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await jsonlFilesBelow(full, out);
    else if (entry.name.endsWith('.jsonl')) out.push(full);
  }
  return out.sort();
}
