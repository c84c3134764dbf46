import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { event, tool } from '../../test/helpers/events.js';
import { emptyDiagnostics, TOKEN_TYPES, type ReadDiagnostics, type UsageEvent } from '../sources/events.js';
import { PHASES } from '../sources/phase.js';
import { PRICE_TABLE_VERSION } from '../summary/price.js';
import { buildUsageReport, REPORT_KINDS, ROW_KEY, type ReportKind, type ReportOptions, type UsageReport } from './usage-report.js';

function report(events: UsageEvent[], kind: ReportKind, options: Partial<ReportOptions> = {}, diagnostics: ReadDiagnostics = emptyDiagnostics()): UsageReport {
  return buildUsageReport(events, diagnostics, { kind, timeZone: 'UTC', ...options });
}

/** The rows as [key, requests, totalTokens] triples. */
function keyed(r: UsageReport): [unknown, number, number][] {
  return r.rows.map((row) => [row[ROW_KEY[r.report]], row.requests, row.totalTokens]);
}

describe('buildUsageReport: grouping', () => {
  const evening = [
    event({ timestamp: '2026-05-04T10:00:00Z', tokens: { input: 1 } }),
    event({ timestamp: '2026-05-04T23:30:00Z', tokens: { input: 10 } }),
    event({ timestamp: '2026-05-05T01:00:00Z', tokens: { input: 100 } }),
  ];

  it('groups by local day (daily)', () => {
    expect(keyed(report(evening, 'daily'))).toEqual([
      ['2026-05-04', 2, 11],
      ['2026-05-05', 1, 100],
    ]);
    // In Tokyo (UTC+9) 23:30Z is already the 5th: 19:00, 08:30 and 10:00 local.
    expect(keyed(report(evening, 'daily', { timeZone: 'Asia/Tokyo' }))).toEqual([
      ['2026-05-04', 1, 1],
      ['2026-05-05', 2, 110],
    ]);
  });

  it('groups by ISO week (weekly), weeks starting on Monday', () => {
    // 2026-05-03 is a Sunday (W18), 2026-05-04 the Monday after (W19).
    const events = [event({ timestamp: '2026-05-03T12:00:00Z', tokens: { output: 2 } }), event({ timestamp: '2026-05-04T12:00:00Z', tokens: { output: 3 } }), event({ timestamp: '2026-05-10T12:00:00Z', tokens: { output: 4 } })];
    expect(keyed(report(events, 'weekly'))).toEqual([
      ['2026-W18', 1, 2],
      ['2026-W19', 2, 7],
    ]);
  });

  it('groups by month (monthly) in the given zone', () => {
    const events = [event({ timestamp: '2026-04-30T20:00:00Z', tokens: { cacheRead: 5 } }), event({ timestamp: '2026-05-01T01:00:00Z', tokens: { cacheRead: 7 } })];
    expect(keyed(report(events, 'monthly'))).toEqual([
      ['2026-04', 1, 5],
      ['2026-05', 1, 7],
    ]);
    // 20:00Z on 30 April is 05:00 on 1 May in Tokyo.
    expect(keyed(report(events, 'monthly', { timeZone: 'Asia/Tokyo' }))).toEqual([['2026-05', 2, 12]]);
  });

  it('groups by session, keeping agents apart and giving first and last activity', () => {
    const events = [
      event({ sessionId: 'A', timestamp: '2026-05-04T09:00:00Z', tokens: { input: 1 } }),
      event({ sessionId: 'A', timestamp: '2026-05-04T12:00:00Z', tokens: { input: 2 }, isSidechain: true, agentId: 'x' }),
      event({ sessionId: 'B', timestamp: '2026-05-04T10:00:00Z', tokens: { input: 4 }, project: '-home-dev-other' }),
      event({ sessionId: 'A', agent: 'codex', project: '', timestamp: '2026-05-04T08:00:00Z', model: 'gpt-5', tokens: { input: 8 } }),
    ];
    const r = report(events, 'session');
    // Sorted by last activity: codex A (08:00), B (10:00), claude A (12:00).
    expect(r.rows.map((row) => [row.agent, row.sessionId, row.project, row.requests, row.totalTokens, row.firstActivity, row.lastActivity])).toEqual([
      ['codex', 'A', '', 1, 8, '2026-05-04T08:00:00.000Z', '2026-05-04T08:00:00.000Z'],
      ['claude-code', 'B', '-home-dev-other', 1, 4, '2026-05-04T10:00:00.000Z', '2026-05-04T10:00:00.000Z'],
      ['claude-code', 'A', '-home-dev-app', 2, 3, '2026-05-04T09:00:00.000Z', '2026-05-04T12:00:00.000Z'],
    ]);
  });

  it('groups by project, naming a missing project (none)', () => {
    const events = [event({ project: '-home-dev-b', tokens: { input: 1 } }), event({ project: '-home-dev-a', tokens: { input: 2 } }), event({ project: '', tokens: { input: 4 } }), event({ project: '-home-dev-a', tokens: { input: 8 } })];
    expect(keyed(report(events, 'project'))).toEqual([
      ['(none)', 1, 4],
      ['-home-dev-a', 2, 10],
      ['-home-dev-b', 1, 1],
    ]);
  });

  it('groups by model, listing each row\'s models', () => {
    const events = [event({ model: 'claude-opus-4-6', tokens: { output: 1 } }), event({ model: 'claude-haiku-4-5', tokens: { output: 2 } }), event({ model: 'claude-opus-4-6', tokens: { output: 4 } })];
    const r = report(events, 'model');
    expect(keyed(r)).toEqual([
      ['claude-haiku-4-5', 1, 2],
      ['claude-opus-4-6', 2, 5],
    ]);
    expect(r.rows.map((row) => row.models)).toEqual([['claude-haiku-4-5'], ['claude-opus-4-6']]);
    // A daily row lists every model of the day, sorted.
    expect(report(events, 'daily').rows[0]!.models).toEqual(['claude-haiku-4-5', 'claude-opus-4-6']);
  });

  it('groups by phase with fractional requests, tool calls, biggest phase first', () => {
    // Response 1: 90 output over Read, Read, Edit -> exploration 60 (2 calls), execution 30.
    // Response 2: no tools, same turn -> the turn's dominant phase, exploration: +9.
    // Response 3: other session, no tools anywhere -> other: 4.
    const events = [
      event({ tokens: { output: 90 }, tools: [tool('Read'), tool('Read'), tool('Edit')] }),
      event({ tokens: { output: 9 } }),
      event({ sessionId: 's2', tokens: { output: 4 } }),
    ];
    const r = report(events, 'phase');
    expect(r.rows.map((row) => [row.phase, row.totalTokens, row.toolCalls, row.requests])).toEqual([
      ['exploration', 69, 2, 1.67], // 2/3 + 1
      ['execution', 30, 1, 0.33],
      ['other', 4, 0, 1],
    ]);
    expect(r.totals.requests).toBe(3);
    expect(r.totals.totalTokens).toBe(103);
  });

  it('splits cost over phases the way it splits tokens', () => {
    // 1,000,000 input on claude-opus-4-6 is $5 (prices.json: input 5 per million), over Read and Edit.
    const r = report([event({ tokens: { input: 1_000_000 }, tools: [tool('Read'), tool('Edit')] })], 'phase');
    // Equal totals keep the alphabetical order of the phase names.
    expect(r.rows.map((row) => [row.phase, row.inputTokens, row.costUSD])).toEqual([
      ['execution', 500_000, 2.5],
      ['exploration', 500_000, 2.5],
    ]);
  });
});

