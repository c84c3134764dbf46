/**
 * The Claude Code source: transcript files -> usage events, deduplicated across all files read,
 * with the incremental cache so a repeated read parses only what is new.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ReadDiagnostics, UsageEvent } from '../events.js';
import { FileStoreWriter, loadFileStore } from '../cache.js';
import { type FileFingerprint, loadSnapshot, saveSnapshot } from '../snapshot.js';
import { describeTranscriptPath, listTranscriptFiles, type TranscriptFile } from './paths.js';
import { readTranscripts } from './parallel.js';
import { ResponseMerger } from './merge.js';
import { isUnchanged, readTranscript, type FileOutcome, type StoredTranscript } from './read-file.js';

export { claudeProjectsDirs, listTranscriptFiles } from './paths.js';
export { parseTranscriptText } from './parse.js';

/** Changes whenever parsing would give different records: cached states of another version are dropped. */
export const CLAUDE_PARSER_VERSION = 'claude-code/2';
const CACHE_NAME = 'claude-code';

export interface ReadOptions {
  env?: NodeJS.ProcessEnv;
  /** Files last modified before this time hold no newer responses and are not read. */
  sinceMs?: number;
  /** Folder of the incremental cache; `null` reads everything afresh and writes no cache. */
  cacheDir?: string | null;
  /** Read exactly these transcript files instead of discovering them (e.g. one session). */
  files?: TranscriptFile[];
  /** What discovering them gives (`listTranscriptFiles`), when the caller has just done it. */
  listed?: TranscriptFile[];
}

export interface SourceRead {
  events: UsageEvent[];
  diagnostics: ReadDiagnostics;
}

export async function readClaudeCode(options: ReadOptions = {}): Promise<SourceRead> {
  const files = options.files ?? options.listed ?? (await listTranscriptFiles(options.env));
  const selected = options.sinceMs === undefined ? files : files.filter((file) => file.mtimeMs >= options.sinceMs!);
  const fingerprints = selected.map((file): FileFingerprint => [file.path, file.size, file.mtimeMs]);
  const cacheDir = options.cacheDir;
  if (cacheDir) {
    const snapshot = await loadSnapshot(cacheDir, CACHE_NAME, CLAUDE_PARSER_VERSION, fingerprints);
    if (snapshot) return snapshot;
  }
  const store = cacheDir ? loadFileStore<StoredTranscript['state']>(cacheDir, CACHE_NAME, CLAUDE_PARSER_VERSION) : new Map<string, StoredTranscript>();
  const writer = cacheDir ? new FileStoreWriter<StoredTranscript['state']>(cacheDir, CACHE_NAME, CLAUDE_PARSER_VERSION) : null;
  const merger = new ResponseMerger();
  const deliver = (outcome: FileOutcome) => {
    merger.add(outcome);
    if (writer && 'stored' in outcome && outcome.stored) writer.add(outcome.file.path, outcome.stored);
  };
  // Unchanged files come from the store on this thread; only new and grown ones are read, on as
  // many threads as pays. Outcomes go to the merger in the order of `selected` either way, so the
  // result (down to the order costs are summed in) does not depend on what was cached.
  const toRead = selected.filter((file) => !isUnchanged(store.get(file.path), file));
  let delivered = 0;
  const deliverUpTo = (end: number) => {
    for (; delivered < end; delivered++) {
      const file = selected[delivered]!;
      deliver(readTranscript(file, store.get(file.path), writer !== null));
    }
  };
  let position = 0;
  await readTranscripts(
    toRead,
    toRead.map((file) => store.get(file.path) ?? null),
    writer !== null,
    (outcome) => {
      // A worker's outcome names a copy of the file: matched by path.
      while (selected[position]!.path !== outcome.file.path) position++;
      deliverUpTo(position);
      deliver(outcome);
      delivered = ++position;
    },
    options.env,
  );
  deliverUpTo(selected.length);
  const events = merger.takeEvents();
  if (writer && cacheDir) {
    // Entries of transcripts this read passed over (`--since`, or a given list) are kept; those of
    // transcripts that are gone are dropped with the rest of the old store.
    if (options.files || options.sinceMs !== undefined) {
      const read = new Set(selected.map((file) => file.path));
      const listed = new Set(files.map((file) => file.path));
      for (const [transcript, entry] of store) if (!read.has(transcript) && (options.files || listed.has(transcript))) writer.add(transcript, entry);
    }
    writer.commit();
    await saveSnapshot(cacheDir, CACHE_NAME, CLAUDE_PARSER_VERSION, fingerprints, events, merger.diagnostics).catch(() => undefined);
  }
  return { events, diagnostics: merger.diagnostics };
}

/**
 * The files of one session: its transcript, nested subagent files, and flat `agent-*.jsonl`
 * files beside it (their session is known only from inside, so they are filtered by the caller).
 */
export async function sessionTranscriptFiles(transcript: string): Promise<TranscriptFile[]> {
  const absolute = path.resolve(transcript);
  const projectDir = path.dirname(absolute);
  const projectsDir = path.dirname(projectDir);
  const sessionId = path.basename(absolute, '.jsonl');
  const candidates = [absolute];
  const nested = path.join(projectDir, sessionId, 'subagents');
  for (const name of await readdir(nested).catch(() => [] as string[])) if (name.endsWith('.jsonl')) candidates.push(path.join(nested, name));
  for (const name of await readdir(projectDir).catch(() => [] as string[])) {
    if (/^agent-.+\.jsonl$/.test(name) && name !== path.basename(absolute)) candidates.push(path.join(projectDir, name));
  }
  const files: TranscriptFile[] = [];
  for (const file of candidates) {
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile()) files.push({ ...describeTranscriptPath(file, projectsDir), size: info.size, mtimeMs: info.mtimeMs });
  }
  return files;
}
