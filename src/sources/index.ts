/**
 * The agent registry: one entry per agent, each reading its own logs into usage events. Reports,
 * summaries and everything after read events and never branch on the agent.
 */
import { emptyDiagnostics, type Agent, type ReadDiagnostics, type UsageEvent } from './events.js';
import { readClaudeCode } from './claude-code/index.js';
import { getCodexRolloutFiles } from './codex/paths.js';
import { addDiagnostics } from './diagnostics.js';

export interface SourceOptions {
  env?: NodeJS.ProcessEnv;
  /** Files last modified before this instant are not read. */
  sinceMs?: number;
  /** Folder of the incremental cache, or null for none. */
  cacheDir?: string | null;
}

export interface SourceRead {
  events: UsageEvent[];
  diagnostics: ReadDiagnostics;
}

export const SOURCES: Record<Agent, (options: SourceOptions) => Promise<SourceRead>> = {
  'claude-code': (options) => readClaudeCode(options),
  codex: async (options) => {
    // The Codex parser validates lines with zod: load it only when there are rollouts to read.
    if ((await getCodexRolloutFiles(options.env)).length === 0) return { events: [], diagnostics: emptyDiagnostics() };
    const { readCodexSessions } = await import('./codex/index.js');
    return readCodexSessions({ env: options.env, since: options.sinceMs === undefined ? undefined : new Date(options.sinceMs) });
  },
};

/** Reads the given agents and merges their events and diagnostics. */
export async function readUsage(agents: readonly Agent[], options: SourceOptions): Promise<SourceRead> {
  const reads = await Promise.all(agents.map((agent) => SOURCES[agent](options)));
  const diagnostics = emptyDiagnostics();
  const events: UsageEvent[] = [];
  for (const read of reads) {
    for (const event of read.events) events.push(event);
    addDiagnostics(diagnostics, read.diagnostics);
  }
  return { events, diagnostics };
}
