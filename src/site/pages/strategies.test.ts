import { describe, expect, it } from 'vitest';
import { siteContext } from '../../../test/helpers/site.js';
import { summary } from '../../../test/helpers/summaries.js';
import type { Experiment } from '../../aggregate/experiments.js';
import type { StrategyComparison } from '../../aggregate/statistics/index.js';
import { experimentPage, summarizeExperiment } from './strategies.js';

const REASON = 'before: 3 sessions with a positive value, fewer than the minimum 20';

function ok(metric: string, ratio: number, low: number, high: number, extra: Partial<Extract<StrategyComparison, { status: 'ok' }>> = {}): StrategyComparison {
  return { metric, nBefore: 40, nAfter: 38, medianBefore: 1.2, medianAfter: 0.8, status: 'ok', ratio, interval: { low, high }, mannWhitneyP: 0.0004, did: null, dropped: { before: 0, after: 0 }, ...extra };
}

function insufficient(metric: string): StrategyComparison {
  return { metric, nBefore: 3, nAfter: 4, medianBefore: 1000, medianAfter: Number.NaN, status: 'insufficient-data', ratio: null, interval: null, mannWhitneyP: null, did: null, reason: REASON };
}

function experiment(metrics: StrategyComparison[], endedAt: string | null = null): Experiment {
  return {
    slug: 'index-first',
    windowDays: 14,
    repositories: [{ repository: 'acme/web', startedAt: '2026-06-01T07:30:00Z', startSha: 'abcdef0123456789abcdef0123456789abcdef01', endedAt }],
    controlRepositories: ['acme/api'],
    metrics,
    distribution: { edges: [], before: [], after: [], controlBefore: [], controlAfter: [] },
  };
}

const context = () => siteContext({ 'acme/web': [summary()], 'acme/api': [summary()] }, { timezone: 'Europe/Berlin' });

describe('summarizeExperiment', () => {
  it('states the tokens-per-session change with its 95% interval', () => {
    const result = summarizeExperiment(context(), experiment([ok('totalTokens', 0.7, 0.6, 0.85)]));
    expect(result.estimate).toBe('−30.0% tokens per session (95% interval −40.0% to −15.0%)');
    expect(result).toMatchObject({ slug: 'index-first', url: '/strategies/index-first/', running: true, repositories: [{ name: 'acme/web', url: '/repositories/acme-web/' }] });
  });

  it('gives verdict −1 when the whole interval is below 1, 1 when above, 0 when it spans 1', () => {
    const verdict = (low: number, high: number) => summarizeExperiment(context(), experiment([ok('totalTokens', (low + high) / 2, low, high)])).verdict;
    expect(verdict(0.6, 0.85)).toBe(-1);
    expect(verdict(1.05, 1.4)).toBe(1);
    expect(verdict(0.8, 1.1)).toBe(0);
    expect(verdict(0.8, 1)).toBe(0);
    expect(verdict(1, 1.3)).toBe(0);
  });

  it('says why there is no estimate, with verdict 0, when the data is insufficient', () => {
    const result = summarizeExperiment(context(), experiment([insufficient('totalTokens'), ok('costUSD', 0.5, 0.4, 0.6)]));
    expect(result.estimate).toBe('insufficient data (3 sessions before, 4 after)');
    expect(result.verdict).toBe(0);
  });

  it('judges by tokens only: no tokens metric is no estimate', () => {
    const result = summarizeExperiment(context(), experiment([ok('costUSD', 0.5, 0.4, 0.6)]));
    expect(result).toMatchObject({ estimate: 'no estimate', verdict: 0 });
  });

  it('is not running once every repository ended it', () => {
    expect(summarizeExperiment(context(), experiment([], '2026-06-10T00:00:00Z')).running).toBe(false);
  });
});

describe('experimentPage', () => {
  it('shows "insufficient data" and the reason in the results table, and no estimates chart', () => {
    const page = experimentPage(context(), experiment([insufficient('totalTokens')]));
    expect(page.table.rows).toEqual([['Tokens per session', '3', '4', '1,000', '–', 'insufficient data', REASON, '–', '–']]);
    expect(page.charts).toEqual([]);
  });

  it('shows ratio, interval, p-value and difference-in-differences of a judged metric, and charts them', () => {
    const did = { ratio: 0.8, low: 0.65, high: 0.95 };
    const page = experimentPage(context(), experiment([ok('totalTokens', 0.7, 0.6, 0.85, { did }), ok('costUSD', 0.9, 0.7, 1.1, { mannWhitneyP: 0.25, didReason: 'control: 1 developer' })]));
    expect(page.table.rows[0]).toEqual(['Tokens per session', '40', '38', '1', '1', '0.700 (−30.0%)', '0.600 to 0.850', '< 0.001', '−20.0% (−35.0% to −5.0%)']);
    expect(page.table.rows[1]).toEqual(['Cost per session', '40', '38', '$1.20', '$0.80', '0.900 (−10.0%)', '0.700 to 1.100', '0.250', 'control: 1 developer']);
    expect(page.charts.map((chart) => chart.id)).toEqual(['estimates']);
    expect(page.charts[0]!.table.rows).toHaveLength(3);
  });

  it('lists each start in the site’s time zone with a short SHA, and the control repositories', () => {
    const page = experimentPage(context(), experiment([]));
    expect(page.starts).toEqual([{ repository: 'acme/web', url: '/repositories/acme-web/', startedAt: '2026-06-01 09:30', endedAt: null, sha: 'abcdef012345' }]);
    expect(page.controlRepositories).toEqual([{ name: 'acme/api', url: '/repositories/acme-api/' }]);
  });
});