describe('buildUsageReport: since and until', () => {
  const events = [
    event({ timestamp: '2026-05-03T23:59:59.999Z', tokens: { input: 1 } }),
    event({ timestamp: '2026-05-04T00:00:00Z', tokens: { input: 2 } }),
    event({ timestamp: '2026-05-05T23:59:59.999Z', tokens: { input: 4 } }),
    event({ timestamp: '2026-05-06T00:00:00Z', tokens: { input: 8 } }),
  ];

  it('includes both end days, in UTC', () => {
    const r = report(events, 'daily', { since: '2026-05-04', until: '2026-05-05' });
    expect(r.totals.inputTokens).toBe(6);
    expect(r.since).toBe('2026-05-04');
    expect(r.until).toBe('2026-05-05');
  });

  it('applies either bound alone', () => {
    expect(report(events, 'daily', { since: '2026-05-05' }).totals.inputTokens).toBe(12);
    expect(report(events, 'daily', { until: '2026-05-03' }).totals.inputTokens).toBe(1);
  });

  it('reads the bounds as local days of the given zone', () => {
    // In Tokyo 2026-05-04 runs from 2026-05-03T15:00Z to 2026-05-04T14:59:59.999Z: only the first two.
    const r = report(events, 'daily', { since: '2026-05-04', until: '2026-05-04', timeZone: 'Asia/Tokyo' });
    expect(r.totals.inputTokens).toBe(3);
    expect(r.timezone).toBe('Asia/Tokyo');
  });

  it('reports null bounds when none are given', () => {
    const r = report(events, 'daily');
    expect([r.since, r.until]).toEqual([null, null]);
    expect(r.totals.inputTokens).toBe(15);
  });

  it('leaves filtered-out events out of phase turns too', () => {
    // The tool call is on the 3rd (filtered out); the answer on the 4th then has a turn without tools.
    const r = report([event({ timestamp: '2026-05-03T12:00:00Z', tools: [tool('Edit')] }), event({ timestamp: '2026-05-04T12:00:00Z', tokens: { output: 5 } })], 'phase', { since: '2026-05-04' });
    expect(r.rows.map((row) => row.phase)).toEqual(['other']);
  });
});

