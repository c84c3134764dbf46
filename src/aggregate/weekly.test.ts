import { describe, expect, it } from 'vitest';
import { summary } from '../../test/helpers/summaries.js';
import { buildPartial } from './build.js';
import { addDays, delta, weeklyDeltas } from './weekly.js';

function session(startedAt: string, input: number, cacheRead = 0, costUSD = 0) {
  return summary({ startedAt, models: [{ model: 'claude-opus-4-6', tokens: { input, cacheRead }, costUSD }] });
}

function partialOf(timezone: string, byRepository: Record<string, ReturnType<typeof session>[]>) {
  return buildPartial(
    Object.entries(byRepository).map(([repository, summaries]) => ({ repository, dataRef: 'token-data', tip: null, summaries, invalidFiles: 0 })),
    { timezone, builtBy: '0.1.0' },
  );
}

describe('weeklyDeltas', () => {
  // 2020 has an ISO week 53: Monday 28 December 2020 to Sunday 3 January 2021. 2021-W01 starts on 4 January.
  const yearEnd = partialOf('UTC', {
    'acme/app': [
      session('2020-12-27T10:00:00Z', 1000), // 2020-W52: in no ISO window, in the previous rolling window
      session('2020-12-28T10:00:00Z', 100, 300, 1), // 2020-W53
      session('2021-01-03T23:00:00Z', 300, 100, 2), // 2020-W53, Sunday
      session('2021-01-04T00:00:00Z', 50, 50, 0.5), // 2021-W01
    ],
    'acme/web': [session('2021-01-05T09:00:00Z', 10)],
  });

  it('compares ISO week 1 with week 53 of the year before', () => {
    const deltas = weeklyDeltas(yearEnd, { now: new Date('2021-01-06T12:00:00Z') });
    expect(deltas.today).toBe('2021-01-06');
    expect(deltas.isoWeek).toEqual({ current: '2021-W01', previous: '2020-W53' });
    const week = deltas.overall.isoWeek;
    // Current: 100 + 10 tokens in 2 sessions; previous: 400 + 400 in 2 sessions.
    expect(week.tokens).toEqual({ current: 110, previous: 800, change: 110 / 800 - 1, direction: 'down' });
    expect(week.sessions).toEqual({ current: 2, previous: 2, change: 0, direction: 'flat' });
    expect(week.medianTokensPerSession).toMatchObject({ current: 55, previous: 400 });
    expect(week.costUSD).toMatchObject({ current: 0.5, previous: 3 });
    // Cache-read share: 50 / 110 now, 400 / 800 before.
    expect(week.cacheReadShare.current).toBeCloseTo(50 / 110, 12);
    expect(week.cacheReadShare.previous).toBe(0.5);
    expect(week.cacheReadShare.direction).toBe('down');
  });

  it('compares the last 7 days with the 7 before, per repository too', () => {
    const deltas = weeklyDeltas(yearEnd, { now: new Date('2021-01-06T12:00:00Z') });
    expect(deltas.rolling).toEqual({ current: { from: '2020-12-31', to: '2021-01-06' }, previous: { from: '2020-12-24', to: '2020-12-30' } });
    // 31 Dec – 6 Jan: sessions of 3, 4 and 5 January; 24–30 Dec: those of 27 and 28 December.
    expect(deltas.overall.rolling.tokens).toMatchObject({ current: 400 + 100 + 10, previous: 1000 + 400 });
    expect(deltas.overall.rolling.sessions).toMatchObject({ current: 3, previous: 2, change: 0.5, direction: 'up' });
    expect(deltas.repositories.map((scope) => scope.repository)).toEqual(['acme/app', 'acme/web']);
    const [app, web] = deltas.repositories;
    expect(app!.isoWeek.tokens).toMatchObject({ current: 100, previous: 800 });
    expect(web!.isoWeek.tokens).toEqual({ current: 10, previous: 0, change: null, direction: 'up' });
    expect(web!.rolling.medianTokensPerSession).toEqual({ current: 10, previous: 0, change: null, direction: 'up' });
  });

  it('keeps to one repository when asked', () => {
    const deltas = weeklyDeltas(yearEnd, { now: new Date('2021-01-06T12:00:00Z'), repository: 'acme/web' });
    expect(deltas.repositories.map((scope) => scope.repository)).toEqual(['acme/web']);
    expect(deltas.overall.isoWeek.tokens).toMatchObject({ current: 10, previous: 0 });
  });

  it('uses the partial time zone for today and for the session days', () => {
    // 23:15Z on Sunday 3 January is 00:15 on Monday 4 January in Berlin: this week there, last week in UTC.
    const sessions = { 'acme/app': [session('2021-01-03T23:15:00Z', 70)] };
    const now = new Date('2021-01-03T23:30:00Z');
    const berlin = weeklyDeltas(partialOf('Europe/Berlin', sessions), { now });
    expect(berlin.today).toBe('2021-01-04');
    expect(berlin.isoWeek.current).toBe('2021-W01');
    expect(berlin.overall.isoWeek.tokens).toMatchObject({ current: 70, previous: 0 });
    const utc = weeklyDeltas(partialOf('UTC', sessions), { now });
    expect(utc.isoWeek.current).toBe('2020-W53');
    expect(utc.overall.isoWeek.tokens).toMatchObject({ current: 70, previous: 0 });
    // Rolling windows end today in both zones, so the session is in the current 7 days either way.
    expect(utc.overall.rolling.sessions.current).toBe(1);
  });

  it('reports an empty week as zeros: down from a busy week, flat from an empty one', () => {
    const partial = partialOf('UTC', { 'acme/app': [session('2026-05-05T10:00:00Z', 500, 500, 1)] });
    const next = weeklyDeltas(partial, { now: new Date('2026-05-13T12:00:00Z') });
    expect(next.overall.isoWeek.tokens).toEqual({ current: 0, previous: 1000, change: -1, direction: 'down' });
    expect(next.overall.isoWeek.medianTokensPerSession).toEqual({ current: 0, previous: 1000, change: -1, direction: 'down' });
    expect(next.overall.isoWeek.cacheReadShare).toEqual({ current: 0, previous: 0.5, change: -1, direction: 'down' });
    const later = weeklyDeltas(partial, { now: new Date('2026-06-30T12:00:00Z') });
    expect(later.overall.isoWeek.sessions).toEqual({ current: 0, previous: 0, change: null, direction: 'flat' });
    expect(later.repositories[0]!.rolling.tokens).toEqual({ current: 0, previous: 0, change: null, direction: 'flat' });
  });
});

describe('delta', () => {
  it('calls changes within ±1% flat', () => {
    expect(delta(101, 100).direction).toBe('flat');
    expect(delta(99, 100).direction).toBe('flat');
    expect(delta(102, 100)).toMatchObject({ direction: 'up' });
    expect(delta(98, 100)).toMatchObject({ direction: 'down' });
    expect(delta(0, 0)).toEqual({ current: 0, previous: 0, change: null, direction: 'flat' });
  });
});

describe('addDays', () => {
  it('adds calendar days across month and year ends', () => {
    expect(addDays('2021-01-03', -7)).toBe('2020-12-27');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
});
