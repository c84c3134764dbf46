/**
 * The incremental read cache: per transcript file, how far it was read (size, mtime, byte offset,
 * a hash of its head) and the parse state up to there. A repeated read parses only appended bytes
 * and new files.
 *
 * Safety: the file is written to a temporary name and renamed, so overlapping runs each leave a
 * whole cache (the last one wins); it carries a checksum and a format version, and anything that
 * does not check out is ignored and rebuilt rather than trusted into wrong numbers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** Bump when the cached state's meaning changes: older caches are then rebuilt. */
const CACHE_FORMAT = 3;
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
export async function hashHead(file: string, limit: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, limit));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return createHash('sha1').update(buffer.subarray(0, bytesRead)).digest('hex');
  } finally {
    await handle.close();
  }
}

/** Is `entry` still a valid prefix of the file now of `size` bytes? (Unchanged or appended to.) */
export async function isPrefixOf(entry: CachedFile<unknown>, file: string, size: number): Promise<boolean> {
  if (size < entry.offset) return false;
  try {
    return (await hashHead(file, entry.offset)) === entry.head;
  } catch {
    return false;
  }
}

/** Reads a file written by `writeChecked`; undefined when missing, cut short or altered. */
export async function readChecked(file: string): Promise<unknown> {
  try {
    const text = await readFile(file, 'utf8');
    const newline = text.indexOf('\n');
    const body = text.slice(newline + 1);
    if (newline < 0 || text.slice(0, newline) !== checksum(body)) return undefined;
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Writes `value` as JSON behind its checksum, to a temporary name first, then renamed. */
export async function writeChecked(file: string, value: unknown): Promise<void> {
  const body = JSON.stringify(value);
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${checksum(body)}\n${body}`);
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/**
 * Loads the cache named `name`, or an empty one when it is missing, corrupt, of another format, or
 * written by another parser version.
 */
export async function loadCache<State>(dir: string, name: string, parserVersion: string): Promise<Map<string, CachedFile<State>>> {
  const parsed = (await readChecked(path.join(dir, `${name}.json`))) as { format?: unknown; parser?: unknown; files?: unknown } | undefined;
  if (!parsed || parsed.format !== CACHE_FORMAT || parsed.parser !== parserVersion || typeof parsed.files !== 'object' || !parsed.files) {
    return new Map();
  }
  return new Map(Object.entries(parsed.files as Record<string, CachedFile<State>>));
}

/** Writes the cache atomically. */
export async function saveCache<State>(dir: string, name: string, parserVersion: string, entries: Map<string, CachedFile<State>>): Promise<void> {
  await writeChecked(path.join(dir, `${name}.json`), { format: CACHE_FORMAT, parser: parserVersion, files: Object.fromEntries(entries) });
}
