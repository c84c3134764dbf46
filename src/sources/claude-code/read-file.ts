/**
 * Reading one transcript file into its parse state, continuing from its cached state when the
 * file only grew, and caching the new state. Runs on the main thread or in a worker
 * (`worker.ts`), so it takes and returns plain data.
 */
import { hashHead, isPrefixOf, loadEntry, saveEntry, type CachedFile, type EntryCache } from '../cache.js';
import { readLines } from '../jsonl.js';
import { decodeState, encodeState, type EncodedState } from './cached-state.js';
import { TranscriptParser } from './parse.js';
import type { TranscriptFile } from './paths.js';
import type { TranscriptState } from './schema.js';

export type FileOutcome = { file: TranscriptFile; state: TranscriptState } | { file: TranscriptFile; failure: string };

/** Parses `file` from the cached state when the file only grew since; returns the state and the entry to cache. */
function parseTranscript(file: TranscriptFile, cached: CachedFile<TranscriptState> | undefined): { state: TranscriptState; entry: CachedFile<TranscriptState> | null } {
  if (cached && cached.size === file.size && cached.mtimeMs === file.mtimeMs && cached.offset === file.size) return { state: cached.state, entry: null };
  const context = { file: file.path, pathSessionId: file.pathSessionId, pathAgentId: file.pathAgentId };
  const resume = cached && cached.mtimeMs !== file.mtimeMs && isPrefixOf(cached, file.path, file.size) ? cached : undefined;
  const parser = new TranscriptParser(context, resume?.state);
  let tail: { line: Buffer; lineNumber: number } | undefined;
  const { completeEnd, completeLines } = readLines(file.path, resume?.offset ?? 0, resume?.lineCount ?? 0, (line, lineNumber, complete) => {
    if (complete) parser.pushLine(line, lineNumber);
    else tail = { line: Buffer.from(line), lineNumber };
  });
  const state = parser.finish();
  // Cache what the newline-terminated lines gave; a last line still being written is read now
  // (into a copy of the state) but parsed again next time, once it is complete.
  const entry = { size: file.size, mtimeMs: file.mtimeMs, offset: completeEnd, lineCount: (resume?.lineCount ?? 0) + completeLines, head: hashHead(file.path, completeEnd), state };
  if (!tail) return { state, entry };
  const withTail = new TranscriptParser(context, structuredClone(state));
  withTail.pushLine(tail.line, tail.lineNumber);
  return { state: withTail.finish(), entry };
}

/** The cached state of `transcript`, or undefined when there is none that checks out. */
function loadState(cache: EntryCache, transcript: string): CachedFile<TranscriptState> | undefined {
  const cached = loadEntry<EncodedState>(cache, transcript);
  const state = cached && decodeState(cached.state);
  return state && { ...cached, state };
}

/**
 * Reads one transcript; a file that cannot be read is reported, never thrown. Synchronous: the
 * file is parsed as it is read, and awaits between small reads and writes only left the thread
 * idle (writing cache files in libuv's pool instead measured slower once two threads parse).
 */
export function readTranscript(file: TranscriptFile, cache: EntryCache | null): FileOutcome {
  try {
    const { state, entry } = parseTranscript(file, cache ? loadState(cache, file.path) : undefined);
    if (cache && entry) {
      try {
        saveEntry<EncodedState>(cache, file.path, { ...entry, state: encodeState(entry.state) });
      } catch {
        // A cache that cannot be written (read-only home, full disk) only costs speed next time.
      }
    }
    return { file, state };
  } catch (error) {
    return { file, failure: `${file.path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
}
