/**
 * The incremental read cache: per transcript file, how far it was read (size, mtime, byte offset,
 * a hash of its head) and the parse state up to there, in one small cache file per transcript.
 * A repeated read parses only appended bytes and new files; memory stays bounded by one file.
 *
 * Safety: each cache file is written to a temporary name and renamed, so overlapping runs each
 * leave whole files (the last one wins); it carries a checksum, a format version and the path it
 * describes, and anything that does not check out is ignored and rebuilt, never trusted into wrong
 * numbers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** Bump when the cached state's meaning changes: older caches are then rebuilt. */
const CACHE_FORMAT = 5;
/** Bytes hashed at the start of a file to notice a file rewritten in place. */
const HEAD_BYTES = 4096;

export interface CachedFile<State> {
  size: number;
  mtimeMs: number;
  /** Bytes parsed into `state` (always ends after a newline). */
  offset: number;
  /** Lines parsed into `state`, so line numbers continue correctly. */
  lineCount: number;
  head: string;
  state: State;
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(env.HOME || homedir(), '.cache'), 'tokenledger');
}

/** Detects a damaged or hand-edited cache (not an adversary): SHA-1 is enough and fast. */
function checksum(body: string): string {
  return createHash('sha1').update(body).digest('hex');
}

/** Hash of the first bytes of a file (up to `limit`), to tell an append from a rewrite. */
export function hashHead(file: string, limit: number): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, limit));
    const bytesRead = readSync(fd, buffer, 0, buffer.length, 0);
    return createHash('sha1').update(buffer.subarray(0, bytesRead)).digest('hex');
  } finally {
    closeSync(fd);
  }
}

/** Is `entry` still a valid prefix of the file now of `size` bytes? (Unchanged or appended to.) */
export function isPrefixOf(entry: CachedFile<unknown>, file: string, size: number): boolean {
  if (size < entry.offset) return false;
  try {
    return hashHead(file, entry.offset) === entry.head;
  } catch {
    return false;
  }
}

function checkedBody(text: string): unknown {
  const newline = text.indexOf('\n');
  const body = text.slice(newline + 1);
  if (newline < 0 || text.slice(0, newline) !== checksum(body)) return undefined;
  return JSON.parse(body);
}

function temporaryName(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/**
 * Reads a file written by `writeCheckedSync`; undefined when missing, cut short or altered.
 * Synchronous: cache files are read between parses, where an await only idles.
 */
export function readCheckedSync(file: string): unknown {
  try {
    return checkedBody(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The checksum line's length: 40 hex digits and a newline. */
const CHECKSUM_LINE = 41;

/**
 * Writes a JSON body behind its checksum, to a temporary name first, then renamed. The body comes
 * in pieces, hashed and written as they come, with the checksum put in front last: a snapshot of
 * tens of megabytes is never held as one string (nor copied once more to join the two parts).
 */
export function writeCheckedSync(file: string, body: Iterable<string>): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = temporaryName(file);
  try {
    const fd = openSync(temporary, 'w');
    try {
      const hash = createHash('sha1');
      let position = CHECKSUM_LINE;
      for (const piece of body) {
        hash.update(piece);
        position += writeSync(fd, piece, position);
      }
      writeSync(fd, `${hash.digest('hex')}\n`, 0);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // nothing was written
    }
    throw error;
  }
}

/**
 * One source's per-file cache: its folder (`<dir>/<name>`), the parser version its states must
 * come from, and the cache files that were there when the read began: knowing them spares a
 * failing lookup per transcript on a cold read, and the listing again when pruning.
 */
export interface EntryCache {
  dir: string;
  name: string;
  parser: string;
  present: ReadonlySet<string>;
}

export function openEntryCache(dir: string, name: string, parser: string): EntryCache {
  let present: string[] = [];
  try {
    present = readdirSync(path.join(dir, name));
  } catch {
    // no cache yet
  }
  return { dir, name, parser, present: new Set(present) };
}

/** The cache file of `transcript`: named by a hash of its path. */
function entryName(transcript: string): string {
  return `${createHash('sha1').update(transcript).digest('hex')}.json`;
}

/** The cached state of one transcript, or undefined when missing, damaged or of another version. */
export function loadEntry<State>(cache: EntryCache, transcript: string): CachedFile<State> | undefined {
  const name = entryName(transcript);
  if (!cache.present.has(name)) return undefined;
  const stored = readCheckedSync(path.join(cache.dir, cache.name, name)) as { format?: unknown; parser?: unknown; path?: unknown; entry?: CachedFile<State> } | undefined;
  if (!stored || stored.format !== CACHE_FORMAT || stored.parser !== cache.parser || stored.path !== transcript) return undefined;
  return stored.entry;
}

export function saveEntry<State>(cache: EntryCache, transcript: string, entry: CachedFile<State>): void {
  writeCheckedSync(path.join(cache.dir, cache.name, entryName(transcript)), [JSON.stringify({ format: CACHE_FORMAT, parser: cache.parser, path: transcript, entry })]);
}

/** Removes the cache files of transcripts that are gone (Claude Code deletes them after 30 days). */
export async function pruneEntries(cache: EntryCache, keep: readonly string[]): Promise<void> {
  const wanted = new Set(keep.map(entryName));
  const gone = [...cache.present].filter((file) => !wanted.has(file) && !file.endsWith('.tmp'));
  await Promise.all(gone.map((file) => unlink(path.join(cache.dir, cache.name, file)).catch(() => undefined)));
}
