import { describe, expect, it } from 'vitest';
import { summary, type SummarySpec } from '../../../test/helpers/summaries.js';
import type { SessionRow } from '../../aggregate/index.js';
import { toSessionRow } from '../../aggregate/session-row.js';
import { recommendations } from './recommendations.js';

const WINDOW = 'last 30 days';
const START = '2026-06-20T10:00:00Z';
/** 1,000 tokens that trigger nothing: 83% of the input side read from cache, reads 15× the writes. */
const CLEAN = { input: 100, output: 100, cacheWrite5m: 50, cacheRead: 750 };

function row(spec: SummarySpec = {}): SessionRow {
  return toSessionRow('acme/web', summary({ startedAt: START, models: [{ model: 'claude-sonnet-4-6', tokens: CLEAN }], ...spec }));
}

function rows(count: number, spec: SummarySpec | ((i: number) => SummarySpec) = {}): SessionRow[] {
  return Array.from({ length: count }, (_, i) => row(typeof spec === 'function' ? spec(i) : spec));
}

const ids = (sessions: SessionRow[]) => recommendations(sessions, WINDOW).map((entry) => entry.id);
const find = (sessions: SessionRow[], id: string) => recommendations(sessions, WINDOW).find((entry) => entry.id === id);

describe('recommendations', () => {
  it('says nothing about clean data', () => {
    expect(ids(rows(40))).toEqual([]);
  });

  it('says nothing below 20 sessions, however bad the data', () => {
    const bad: SummarySpec = {
      endedAt: '2026-06-20T13:00:00Z',
      models: [{ model: 'claude-opus-4-1', tokens: { input: 1000, output: 100, cacheWrite5m: 100, cacheRead: 100 }, costUSD: 1 }],
      phases: { exploration: { toolCalls: 5, tokens: { input: 900 }, costUSD: 0.5 } },
    };
    expect(ids(rows(19, bad))).toEqual([]);
    expect(ids(rows(20, bad))).toEqual(['low-cache-read-share', 'exploration-heavy', 'expensive-model-simple-phases', 'very-long-sessions', 'cache-writes-not-read']);
  });

  describe('low cache-read share', () => {
    it('fires below half of the input side read from cache, with the share and the fresh input', () => {
      const found = find(rows(20, { models: [{ model: 'claude-sonnet-4-6', tokens: { input: 510, output: 100, cacheRead: 490 } }] }), 'low-cache-read-share');
      expect(found?.evidence).toEqual([
        { label: `Cache-read share, ${WINDOW}`, value: '49.0%' },
        { label: 'Threshold', value: 'below 50.0%' },
        { label: 'Fresh input tokens', value: '10.2K' },
      ]);
    });

    it('does not fire at exactly half', () => {
      expect(ids(rows(20, { models: [{ model: 'claude-sonnet-4-6', tokens: { input: 500, output: 100, cacheRead: 500 } }] }))).toEqual([]);
    });
  });

  describe('exploration-heavy', () => {
    const exploring = (heavy: number) => (i: number): SummarySpec => ({ phases: { exploration: { toolCalls: 3, tokens: { input: i < 10 ? heavy : 20 } } } });

    it('fires above 40% of tokens in exploration, counting the sessions over the threshold', () => {
      const found = find(rows(20, exploring(800)), 'exploration-heavy');
      expect(found?.evidence).toEqual([
        { label: `Exploration share of tokens, ${WINDOW}`, value: '41.0%' },
        { label: 'Sessions over the threshold', value: '10 of 20' },
        { label: 'Threshold', value: 'above 40.0%' },
      ]);
    });

    it('does not fire at exactly 40%', () => {
      expect(ids(rows(20, exploring(780)))).toEqual([]);
    });
  });

  describe('an expensive model on simple phases', () => {
    const opus = (planningUSD: number, model = 'claude-opus-4-1'): SummarySpec => ({
      models: [{ model, tokens: CLEAN, costUSD: 1.25 }],
      phases: { exploration: { toolCalls: 2, costUSD: 0.0625 }, planning: { toolCalls: 1, costUSD: planningUSD } },
    });

    it('fires when exploration and planning on an Opus-priced model are 10% of the cost or more', () => {
      const found = find(rows(20, opus(0.0625)), 'expensive-model-simple-phases');
      expect(found?.evidence).toEqual([
        { label: `Exploration and planning cost on Opus-priced models, ${WINDOW}`, value: '$2.50' },
        { label: 'Share of all cost', value: '10.0%' },
        { label: 'Sessions', value: '20' },
      ]);
    });

    it('does not fire just under 10%', () => {
      expect(ids(rows(20, opus(0.0575)))).toEqual([]);
    });

    it('does not fire for the same phases on a cheaper model', () => {
      expect(ids(rows(20, opus(0.0625, 'claude-sonnet-4-6')))).toEqual([]);
    });
  });

  describe('very long sessions', () => {
    const sessions = (longSeconds: number, longTokens: typeof CLEAN) =>
      rows(20, (i) => (i < 5 ? { endedAt: new Date(Date.parse(START) + longSeconds * 1000).toISOString(), models: [{ model: 'claude-sonnet-4-6', tokens: longTokens }] } : {}));
    const double = { input: 200, output: 200, cacheWrite5m: 100, cacheRead: 1500 };

    it('fires when sessions over 2 hours hold more than a quarter of the tokens, with their medians', () => {
      const found = find(sessions(7201, double), 'very-long-sessions');
      expect(found?.evidence).toEqual([
        { label: `Sessions longer than 2 h 0 min, ${WINDOW}`, value: '5 of 20' },
        { label: 'Their share of tokens', value: '40.0%' },
        { label: 'Median tokens of a long session', value: '2,000' },
        { label: 'Median tokens of the others', value: '1,000' },
      ]);
    });

    it('does not fire for sessions of exactly 2 hours', () => {
      expect(ids(sessions(7200, double))).toEqual([]);
    });

    it('does not fire when long sessions hold exactly a quarter of the tokens', () => {
      expect(ids(sessions(7201, CLEAN))).toEqual([]);
    });
  });

  describe('cache writes rarely read', () => {
    const caching = (cacheRead: number): SummarySpec => ({ models: [{ model: 'claude-sonnet-4-6', tokens: { input: 100, output: 100, cacheWrite5m: 300, cacheWrite1h: 200, cacheRead } }] });

    it('fires when fewer than 2 tokens are read per cache-written token (5m and 1h writes)', () => {
      const found = find(rows(20, caching(950)), 'cache-writes-not-read');
      expect(found?.evidence).toEqual([
        { label: `Cache reads per cache-written token, ${WINDOW}`, value: '1.90' },
        { label: 'Threshold', value: 'below 2' },
      ]);
    });

    it('does not fire at exactly 2 reads per write', () => {
      expect(ids(rows(20, caching(1000)))).toEqual([]);
    });
  });
});
