/**
 * The `partials` input of `merge`: paths or globs (`*`, `?` within a name, `**` for any depth),
 * since actions/download-artifact puts each shard's artifact in a folder of its own. Node 20 has
 * no fs.glob, and this small subset is all a list of downloaded files needs.
 *
 * A pattern that matches nothing is an error, not an empty shard: a shard whose upload failed
 * would otherwise publish a night with its repositories silently missing.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { AggregatePartial } from '../aggregate/index.js';
import { readPartialFile } from '../aggregate/partial-file.js';
import { InputError } from './inputs.js';

const GLOB = /[*?]/;

/** Every file the patterns name, absolute, sorted, each once. */
export async function expandPartials(patterns: readonly string[], workspace: string): Promise<string[]> {
  const files = new Set<string>();
  for (const pattern of patterns) {
    const absolute = path.resolve(workspace, pattern);
    const segments = absolute.split(path.sep);
    const firstGlob = segments.findIndex((segment) => GLOB.test(segment));
    const matched = firstGlob === -1 ? [absolute] : await walk(segments.slice(0, firstGlob).join(path.sep) || path.sep, segments.slice(firstGlob));
    if (matched.length === 0) throw new InputError(`input "partials": ${pattern} matches no file (did every shard upload its partial?)`);
    for (const file of matched) files.add(file);
  }
  return [...files].sort();
}

/** Reads and validates each partial (without daily rows: the merge derives them); errors name the file. */
export async function readPartials(files: readonly string[]): Promise<AggregatePartial[]> {
  const partials: AggregatePartial[] = [];
  for (const file of files) partials.push(await readPartialFile(file, { daily: false }));
  return partials;
}

async function walk(dir: string, rest: readonly string[]): Promise<string[]> {
  const [head, ...tail] = rest;
  if (head === undefined) return [dir];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  if (head === '**') {
    found.push(...(await walk(dir, tail)));
    for (const entry of entries) if (entry.isDirectory()) found.push(...(await walk(path.join(dir, entry.name), rest)));
    return found;
  }
  const name = segmentPattern(head);
  for (const entry of entries) {
    if (!name.test(entry.name)) continue;
    if (tail.length === 0 ? entry.isFile() : entry.isDirectory()) found.push(...(await walk(path.join(dir, entry.name), tail)));
  }
  return found;
}

/** `*` and `?` of one path segment; a leading dot is matched only when written, as in shells. */
function segmentPattern(segment: string): RegExp {
  const body = [...segment].map((char) => (char === '*' ? '[^/]*' : char === '?' ? '[^/]' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(segment.startsWith('.') ? `^${body}$` : `^(?!\\.)${body}$`);
}