describe('buildUsageReport: figures', () => {
  it('computes the cache-read share of input-side tokens, to four decimals', () => {
    // 750 / (100 + 100 + 50 + 750) = 0.75
    expect(report([event({ tokens: { input: 100, cacheWrite5m: 100, cacheWrite1h: 50, cacheRead: 750, output: 999 } })], 'daily').totals.cacheReadShare).toBe(0.75);
    // 1 / 3 = 0.33333… -> 0.3333
    expect(report([event({ tokens: { input: 2, cacheRead: 1 } })], 'daily').totals.cacheReadShare).toBe(0.3333);
    // No input side at all: 0, not NaN.
    expect(report([event({ tokens: { output: 5 } })], 'daily').totals.cacheReadShare).toBe(0);
  });

  it('keeps cache writes apart and adds them up as cacheCreationTokens', () => {
    const t = report([event({ tokens: { cacheWrite5m: 3, cacheWrite1h: 4 } })], 'daily').totals;
    expect([t.cacheCreation5mTokens, t.cacheCreation1hTokens, t.cacheCreationTokens, t.totalTokens]).toEqual([3, 4, 7, 7]);
  });

  it('prices responses with the price table', () => {
    // claude-opus-4-6: 1M input $5 + 100k output $2.50; claude-haiku-4-5: 1M cache read $0.10.
    const r = report([event({ tokens: { input: 1_000_000, output: 100_000 } }), event({ model: 'claude-haiku-4-5', tokens: { cacheRead: 1_000_000 } })], 'model');
    expect(r.totals.costUSD).toBeCloseTo(7.6, 9);
    expect(r.rows.map((row) => row.costUSD)).toEqual([0.1, 7.5]);
    expect(r.priceTable).toBe(PRICE_TABLE_VERSION);
  });

  it('lists unpriced models in the totals and in the rows they occur in, counting their tokens', () => {
    const r = report(
      [event({ timestamp: '2026-05-04T10:00:00Z', model: 'mystery-model-9', tokens: { input: 1_000_000 } }), event({ timestamp: '2026-05-05T10:00:00Z', tokens: { input: 1_000_000 } })],
      'daily',
    );
    expect(r.totals.unpricedModels).toEqual(['mystery-model-9']);
    expect(r.totals.costUSD).toBeCloseTo(5, 9);
    expect(r.totals.inputTokens).toBe(2_000_000);
    expect(r.rows.map((row) => [row.date, row.unpricedModels, row.costUSD])).toEqual([
      ['2026-05-04', ['mystery-model-9'], 0],
      ['2026-05-05', [], 5],
    ]);
  });

  it('is empty, with zero totals, when no event is in range', () => {
    const r = report([event({ timestamp: '2026-01-01T00:00:00Z', tokens: { input: 5 } })], 'daily', { since: '2026-02-01' });
    expect(r.rows).toEqual([]);
    expect(r.totals.totalTokens).toBe(0);
    expect(r.totals.requests).toBe(0);
  });
});

