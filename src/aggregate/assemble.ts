/**
 * The one way a partial is put together, shared by `PartialBuilder` and `mergePartials`: pool
 * the session rows (newest capture of each id), then derive everything else from the kept
 * sessions. Building from all summaries and merging shard partials therefore run the same code
 * on the same rows.
 */
import { deriveDailyRows } from './daily.js';
import { PartialError } from './errors.js';
import { PARTIAL_SCHEMA, type AggregatePartial, type PartialSource } from './partial-schema.js';
import type { SessionPool } from './session-pool.js';

export interface PartialParts {
  timezone: string;
  builtBy: string;
  sources: PartialSource[];
  pool: SessionPool;
  /** Duplicates already dropped before the pool (inside the partials being merged). */
  duplicatesDropped: number;
}

export function assemblePartial(parts: PartialParts): AggregatePartial {
  const sessions = parts.pool.takeSessions();
  return {
    schema: PARTIAL_SCHEMA,
    builtBy: parts.builtBy,
    priceTables: [...new Set(sessions.map((session) => session.priceTable))].sort(),
    timezone: parts.timezone,
    duplicateSessions: parts.duplicatesDropped + parts.pool.dropped,
    sources: sortSources(parts.sources),
    daily: deriveDailyRows(sessions, parts.timezone),
    sessions,
  };
}

/**
 * Sources sorted by repository and ref. One source read twice would count its files twice
 * (and a merge of a shard with itself hides a mistake in the workflow), so it is an error.
 */
function sortSources(sources: readonly PartialSource[]): PartialSource[] {
  const sorted = sources.map((source) => ({ ...source })).sort((a, b) => compare(a.repository, b.repository) || compare(a.dataRef, b.dataRef));
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.repository === b.repository && a.dataRef === b.dataRef) {
      throw new PartialError(`repository ${a.repository} (${a.dataRef}) is in the input twice (tips ${a.tip ?? 'none'} and ${b.tip ?? 'none'}): aggregate each repository once`);
    }
  }
  return sorted;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
