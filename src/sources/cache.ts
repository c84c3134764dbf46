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
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** Bump when the cached state's meaning changes: older caches are then rebuilt. */
const CACHE_FORMAT = 4;
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
 * Reads a file written by `writeChecked`; undefined when missing, cut short or altered.
 * Synchronous: cache files are read between parses, where an await only idles.
 */
export function readCheckedSync(file: string): unknown {
  try {
    return checkedBody(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Writes `value` as JSON behind its checksum, to a temporary name first, then renamed. The two
 * parts are written apart: joining them would copy a snapshot of tens of megabytes once more.
 */
export function writeCheckedSync(file: string, value: unknown): void {
  const body = JSON.stringify(value);
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = temporaryName(file);
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, `${checksum(body)}\n`);
      writeSync(fd, body);
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

/** Where the cache file of `transcript` lives: named by a hash of its path. */
function entryPath(dir: string, name: string, transcript: string): string {
  return path.join(dir, name, `${createHash('sha1').update(transcript).digest('hex')}.json`);
}

/** The cached state of one transcript, or undefined when missing, damaged or of another version. */
export function loadEntry<State>(dir: string, name: string, parserVersion: string, transcript: string): CachedFile<State> | undefined {
  const stored = readCheckedSync(entryPath(dir, name, transcript)) as { format?: unknown; parser?: unknown; path?: unknown; entry?: CachedFile<State> } | undefined;
  if (!stored || stored.format !== CACHE_FORMAT || stored.parser !== parserVersion || stored.path !== transcript) return undefined;
  return stored.entry;
}

export function saveEntry<State>(dir: string, name: string, parserVersion: string, transcript: string, entry: CachedFile<State>): void {
  writeCheckedSync(entryPath(dir, name, transcript), { format: CACHE_FORMAT, parser: parserVersion, path: transcript, entry });
}

/** Removes the cache files of transcripts that are gone (Claude Code deletes them after 30 days). */
export async function pruneEntries(dir: string, name: string, keep: readonly string[]): Promise<void> {
  const wanted = new Set(keep.map((transcript) => path.basename(entryPath(dir, name, transcript))));
  const present = await readdir(path.join(dir, name)).catch(() => [] as string[]);
  await Promise.all(present.filter((file) => !wanted.has(file) && !file.endsWith('.tmp')).map((file) => unlink(path.join(dir, name, file)).catch(() => undefined)));
}
