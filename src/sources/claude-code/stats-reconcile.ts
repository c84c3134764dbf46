/**
 * Claude Code's stats cache against the transcripts, per local day and model. Pure.
 *
 * What the cache counts (the reference lists the fields, not their meaning; measured on the real
 * Eiji1202 cache): `dailyModelTokens` is input + output tokens, no cache reads or writes (each
 * model's days add up to exactly `modelUsage` input + output). Its days are local: the reference
 * is silent, but the same file's `hourCounts` put a 01:05Z session start at hour 10 (UTC+9), so
 * the caller buckets by this machine's time zone. Claude Code versions before 2.1.89 left subagent
 * transcripts out, and the `/usage` scanner counts every streamed line of a response
 * (anthropics/claude-code#91775); tokenledger counts each response once, subagents included, so
 * a gap says which side to trust rather than that one is broken.
 */
import type { UsageEvent } from '../events.js';
import type { StatsCache } from './stats-cache.js';

/**
 * - `match`: equal.
 * - `transcripts-gone`: the cache has the day, no transcript does (deleted after `cleanupPeriodDays`, or never here).
 * - `cache-higher`: the cache has more on a day that has transcripts (lines counted twice, or some transcripts gone).
 * - `cache-lower`: transcripts have more on a day the cache was computed for (e.g. subagents left out).
 * - `not-yet-cached`: transcripts have more after `lastComputedDate`: the cache has not been recomputed.
 */
export const GAP_KINDS = ['match', 'transcripts-gone', 'cache-higher', 'cache-lower', 'not-yet-cached'] as const;
export type GapKind = (typeof GAP_KINDS)[number];

export interface DayModelComparison {
  day: string;
  model: string;
  /** Input + output tokens. */
  cache: number;
  transcripts: number;
  kind: GapKind;
}

export interface StatsCacheReconciliation {
  lastComputedDate: string | null;
  verdict: 'consistent' | 'gaps';
  /** Input + output tokens over every compared day. */
  totals: { cache: number; transcripts: number };
  counts: Record<GapKind, number>;
  /** Every day and model either side has, by day then model. */
  rows: DayModelComparison[];
}

function classify(cache: number, transcripts: number, dayHasTranscripts: boolean, afterCache: boolean): GapKind {
  if (cache === transcripts) return 'match';
  if (cache > transcripts) return dayHasTranscripts ? 'cache-higher' : 'transcripts-gone';
  return afterCache ? 'not-yet-cached' : 'cache-lower';
}

/** `dayOf` maps an epoch-ms time to its local `YYYY-MM-DD` (see `dayKeyIn`). */
export function reconcileStatsCache(cache: StatsCache, events: readonly UsageEvent[], dayOf: (ms: number) => string): StatsCacheReconciliation {
  const key = (day: string, model: string) => `${day}\u0000${model}`;
  const cells = new Map<string, { day: string; model: string; cache: number; transcripts: number }>();
  const cell = (day: string, model: string) => {
    let found = cells.get(key(day, model));
    if (!found) cells.set(key(day, model), (found = { day, model, cache: 0, transcripts: 0 }));
    return found;
  };
  for (const entry of cache.dailyModelTokens) {
    for (const [model, tokens] of Object.entries(entry.tokensByModel)) cell(entry.date, model).cache += tokens;
  }
  const transcriptDays = new Set<string>();
  for (const event of events) {
    if (event.agent !== 'claude-code') continue;
    const day = dayOf(event.timestampMs);
    transcriptDays.add(day);
    cell(day, event.model).transcripts += event.tokens.input + event.tokens.output;
  }

  const lastComputedDate = cache.lastComputedDate ?? null;
  const counts = Object.fromEntries(GAP_KINDS.map((kind) => [kind, 0])) as Record<GapKind, number>;
  const totals = { cache: 0, transcripts: 0 };
  const rows: DayModelComparison[] = [];
  for (const { day, model, cache: cached, transcripts } of cells.values()) {
    if (cached === 0 && transcripts === 0) continue; // a cache-only response with no input or output
    const kind = classify(cached, transcripts, transcriptDays.has(day), lastComputedDate === null || day > lastComputedDate);
    counts[kind]++;
    totals.cache += cached;
    totals.transcripts += transcripts;
    rows.push({ day, model, cache: cached, transcripts, kind });
  }
  rows.sort((a, b) => (a.day === b.day ? (a.model < b.model ? -1 : 1) : a.day < b.day ? -1 : 1));
  return { lastComputedDate, verdict: rows.every((row) => row.kind === 'match') ? 'consistent' : 'gaps', totals, counts, rows };
}
