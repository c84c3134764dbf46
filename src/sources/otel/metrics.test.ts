import { describe, expect, it } from 'vitest';
import { aggregateTokenPoints } from './metrics.js';
import type { TokenPoint } from './parse.js';

const at = (iso: string) => Date.parse(iso);

function point(overrides: Partial<TokenPoint>): TokenPoint {
  const type = overrides.type ?? 'input';
  return { sessionId: 's', model: 'm', speed: 'standard', type, value: 0, startMs: at('2026-05-01T10:00:00Z'), timeMs: at('2026-05-01T10:01:00Z'), temporality: 'delta', series: `s/m/${type}`, ...overrides };
}

describe('aggregateTokenPoints', () => {
  it('makes one event per session, model, speed and point time from delta points', () => {
    const { events, duplicatePoints } = aggregateTokenPoints([
      point({ type: 'input', value: 5 }),
      point({ type: 'output', value: 7 }),
      point({ type: 'cacheWrite5m', value: 300 }),
      point({ type: 'input', value: 2, timeMs: at('2026-05-01T10:02:00Z') }),
      point({ type: 'input', value: 4, model: 'other', series: 's/other/input' }),
    ]);
    expect(duplicatePoints).toBe(0);
    expect(events.map((e) => [e.model, new Date(e.timestampMs).toISOString(), e.tokens])).toEqual([
      ['m', '2026-05-01T10:01:00.000Z', { input: 5, output: 7, cacheWrite5m: 300, cacheWrite1h: 0, cacheRead: 0 }],
      ['other', '2026-05-01T10:01:00.000Z', { input: 4, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }],
      ['m', '2026-05-01T10:02:00.000Z', { input: 2, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }],
    ]);
    expect(events.every((e) => e.agent === 'claude-code' && e.requestKey.startsWith('otel\u0000metrics\u0000s\u0000'))).toBe(true);
  });

  it('counts a cumulative series by its increases, and a drop as a restart', () => {
    const cumulative = (value: number, minute: number) => point({ temporality: 'cumulative', value, timeMs: at(`2026-05-01T10:0${minute}:00Z`) });
    const { events } = aggregateTokenPoints([cumulative(30, 3), cumulative(10, 1), cumulative(30, 2), cumulative(4, 4)]);
    expect(events.map((e) => e.tokens.input)).toEqual([10, 20, 4]); // 10, +20, +0 (no event), restart at 4
  });

  it('counts a point read twice once', () => {
    const { events, duplicatePoints } = aggregateTokenPoints([point({ value: 5 }), point({ value: 5 })]);
    expect(duplicatePoints).toBe(1);
    expect(events.map((e) => e.tokens.input)).toEqual([5]);
  });
});
