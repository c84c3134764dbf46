/** Small sums over daily rows and sessions that several pages share. */
import type { DailyRow, SessionRow } from '../../aggregate/index.js';
import { isoWeek } from '../../dates.js';
import type { TokensByType } from '../charts/trend.js';
import { inputSideTokens } from '../../sources/events.js';

export function tokensByDay(rows: Iterable<DailyRow>): Map<string, TokensByType> {
  const byDay = new Map<string, TokensByType>();
  for (const row of rows) {
    let day = byDay.get(row.date);
    if (!day) byDay.set(row.date, (day = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }));
    day.input += row.tokens.input;
    day.output += row.tokens.output;
    day.cacheWrite5m += row.tokens.cacheWrite5m;
    day.cacheWrite1h += row.tokens.cacheWrite1h;
    day.cacheRead += row.tokens.cacheRead;
  }
  return byDay;
}

/** Sums `value` per key; keys in first-seen order. */
export function sumBy<T>(items: Iterable<T>, key: (item: T) => string, value: (item: T) => number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const item of items) {
    const at = key(item);
    sums.set(at, (sums.get(at) ?? 0) + value(item));
  }
  return sums;
}

/** Entries sorted by value, largest first, then by key. */
export function largestFirst(sums: Map<string, number>): [string, number][] {
  return [...sums.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** The ISO weeks covering `days`, oldest first. */
export function weeksOf(days: readonly string[]): string[] {
  return [...new Set(days.map(isoWeek))];
}

export function inDays<T extends { date: string }>(rows: readonly T[], from: string, to: string): T[] {
  return rows.filter((row) => row.date >= from && row.date <= to);
}

/** cacheRead / everything read as input (fresh input, cache writes, cache reads). */
export function cacheReadShare(tokens: SessionRow['tokens']): number {
  const inputSide = inputSideTokens(tokens);
  return inputSide === 0 ? 0 : tokens.cacheRead / inputSide;
}
