/**
 * The incremental read cache: per transcript file, how far it was read (size, mtime, byte offset,
 * a hash of its head) and the parse state up to there, all in one store file per source, a line
 * per transcript. A repeated read parses only appended bytes and new files.
 *
 * One file, not one per transcript: creating a few thousand small files cost a cold read of 1 GB
 * about a second on the bench machine, more than parsing a third of it.
 *
 * Safety: every cache file is written to a temporary name and renamed, so overlapping runs each
 * leave whole files (the last one wins); it carries a checksum and a format version, and anything
 * that does not check out is ignored and rebuilt, never trusted into wrong numbers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** Bump when the cached state's meaning changes: older caches are then rebuilt. */
const CACHE_FORMAT = 6;
/** Bytes hashed at the start of a file to notice a file rewritten in place. */
export const HEAD_BYTES = 4096;

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

/** The checksum line's length: 40 hex digits and a newline. */
const CHECKSUM_LINE = 41;

/** Detects a damaged or hand-edited cache (not an adversary): SHA-1 is enough and fast. */
function checksum(body: Uint8Array): string {
  return createHash('sha1').update(body).digest('hex');
}

/** Hash of the first bytes of a file (up to `limit`), to tell an append from a rewrite. */
export function hashHead(file: string, limit: number): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, limit));
    const bytesRead = readSync(fd, buffer, 0, buffer.length, 0);
    return hashHeadBytes(buffer.subarray(0, bytesRead), limit);
  } finally {
    closeSync(fd);
  }
}

/** `hashHead` of a file whose first bytes are `head` (as `readLines` gives them). */
export function hashHeadBytes(head: Buffer, limit: number): string {
  return createHash('sha1').update(head.subarray(0, Math.min(HEAD_BYTES, limit))).digest('hex');
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

/** The body of a checked file's bytes (after the checksum line), or undefined when it does not match its checksum. */
function checkedBody(bytes: Buffer): Buffer | undefined {
  if (bytes.length < CHECKSUM_LINE || bytes[CHECKSUM_LINE - 1] !== 0x0a) return undefined;
  const body = bytes.subarray(CHECKSUM_LINE);
  return bytes.toString('latin1', 0, CHECKSUM_LINE - 1) === checksum(body) ? body : undefined;
}

function temporaryName(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/**
 * Reads the body of a file written by a `CheckedWriter`; undefined when missing, cut short or
 * altered. Synchronous: cache files are read between parses, where an await only idles.
 */
export function readCheckedBufferSync(file: string): Buffer | undefined {
  try {
    return checkedBody(readFileSync(file));
  } catch {
    return undefined;
  }
}

function readCheckedTextSync(file: string): string | undefined {
  return readCheckedBufferSync(file)?.toString('utf8');
}

/** `readCheckedTextSync` of a JSON body, parsed; undefined when it does not check out. */
export function readCheckedSync(file: string): unknown {
  const body = readCheckedTextSync(file);
  try {
    return body === undefined ? undefined : JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * Writes a body behind its checksum, to a temporary name first, renamed by `commit`. The body
 * comes in pieces, hashed and written as they come, with the checksum put in front last: a store
 * of tens of megabytes is never held as one string (nor copied once more to join the two parts).
 */
export class CheckedWriter {
  private readonly temporary: string;
  private readonly fd: number;
  private readonly hash = createHash('sha1');
  private position = CHECKSUM_LINE;

  constructor(private readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.temporary = temporaryName(file);
    this.fd = openSync(this.temporary, 'w');
  }

  write(piece: string | Uint8Array): void {
    try {
      const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
      this.hash.update(bytes);
      for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done, this.position + done);
      this.position += bytes.length;
    } catch (error) {
      this.abandon();
      throw error;
    }
  }

  /** Puts the checksum in front and the file in place. */
  commit(): void {
    try {
      writeSync(this.fd, `${this.hash.digest('hex')}\n`, 0);
      closeSync(this.fd);
      renameSync(this.temporary, this.file);
    } catch (error) {
      this.abandon();
      throw error;
    }
  }

  /** Drops what was written; the file in place (if any) stays as it was. */
  abandon(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(this.temporary);
    } catch {
      // already gone
    }
  }
}

/** Writes a body given in pieces as a checked file (see `CheckedWriter`). */
export function writeCheckedSync(file: string, body: Iterable<string>): void {
  const writer = new CheckedWriter(file);
  for (const piece of body) writer.write(piece);
  writer.commit();
}

/** Where a source's store lives: `<dir>/<name>.files.jsonl`. */
function storePath(dir: string, name: string): string {
  return path.join(dir, `${name}.files.jsonl`);
}

/**
 * The cached states of a source's last read, by transcript path: empty when there is no store,
 * or when it is damaged or of another format or parser version.
 */
export function loadFileStore<State>(dir: string, name: string, parser: string): Map<string, CachedFile<State>> {
  const entries = new Map<string, CachedFile<State>>();
  const body = readCheckedTextSync(storePath(dir, name));
  if (body === undefined) return entries;
  try {
    const lines = body.split('\n');
    const header = JSON.parse(lines[0]!) as { format?: unknown; parser?: unknown };
    if (header.format !== CACHE_FORMAT || header.parser !== parser) return entries;
    for (let i = 1; i < lines.length; i++) {
      if (lines[i] === '') continue;
      const { path: transcript, ...entry } = JSON.parse(lines[i]!) as CachedFile<State> & { path: string };
      entries.set(transcript, entry);
    }
    return entries;
  } catch {
    return new Map();
  }
}

/**
 * Writes a source's store, a transcript at a time, as a read goes; what is not added is not
 * kept (transcripts that are gone: Claude Code deletes them after 30 days). Nothing replaces the
 * old store until `commit`; a store that cannot be written only costs speed next time, so
 * failures are swallowed and the writer goes quiet.
 */
export class FileStoreWriter<State> {
  private writer: CheckedWriter | undefined;
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(
    private readonly dir: string,
    private readonly name: string,
    parser: string,
  ) {
    try {
      this.writer = new CheckedWriter(storePath(dir, name));
      this.pending.push(`${JSON.stringify({ format: CACHE_FORMAT, parser })}\n`);
    } catch {
      this.writer = undefined;
    }
  }

  add(transcript: string, entry: CachedFile<State>): void {
    if (!this.writer) return;
    const line = `${JSON.stringify({ path: transcript, ...entry })}\n`;
    this.pending.push(line);
    this.pendingLength += line.length;
    // Written in pieces of about a megabyte: few calls, and no store held whole.
    if (this.pendingLength >= 1 << 20) this.flush();
  }

  commit(): void {
    this.flush();
    try {
      this.writer?.commit();
    } catch {
      // see above
    }
    this.writer = undefined;
    // The folder of one cache file per transcript that tokenledger 0.1 kept (cache format 5).
    const legacy = path.join(this.dir, this.name);
    if (existsSync(legacy)) rmSync(legacy, { recursive: true, force: true });
  }

  private flush(): void {
    const piece = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    try {
      this.writer?.write(piece);
    } catch {
      this.writer = undefined; // the writer abandoned its temporary file
    }
  }
}
