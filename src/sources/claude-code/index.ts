/**
 * The Claude Code source: transcript files -> usage events, deduplicated across all files read,
 * with the incremental cache so a repeated read parses only what is new.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { emptyDiagnostics, type ReadDiagnostics, type UsageEvent } from '../events.js';
import { addMalformed, MAX_MALFORMED_SAMPLES } from '../diagnostics.js';
import { type CachedFile, loadCache, saveCache } from '../cache.js';
import { type FileFingerprint, loadSnapshot, saveSnapshot } from '../snapshot.js';
import { describeTranscriptPath, listTranscriptFiles, type TranscriptFile } from './paths.js';
import { readInParallel } from './parallel.js';
import { mergeSnapshots } from './parse.js';
import type { FileResult } from './read-file.js';
import type { ResponseRecord, TranscriptState } from './schema.js';

export { claudeProjectsDirs, listTranscriptFiles } from './paths.js';
export { parseTranscriptText } from './parse.js';

/** Changes whenever parsing would give different records: cached states of another version are dropped. */
export const CLAUDE_PARSER_VERSION = 'claude-code/1';
const CACHE_NAME = 'claude-code';

export interface ReadOptions {
  env?: NodeJS.ProcessEnv;
  /** Files last modified before this time hold no newer responses and are not read. */
  sinceMs?: number;
  /** Folder of the incremental cache; `null` reads everything afresh and writes no cache. */
  cacheDir?: string | null;
  /** Read exactly these transcript files instead of discovering them (e.g. one session). */
  files?: TranscriptFile[];
}

export interface SourceRead {
  events: UsageEvent[];
  diagnostics: ReadDiagnostics;
}

/** Turn index of a response: how many of the file's prompts came at or before it. */
function turnOf(prompts: number[], at: number): number {
  let low = 0;
  let high = prompts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (prompts[mid]! <= at) low = mid + 1;
    else high = mid;
  }
  return low;
}

function toEvent(record: ResponseRecord, project: string, turn: number): UsageEvent {
  return {
    agent: 'claude-code',
    sessionId: record.sessionId,
    project,
    requestKey: record.key,
    timestampMs: record.timestampMs,
    model: record.model,
    tokens: record.tokens,
    reasoningOutput: 0,
    webSearchRequests: record.webSearchRequests,
    isSidechain: record.isSidechain,
    agentId: record.agentId,
    // Sorted by tool_use id so the order (and the phase split) never depends on line order.
    tools: Object.keys(record.tools).sort().map((id) => record.tools[id]!),
    turn,
    speed: record.speed,
    agentVersion: record.version,
    entrypoint: record.entrypoint,
  };
}

/**
 * Merges the files' records into one event per response. A response present in several files
 * (resumed sessions copy history; subagent lines are echoed) counts once, by the same rule as
 * within a file.
 */
function mergeFiles(results: FileResult[], diagnostics: ReadDiagnostics): UsageEvent[] {
  const byKey = new Map<string, { record: ResponseRecord; project: string; turn: number }>();
  let responseLines = 0;
  for (const { file, state } of results) {
    const prompts = [...state.prompts].sort((a, b) => a - b);
    for (const record of state.responses) {
      responseLines += record.lines;
      const turn = turnOf(prompts, record.timestampMs);
      const kept = byKey.get(record.key);
      if (!kept) {
        byKey.set(record.key, { record, project: file.project, turn });
        continue;
      }
      const merged = mergeSnapshots(kept.record, record);
      const fromIncoming = merged.tokens === record.tokens; // the incoming snapshot won
      byKey.set(record.key, { record: merged, project: fromIncoming ? file.project : kept.project, turn: fromIncoming ? turn : kept.turn });
    }
    diagnostics.lines += state.counts.lines;
    diagnostics.malformedLines += state.counts.malformedLines;
    diagnostics.skippedLines += state.counts.skippedLines;
    const room = MAX_MALFORMED_SAMPLES - diagnostics.malformedSamples.length;
    diagnostics.malformedSamples.push(...state.malformedSamples.slice(0, Math.max(0, room)));
  }
  diagnostics.responses = byKey.size;
  diagnostics.duplicateLines = responseLines - byKey.size;
  const events: UsageEvent[] = [];
  for (const { record, project, turn } of byKey.values()) events.push(toEvent(record, project, turn));
  return events;
}

export async function readClaudeCode(options: ReadOptions = {}): Promise<SourceRead> {
  const files = options.files ?? (await listTranscriptFiles(options.env));
  const selected = options.sinceMs === undefined ? files : files.filter((file) => file.mtimeMs >= options.sinceMs!);
  const fingerprints = selected.map((file): FileFingerprint => [file.path, file.size, file.mtimeMs]);
  if (options.cacheDir) {
    const snapshot = await loadSnapshot(options.cacheDir, CACHE_NAME, CLAUDE_PARSER_VERSION, fingerprints);
    if (snapshot) return snapshot;
  }
  const cache = options.cacheDir ? await loadCache<TranscriptState>(options.cacheDir, CACHE_NAME, CLAUDE_PARSER_VERSION) : new Map<string, CachedFile<TranscriptState>>();
  const diagnostics = emptyDiagnostics();
  const batch = selected.map((file) => ({ file, cached: cache.get(file.path) }));
  const changed = batch.some(({ file, cached }) => !cached || cached.size !== file.size || cached.mtimeMs !== file.mtimeMs);
  const { results, failures, entries: fresh } = await readInParallel(batch, options.cacheDir !== null && options.cacheDir !== undefined);
  diagnostics.filesRead = results.length;
  // One unreadable file never stops the run: it is counted and named.
  for (const failure of failures) addMalformed(diagnostics, failure);
  if (options.cacheDir && changed) {
    const entries = new Map(fresh);
    // Keep entries of files this read skipped (pruned by --since) so they stay warm.
    for (const [file, entry] of cache) if (!entries.has(file)) entries.set(file, entry);
    await saveCache(options.cacheDir, CACHE_NAME, CLAUDE_PARSER_VERSION, entries).catch(() => undefined);
  }
  const events = mergeFiles(results, diagnostics);
  // A cache that cannot be written (read-only home, full disk) only costs speed next time.
  if (options.cacheDir) await saveSnapshot(options.cacheDir, CACHE_NAME, CLAUDE_PARSER_VERSION, fingerprints, events, diagnostics).catch(() => undefined);
  return { events, diagnostics };
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