describe('buildUsageReport: JSON shape', () => {
  const diagnostics: ReadDiagnostics = { filesRead: 2, lines: 30, responses: 5, duplicateLines: 4, malformedLines: 1, skippedLines: 3, malformedSamples: ['/x.jsonl:7: invalid JSON'] };
  const r = report([event({ tokens: { input: 1 } })], 'daily', {}, diagnostics);

  it('has the documented top-level fields', () => {
    expect(Object.keys(r).sort()).toEqual(['diagnostics', 'priceTable', 'report', 'rows', 'since', 'timezone', 'totals', 'until']);
    expect(r.report).toBe('daily');
  });

  it('names the totals fields like ccusage, plus the split cache writes, cost and unpriced models', () => {
    const documented = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheCreation5mTokens', 'cacheCreation1hTokens', 'cacheReadTokens', 'totalTokens', 'costUSD', 'unpricedModels'];
    expect(Object.keys(r.totals).sort()).toEqual([...documented, 'cacheReadShare', 'requests'].sort());
    const row = r.rows[0]!;
    for (const key of documented) expect(row).toHaveProperty(key);
  });

  it('copies the diagnostics counts, without the samples of malformed lines (which hold paths)', () => {
    expect(r.diagnostics).toEqual({ filesRead: 2, lines: 30, responses: 5, duplicateLines: 4, malformedLines: 1, skippedLines: 3 });
    expect(JSON.stringify(r)).not.toContain('/x.jsonl');
  });

  it('serializes to JSON and back unchanged', () => {
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('buildUsageReport: totals equal the sum of rows (property)', () => {
  const count = fc.nat({ max: 2_000_000 });
  const arbitraryEvent = fc
    .record({
      day: fc.integer({ min: 0, max: 60 }),
      minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
      sessionId: fc.constantFrom('s1', 's2', 's3'),
      agent: fc.constantFrom('claude-code' as const, 'codex' as const),
      project: fc.constantFrom('-home-dev-app', '-home-dev-other', ''),
      model: fc.constantFrom('claude-opus-4-6', 'claude-haiku-4-5', 'gpt-5', 'mystery-model-9'),
      tokens: fc.record({ input: count, output: count, cacheWrite5m: count, cacheWrite1h: count, cacheRead: count }),
      tools: fc.array(fc.record({ name: fc.constantFrom('Read', 'Edit', 'Bash'), phase: fc.constantFrom(...PHASES) }), { maxLength: 5 }),
      turn: fc.integer({ min: 0, max: 3 }),
      sidechain: fc.option(fc.constantFrom('a1', 'b2'), { nil: null }),
    })
    .map((e) =>
      event({
        timestamp: new Date(Date.parse('2026-03-01T00:00:00Z') + e.day * 86_400_000 + e.minute * 60_000).toISOString(),
        sessionId: e.sessionId,
        agent: e.agent,
        project: e.project,
        model: e.model,
        tokens: e.tokens,
        tools: e.tools,
        turn: e.turn,
        isSidechain: e.sidechain !== null,
        agentId: e.sidechain,
      }),
    );

  for (const kind of REPORT_KINDS) {
    it(`adds ${kind} rows up to the totals: tokens exactly, cost and requests to rounding`, () => {
      fc.assert(
        fc.property(fc.array(arbitraryEvent, { maxLength: 25 }), fc.constantFrom('UTC', 'Asia/Tokyo', 'America/New_York'), (events, timeZone) => {
          const r = report(events, kind, { timeZone });
          const figures = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheCreation5mTokens', 'cacheCreation1hTokens', 'cacheReadTokens', 'totalTokens'] as const;
          for (const figure of figures) expect(r.rows.reduce((sum, row) => sum + row[figure], 0), figure).toBe(r.totals[figure]);
          // Totals are the events' own sums.
          const sum = (type: (typeof TOKEN_TYPES)[number]) => events.reduce((total, e) => total + e.tokens[type], 0);
          expect([r.totals.inputTokens, r.totals.outputTokens, r.totals.cacheCreation5mTokens, r.totals.cacheCreation1hTokens, r.totals.cacheReadTokens]).toEqual(
            [sum('input'), sum('output'), sum('cacheWrite5m'), sum('cacheWrite1h'), sum('cacheRead')],
          );
          expect(r.totals.totalTokens).toBe(events.reduce((sum, e) => sum + TOKEN_TYPES.reduce((s, type) => s + e.tokens[type], 0), 0));
          expect(r.totals.requests).toBe(events.length);
          // Each row's cost is rounded to a millionth of a dollar; phase requests to a hundredth.
          expect(Math.abs(r.rows.reduce((sum, row) => sum + row.costUSD, 0) - r.totals.costUSD)).toBeLessThanOrEqual(1e-6 * (r.rows.length + 1));
          expect(Math.abs(r.rows.reduce((sum, row) => sum + row.requests, 0) - r.totals.requests)).toBeLessThanOrEqual(0.005 * r.rows.length + 1e-9);
          expect(new Set(r.rows.flatMap((row) => row.unpricedModels))).toEqual(new Set(r.totals.unpricedModels));
          expect(r.totals.unpricedModels.includes('mystery-model-9')).toBe(events.some((e) => e.model === 'mystery-model-9'));
          // Keys are unique within a report.
          expect(new Set(r.rows.map((row) => `${row[ROW_KEY[kind]]}|${String(row.agent ?? '')}`)).size).toBe(r.rows.length);
        }),
        { numRuns: 150 },
      );
    });
  }
});
