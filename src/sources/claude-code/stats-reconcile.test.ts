import { describe, expect, it } from 'vitest';
import { dayKeyIn } from '../../dates.js';
import { event } from '../../../test/helpers/events.js';
import { statsCacheSchema, type StatsCache } from './stats-cache.js';
import { reconcileStatsCache } from './stats-reconcile.js';

const utc = dayKeyIn('UTC');

function cache(days: Record<string, Record<string, number>>, lastComputedDate = '2026-05-03'): StatsCache {
  return statsCacheSchema.parse({ version: 2, lastComputedDate, dailyModelTokens: Object.entries(days).map(([date, tokensByModel]) => ({ date, tokensByModel })) });
}

/** One transcript response: `input + output` is what the cache counts; cache tokens are left out. */
function response(timestamp: string, input: number, output: number, model = 'claude-opus-4-6') {
  return event({ timestamp, model, tokens: { input, output, cacheRead: 50_000, cacheWrite5m: 2_000 } });
}

describe('reconcileStatsCache', () => {
  it('classifies a deleted-transcript day, a double-counted day and a match', () => {
    const stats = cache({
      '2026-05-01': { 'claude-opus-4-6': 900 }, // transcripts deleted: only the cache remembers the day
      '2026-05-02': { 'claude-opus-4-6': 2 * (10 + 190) }, // the response's two streamed lines, each counted
      '2026-05-03': { 'claude-opus-4-6': 110, 'claude-haiku-4-5': 7 },
    });
    const events = [response('2026-05-02T09:00:00Z', 10, 190), response('2026-05-03T09:00:00Z', 100, 10), response('2026-05-03T09:30:00Z', 3, 4, 'claude-haiku-4-5')];
    const result = reconcileStatsCache(stats, events, utc);
    expect(result.rows).toEqual([
      { day: '2026-05-01', model: 'claude-opus-4-6', cache: 900, transcripts: 0, kind: 'transcripts-gone' },
      { day: '2026-05-02', model: 'claude-opus-4-6', cache: 400, transcripts: 200, kind: 'cache-higher' },
      { day: '2026-05-03', model: 'claude-haiku-4-5', cache: 7, transcripts: 7, kind: 'match' },
      { day: '2026-05-03', model: 'claude-opus-4-6', cache: 110, transcripts: 110, kind: 'match' },
    ]);
    expect(result.verdict).toBe('gaps');
    expect(result.totals).toEqual({ cache: 1417, transcripts: 317 });
    expect(result.counts).toEqual({ match: 2, 'transcripts-gone': 1, 'cache-higher': 1, 'cache-lower': 0, 'not-yet-cached': 0 });
  });

  it('tells a model missing from a computed day (cache lower) from a day after lastComputedDate (not yet cached)', () => {
    const stats = cache({ '2026-05-03': { 'claude-opus-4-6': 20 } });
    const events = [response('2026-05-03T09:00:00Z', 10, 10), response('2026-05-03T09:05:00Z', 5, 1, 'claude-haiku-4-5'), response('2026-05-04T09:00:00Z', 8, 8)];
    expect(reconcileStatsCache(stats, events, utc).rows.map((row) => [row.day, row.model, row.kind])).toEqual([
      ['2026-05-03', 'claude-haiku-4-5', 'cache-lower'],
      ['2026-05-03', 'claude-opus-4-6', 'match'],
      ['2026-05-04', 'claude-opus-4-6', 'not-yet-cached'],
    ]);
  });

  it('buckets responses by local day, as the cache does', () => {
    const stats = cache({ '2026-05-03': { 'claude-opus-4-6': 5 } });
    const lateEvening = [response('2026-05-02T23:30:00Z', 2, 3)]; // 2026-05-03 08:30 in Tokyo
    expect(reconcileStatsCache(stats, lateEvening, dayKeyIn('Asia/Tokyo')).verdict).toBe('consistent');
    expect(reconcileStatsCache(stats, lateEvening, utc).rows.map((row) => row.kind)).toEqual(['cache-lower', 'transcripts-gone']);
  });

  it('compares only Claude Code responses', () => {
    const stats = cache({ '2026-05-03': { 'claude-opus-4-6': 5 } });
    const events = [response('2026-05-03T09:00:00Z', 2, 3), { ...response('2026-05-03T09:00:00Z', 50, 50, 'gpt-5-codex'), agent: 'codex' as const }];
    expect(reconcileStatsCache(stats, events, utc).verdict).toBe('consistent');
  });
});
