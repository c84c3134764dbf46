/**
 * The one way a partial is put together, shared by `buildPartial` and `mergePartials`: keep the
 * newest capture of each session, then derive everything else from the kept sessions. Building
 * from all summaries and merging shard partials therefore run the same code on the same rows.
 */
import { deriveDailyRows } from './daily.js';
import { PartialError } from './errors.js';
import { PARTIAL_SCHEMA, type AggregatePartial, type PartialSource, type SessionRow } from './partial-schema.js';
import { keepDetailOfNewest, keepNewestCaptures } from './session-row.js';

export interface PartialParts {
  timezone: string;
  builtBy: string;
  sources: PartialSource[];
  rows: Iterable<SessionRow>;
  /** Duplicates already dropped before `rows` (inside the partials being merged). */
  duplicatesDropped: number;
}

export function assemblePartial(parts: PartialParts): AggregatePartial {
  const { sessions: kept, dropped } = keepNewestCaptures(parts.rows);
  const sessions = keepDetailOfNewest(kept);
  return {
    schema: PARTIAL_SCHEMA,
    builtBy: parts.builtBy,
    priceTables: [...new Set(sessions.map((session) => session.priceTable))].sort(),
    timezone: parts.timezone,
    duplicateSessions: parts.duplicatesDropped + dropped,
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
