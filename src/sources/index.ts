/**
 * The source registry: one entry per agent, each reading its own logs into usage events, and one
 * per other source of an agent's data (`SOURCE_IDS`). Reports, summaries and everything after read
 * events and never branch on the agent.
 */
import { AGENTS, emptyDiagnostics, type ReadDiagnostics, type UsageEvent } from './events.js';
import { readClaudeCode } from './claude-code/index.js';
import type { TranscriptFile } from './claude-code/paths.js';
import { getCodexRolloutFiles } from './codex/paths.js';
import { getGeminiChatFiles } from './gemini/paths.js';
import { hasOpenCodeData } from './opencode/paths.js';
import { addDiagnostics } from './diagnostics.js';
import { joinExports } from './otel/join.js';
import { otelExportEntries } from './otel/paths.js';

export interface SourceOptions {
  env?: NodeJS.ProcessEnv;
  /** Files last modified before this instant are not read. */
  sinceMs?: number;
  /** Folder of the incremental cache, or null for none. */
  cacheDir?: string | null;
  /** OpenTelemetry export files or folders to read instead of `TOKENLEDGER_OTEL_EXPORTS` (`--otel`). */
  otelExports?: readonly string[];
  /** The Claude Code transcripts, when the caller listed them already (`listSourceInputs`). */
  claudeTranscripts?: TranscriptFile[];
}

export interface SourceRead {
  events: UsageEvent[];
  diagnostics: ReadDiagnostics;
  /** What the user should know about how the numbers were counted (printed on stderr by reports). */
  notes?: string[];
}

/**
 * Where usage is read from: each agent's own logs, plus `otel`, Claude Code's OpenTelemetry exports
 * (a second source of one agent's data, so not an agent: its events say `claude-code`).
 */
export const SOURCE_IDS = [...AGENTS, 'otel'] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

export const SOURCES: Record<SourceId, (options: SourceOptions) => Promise<SourceRead>> = {
  'claude-code': (options) => readClaudeCode({ ...options, listed: options.claudeTranscripts }),
  otel: async (options) => {
    // The export parser validates with zod: load it only when exports are named.
    if (otelExportEntries(options.env, options.otelExports).length === 0) return { events: [], diagnostics: emptyDiagnostics() };
    const { readOtelExports } = await import('./otel/index.js');
    return readOtelExports({ env: options.env, paths: options.otelExports, sinceMs: options.sinceMs });
  },
  codex: async (options) => {
    // The Codex parser validates lines with zod: load it only when there are rollouts to read.
    if ((await getCodexRolloutFiles(options.env)).length === 0) return { events: [], diagnostics: emptyDiagnostics() };
    const { readCodexSessions } = await import('./codex/index.js');
    return readCodexSessions({ env: options.env, since: options.sinceMs === undefined ? undefined : new Date(options.sinceMs) });
  },
  gemini: async (options) => {
    // Like Codex: the chat parser loads zod, so it is imported only when there are chats to read.
    if ((await getGeminiChatFiles(options.env)).length === 0) return { events: [], diagnostics: emptyDiagnostics() };
    const { readGeminiSessions } = await import('./gemini/index.js');
    return readGeminiSessions({ env: options.env, since: options.sinceMs === undefined ? undefined : new Date(options.sinceMs) });
  },
  opencode: async (options) => {
    // The reader loads zod and, for a store, the native SQLite module: only when OpenCode left data here.
    if (!(await hasOpenCodeData(options.env))) return { events: [], diagnostics: emptyDiagnostics() };
    const { readOpenCodeSessions } = await import('./opencode/index.js');
    return readOpenCodeSessions({ env: options.env, sinceMs: options.sinceMs });
  },
};

/**
 * Reads the given sources and merges their events and diagnostics. OpenTelemetry exports are
 * joined to the transcripts read with them (`otel/join.ts`), so a call in both counts once.
 */
export async function readUsage(sources: readonly SourceId[], options: SourceOptions): Promise<SourceRead> {
  const reads = await Promise.all(sources.map(async (id) => ({ id, read: await SOURCES[id](options) })));
  const diagnostics = emptyDiagnostics();
  const events: UsageEvent[] = [];
  const notes: string[] = [];
  for (const { id, read } of reads) {
    if (id !== 'otel') for (const event of read.events) events.push(event);
    addDiagnostics(diagnostics, read.diagnostics);
    notes.push(...(read.notes ?? []));
  }
  const exported = reads.find(({ id }) => id === 'otel')?.read;
  if (exported) {
    const { kept, joined, notes: joinNotes } = joinExports(events, exported.events);
    for (const event of kept) events.push(event);
    notes.push(...joinNotes);
    // A joined call is the same response seen twice: counted like a duplicate line.
    diagnostics.responses -= joined;
    diagnostics.duplicateLines += joined;
  }
  return { events, diagnostics, notes };
}
