/**
 * Reading a batch of transcript files into parse states, continuing from cached states where a
 * file only grew. Runs on the main thread or in a worker (`worker.ts`), so it takes and returns
 * plain data.
 */
import { hashHead, isPrefixOf, type CachedFile } from '../cache.js';
import { readLines } from '../jsonl.js';
import { TranscriptParser } from './parse.js';
import type { TranscriptFile } from './paths.js';
import type { TranscriptState } from './schema.js';

export interface FileResult {
  file: TranscriptFile;
  state: TranscriptState;
}

export interface BatchItem {
  file: TranscriptFile;
  cached: CachedFile<TranscriptState> | undefined;
}

export interface BatchResult {
  results: FileResult[];
  /** Files that could not be read, with the reason. */
  failures: string[];
  /** New cache entries (only when asked for). */
  entries: [string, CachedFile<TranscriptState>][];
}

/** Reads one file, continuing from its cached state when the file only grew since. */
async function readTranscript(file: TranscriptFile, cached: CachedFile<TranscriptState> | undefined, entries: BatchResult['entries'] | null): Promise<FileResult> {
  const context = { file: file.path, pathSessionId: file.pathSessionId, pathAgentId: file.pathAgentId };
  if (cached && cached.size === file.size && cached.mtimeMs === file.mtimeMs && cached.offset === file.size) {
    entries?.push([file.path, cached]);
    return { file, state: cached.state };
  }
  const resume = cached && cached.mtimeMs !== file.mtimeMs && (await isPrefixOf(cached, file.path, file.size)) ? cached : undefined;
  const parser = new TranscriptParser(context, resume?.state);
  let tail: { line: Buffer; lineNumber: number } | undefined;
  const { completeEnd, completeLines } = readLines(file.path, resume?.offset ?? 0, resume?.lineCount ?? 0, (line, lineNumber, complete) => {
    if (complete) parser.pushLine(line, lineNumber);
    else tail = { line: Buffer.from(line), lineNumber };
  });
  const state = parser.finish();
  if (entries) {
    // Cache what the newline-terminated lines gave; a last line still being written is read now
    // (into a copy of the state) but parsed again next time, once it is complete.
    entries.push([
      file.path,
      { size: file.size, mtimeMs: file.mtimeMs, offset: completeEnd, lineCount: (resume?.lineCount ?? 0) + completeLines, head: await hashHead(file.path, completeEnd), state },
    ]);
  }
  if (tail) {
    const withTail = new TranscriptParser(context, structuredClone(state));
    withTail.pushLine(tail.line, tail.lineNumber);
    return { file, state: withTail.finish() };
  }
  return { file, state };
}

/** Reads the files of a batch in turn; one unreadable file is reported, never thrown. */
export async function readTranscripts(batch: BatchItem[], keepEntries: boolean): Promise<BatchResult> {
  const out: BatchResult = { results: [], failures: [], entries: [] };
  for (const { file, cached } of batch) {
    try {
      out.results.push(await readTranscript(file, cached, keepEntries ? out.entries : null));
    } catch (error) {
      out.failures.push(`${file.path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  return out;
}
