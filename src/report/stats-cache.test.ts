import { describe, expect, it } from 'vitest';
import type { StatsCacheCheck } from '../sources/claude-code/stats-cache.js';
import type { DayModelComparison, GapKind } from '../sources/claude-code/stats-reconcile.js';
import { describeStatsCacheChecks } from './stats-cache.js';

function check(rows: DayModelComparison[]): StatsCacheCheck {
  const counts = { match: 0, 'transcripts-gone': 0, 'cache-higher': 0, 'cache-lower': 0, 'not-yet-cached': 0 } as Record<GapKind, number>;
  for (const row of rows) counts[row.kind]++;
  return {
    file: '/home/me/.claude/stats-cache.json',
    timeZone: 'Asia/Tokyo',
    reconciliation: {
      lastComputedDate: '2026-02-13',
      verdict: rows.every((row) => row.kind === 'match') ? 'consistent' : 'gaps',
      totals: { cache: rows.reduce((sum, row) => sum + row.cache, 0), transcripts: rows.reduce((sum, row) => sum + row.transcripts, 0) },
      counts,
      rows,
    },
  };
}

describe('describeStatsCacheChecks', () => {
  it('says so in one line when the cache agrees', () => {
    expect(describeStatsCacheChecks([check([{ day: '2026-02-12', model: 'claude-opus-4-6', cache: 5, transcripts: 5, kind: 'match' }])])).toEqual([
      'Claude Code stats cache (/usage) against the transcripts',
      '  /home/me/.claude/stats-cache.json (input+output tokens per day in Asia/Tokyo, computed through 2026-02-13)',
      '  matches the transcripts on all 1 day/model totals: the numbers agree.',
    ]);
  });

  it('lists the gap days with what each kind of gap means', () => {
    const text = describeStatsCacheChecks([
      check([
        { day: '2026-01-02', model: 'claude-sonnet-4-5', cache: 12_000, transcripts: 0, kind: 'transcripts-gone' },
        { day: '2026-02-12', model: 'claude-opus-4-6', cache: 330, transcripts: 225, kind: 'cache-higher' },
        { day: '2026-02-12', model: 'claude-haiku-4-5', cache: 20, transcripts: 20, kind: 'match' },
      ]),
      { file: '/work/.claude/stats-cache.json', timeZone: 'Asia/Tokyo', error: '/work/.claude/stats-cache.json: dailyModelTokens: expected array, received number' },
    ]);
    expect(text).toEqual([
      'Claude Code stats cache (/usage) against the transcripts',
      '  /home/me/.claude/stats-cache.json (input+output tokens per day in Asia/Tokyo, computed through 2026-02-13)',
      '  differs from the transcripts on 2 day(s), 2 of 3 day/model totals: cache 12,350, transcripts 245 tokens (tokenledger counts the transcripts).',
      '    2026-01-02  claude-sonnet-4-5  cache 12,000  transcripts   0  no transcripts',
      '    2026-02-12  claude-opus-4-6    cache    330  transcripts 225  cache higher',
      '  no transcripts: the transcripts are gone (Claude Code deletes them after cleanupPeriodDays, 30 by default) or were never on this machine; only the cache remembers these days.',
      "  cache higher: the cache counts every streamed line of a response (anthropics/claude-code#91775), or some of the day's transcripts are gone.",
      '  /work/.claude/stats-cache.json: dailyModelTokens: expected array, received number',
    ]);
  });

  it('says when there is nothing to compare', () => {
    expect(describeStatsCacheChecks([])).toEqual(['Claude Code stats cache (/usage) against the transcripts', '  no stats-cache.json in the Claude Code config folders: nothing to compare']);
  });
});
