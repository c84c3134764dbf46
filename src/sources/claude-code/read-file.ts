/**
 * Reading one transcript file into its parse state, continuing from its cached state when the
 * file only grew, and giving back the entry to store. Runs on the main thread or in a worker
 * (`worker.ts`), so it takes and returns plain data; the store itself is written by the caller.
 */
import { HEAD_BYTES, hashHead, hashHeadBytes, isPrefixOf, type CachedFile } from '../cache.js';
import { readLines } from '../jsonl.js';
import { decodeState, encodeState, type EncodedState } from './cached-state.js';
import { TranscriptParser } from './parse.js';
import type { TranscriptFile } from './paths.js';
import type { TranscriptState } from './schema.js';

/** A transcript's entry in the store: how far it was read, and its state in the cached form. */
export type StoredTranscript = CachedFile<EncodedState>;

export type FileOutcome =
  | {
      file: TranscriptFile;
      state: TranscriptState;
      /** What the store is to keep for the file; null when the read is not cached. */
      stored: StoredTranscript | null;
      /** `stored.state` is `state` encoded (no unfinished last line was read past it). */
      storedIsState: boolean;
    }
  | { file: TranscriptFile; failure: string };

/** Is the stored entry the whole file as it is now? Then the file need not be opened. */
export function isUnchanged(stored: StoredTranscript | undefined, file: TranscriptFile): stored is StoredTranscript {
  return stored !== undefined && stored.size === file.size && stored.mtimeMs === file.mtimeMs && stored.offset === file.size;
}

/** Parses `file` on from `resume` (a state of its first bytes), or from its start. */
function parseTranscript(file: TranscriptFile, resume: CachedFile<TranscriptState> | undefined): { state: TranscriptState; entry: CachedFile<TranscriptState>; storedIsState: boolean } {
  const context = { file: file.path, pathSessionId: file.pathSessionId, pathAgentId: file.pathAgentId };
  const parser = new TranscriptParser(context, resume?.state);
  let tail: { line: Buffer; lineNumber: number } | undefined;
  const { completeEnd, completeLines, head } = readLines(
    file.path,
    resume?.offset ?? 0,
    resume?.lineCount ?? 0,
    (line, lineNumber, complete) => {
      if (complete) parser.pushLine(line, lineNumber);
      else tail = { line: Buffer.from(line), lineNumber };
    },
    HEAD_BYTES,
  );
  const state = parser.finish();
  // Store what the newline-terminated lines gave; a last line still being written is read now
  // (into a copy of the state) but parsed again next time, once it is complete.
  const entry = {
    size: file.size,
    mtimeMs: file.mtimeMs,
    offset: completeEnd,
    lineCount: (resume?.lineCount ?? 0) + completeLines,
    head: head ? hashHeadBytes(head, completeEnd) : hashHead(file.path, completeEnd),
    state,
  };
  if (!tail) return { state, entry, storedIsState: true };
  const withTail = new TranscriptParser(context, structuredClone(state));
  withTail.pushLine(tail.line, tail.lineNumber);
  return { state: withTail.finish(), entry, storedIsState: false };
}

/** The stored state, decoded, when the file only grew since; else undefined (read afresh). */
function resumable(stored: StoredTranscript | undefined, file: TranscriptFile): CachedFile<TranscriptState> | undefined {
  if (!stored || stored.mtimeMs === file.mtimeMs || !isPrefixOf(stored, file.path, file.size)) return undefined;
  const state = decodeState(stored.state);
  return state && { ...stored, state };
}

/**
 * Reads one transcript, from its stored entry where that still holds; a file that cannot be
 * read is reported, never thrown. Synchronous: the file is parsed as it is read, and awaits
 * between small reads only left the thread idle. `caching` asks for the entry to store.
 */
export function readTranscript(file: TranscriptFile, stored: StoredTranscript | undefined, caching: boolean): FileOutcome {
  try {
    if (isUnchanged(stored, file)) {
      const state = decodeState(stored.state);
      if (state) return { file, state, stored: caching ? stored : null, storedIsState: true };
    }
    const { state, entry, storedIsState } = parseTranscript(file, resumable(stored, file));
    return { file, state, stored: caching ? { ...entry, state: encodeState(entry.state) } : null, storedIsState };
  } catch (error) {
    return { file, failure: `${file.path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
}
