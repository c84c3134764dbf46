/**
 * Week-over-week deltas for the PR comment and the site overview: this ISO week against the
 * previous one, and the last 7 days against the 7 before, in the partial's time zone. Sessions
 * count on the local day they started (as in the daily rows).
 *
 * Both current windows include today, so early in a week "this week" is a partial week against
 * a whole one; the rolling window exists for a comparison of equal lengths.
 */
import { median } from './statistics/descriptive.js';
import { dayKeyIn, isoWeek } from '../dates.js';
import type { AggregatePartial, SessionRow } from './partial-schema.js';
import { inputSideTokens } from '../sources/events.js';

/** Changes within ±1% read as flat: week-to-week noise is larger than that. */
const FLAT_WITHIN = 0.01;

export type Direction = 'up' | 'down' | 'flat';

export interface Delta {
  current: number;
  previous: number;
  /** current / previous − 1; null when previous is 0. */
  change: number | null;
  direction: Direction;
}

export interface WindowMetrics {
  tokens: number;
  costUSD: number;
  sessions: number;
  /** 0 when there are no sessions. */
  medianTokensPerSession: number;
  /** cacheRead / (input + cacheWrite5m + cacheWrite1h + cacheRead); 0 when there is no input. */
  cacheReadShare: number;
}

export type MetricDeltas = { [K in keyof WindowMetrics]: Delta };

export interface ScopeDeltas {
  /** null for all repositories together. */
  repository: string | null;
  isoWeek: MetricDeltas;
  rolling: MetricDeltas;
}

export interface WeeklyDeltas {
  timezone: string;
  /** `now` as a local day. */
  today: string;
  isoWeek: { current: string; previous: string };
  /** Inclusive `YYYY-MM-DD` ranges. */
  rolling: { current: DayRange; previous: DayRange };
  overall: ScopeDeltas;
  /** Every repository of the partial (or just `repository`), sorted, also the quiet ones. */
  repositories: ScopeDeltas[];
}

export interface DayRange {
  from: string;
  to: string;
}

export interface WeeklyOptions {
  now: Date;
  /** Only this repository (the PR comment's); `overall` then covers it alone. */
  repository?: string;
}

export function weeklyDeltas(partial: AggregatePartial, options: WeeklyOptions): WeeklyDeltas {
  const today = dayKeyIn(partial.timezone)(options.now.getTime());
  const weeks = { current: isoWeek(today), previous: isoWeek(addDays(today, -7)) };
  const rolling = { current: { from: addDays(today, -6), to: today }, previous: { from: addDays(today, -13), to: addDays(today, -7) } };

  const sessions = options.repository === undefined ? partial.sessions : partial.sessions.filter((row) => row.repository === options.repository);
  const repositories = options.repository === undefined ? [...new Set([...partial.sources.map((source) => source.repository), ...sessions.map((row) => row.repository)])].sort() : [options.repository];

  // Only sessions that can fall in a window are bucketed: the earliest window starts 13 days ago
  // (rolling) or on the Monday of last week, at most 13 days ago too.
  const dayOf = dayKeyIn(partial.timezone);
  const weekOf = memo(isoWeek);
  const buckets = new Map<string | null, Record<'weekCurrent' | 'weekPrevious' | 'rollCurrent' | 'rollPrevious', SessionRow[]>>();
  const bucketOf = (repository: string | null) => {
    let bucket = buckets.get(repository);
    if (!bucket) buckets.set(repository, (bucket = { weekCurrent: [], weekPrevious: [], rollCurrent: [], rollPrevious: [] }));
    return bucket;
  };
  for (const row of sessions) {
    const day = dayOf(Date.parse(row.startedAt));
    if (day < rolling.previous.from || day > today) continue;
    const week = weekOf(day);
    for (const bucket of [bucketOf(null), bucketOf(row.repository)]) {
      if (week === weeks.current) bucket.weekCurrent.push(row);
      else if (week === weeks.previous) bucket.weekPrevious.push(row);
      if (day >= rolling.current.from) bucket.rollCurrent.push(row);
      else if (day <= rolling.previous.to) bucket.rollPrevious.push(row);
    }
  }
  const scope = (repository: string | null): ScopeDeltas => {
    const bucket = bucketOf(repository);
    return {
      repository,
      isoWeek: compareMetrics(windowMetrics(bucket.weekCurrent), windowMetrics(bucket.weekPrevious)),
      rolling: compareMetrics(windowMetrics(bucket.rollCurrent), windowMetrics(bucket.rollPrevious)),
    };
  };
  return { timezone: partial.timezone, today, isoWeek: weeks, rolling, overall: scope(null), repositories: repositories.map(scope) };
}

export function windowMetrics(sessions: readonly SessionRow[]): WindowMetrics {
  let tokens = 0;
  let costUSD = 0;
  let cacheRead = 0;
  let inputSide = 0;
  for (const row of sessions) {
    tokens += row.tokens.total;
    costUSD += row.costUSD;
    cacheRead += row.tokens.cacheRead;
    inputSide += inputSideTokens(row.tokens);
  }
  return {
    tokens,
    costUSD: Math.round(costUSD * 1e6) / 1e6,
    sessions: sessions.length,
    // An empty window reads as 0 (JSON has no NaN); `change` then says there is nothing to compare.
    medianTokensPerSession: sessions.length === 0 ? 0 : median(sessions.map((row) => row.tokens.total)),
    cacheReadShare: inputSide === 0 ? 0 : cacheRead / inputSide,
  };
}

export function delta(current: number, previous: number): Delta {
  const change = previous === 0 ? null : current / previous - 1;
  // A hair of tolerance: 1.01 / 1 − 1 is 0.010000000000000009 in floating point.
  const direction: Direction = change === null ? (current > 0 ? 'up' : 'flat') : Math.abs(change) <= FLAT_WITHIN + 1e-12 ? 'flat' : change > 0 ? 'up' : 'down';
  return { current, previous, change, direction };
}

function compareMetrics(current: WindowMetrics, previous: WindowMetrics): MetricDeltas {
  return {
    tokens: delta(current.tokens, previous.tokens),
    costUSD: delta(current.costUSD, previous.costUSD),
    sessions: delta(current.sessions, previous.sessions),
    medianTokensPerSession: delta(current.medianTokensPerSession, previous.medianTokensPerSession),
    cacheReadShare: delta(current.cacheReadShare, previous.cacheReadShare),
  };
}


/** `YYYY-MM-DD` plus `days` (calendar days, so no time zone is involved). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function memo(fn: (day: string) => string): (day: string) => string {
  const cache = new Map<string, string>();
  return (day) => {
    let value = cache.get(day);
    if (value === undefined) cache.set(day, (value = fn(day)));
    return value;
  };
}
