import { describe, expect, it } from 'vitest';
import { daysAgo, siteContext } from '../../../test/helpers/site.js';
import { developerId, summary } from '../../../test/helpers/summaries.js';
import type { SiteOptions } from '../context.js';
import { developersPage } from './developers.js';

/** One session of `tokens` input tokens by `developer`, `days` days before the site's today. */
const session = (developer: string, tokens: number, days = 3) => summary({ developer, startedAt: daysAgo(days), models: [{ model: 'claude-sonnet-4-6', tokens: { input: tokens } }] });

function page(repositories: Record<string, ReturnType<typeof summary>[]>, options: Partial<SiteOptions> = {}) {
  return developersPage(siteContext(repositories, options));
}

describe('developersPage', () => {
  it('is null when developers are off', () => {
    expect(page({ 'acme/web': [session('alice', 10)] }, { developers: 'off' })).toBeNull();
  });

  it('shows quantiles per developer over the last 30 days once the team reaches the group minimum', () => {
    const result = page({ 'acme/web': [1, 2, 3, 4, 5].map((k) => session(`dev-${k}`, k * 1000)) }, { minGroupSize: 5 })!;
    expect(result.activeDevelopers).toBe(5);
    expect(result.quantiles!.columns.map((column) => column.label)).toEqual(['Per developer', 'P10', 'P25', 'Median', 'P75', 'P90']);
    expect(result.quantiles!.rows[0]).toEqual(['Tokens', '1,400', '2,000', '3,000', '4,000', '4,600']);
    expect(result.charts.map((chart) => chart.id)).toEqual(['tokens-per-developer', 'active-developers']);
  });

  it('suppresses the quantiles when fewer developers than the minimum were active', () => {
    const result = page({ 'acme/web': [1, 2, 3, 4].map((k) => session(`dev-${k}`, k * 1000)) }, { minGroupSize: 5 })!;
    expect(result.activeDevelopers).toBe(4);
    expect(result.quantiles).toBeNull();
    expect(result.charts.map((chart) => chart.id)).toEqual(['active-developers']);
  });

  it('counts only developers active in the last 30 days', () => {
    const result = page({ 'acme/web': [session('recent', 100, 29), session('old', 100, 31), summary({ developer: null, startedAt: daysAgo(1) })] })!;
    expect(result.activeDevelopers).toBe(1);
  });

  it('leaves repositories with fewer developers than the minimum out of the table and counts them', () => {
    const result = page(
      {
        'acme/big': [session('a', 100), session('b', 200), session('c', 300), session('c', 300)],
        'acme/small': [session('a', 100), session('b', 100)],
        'acme/solo': [session('d', 5000)],
        'acme/idle': [session('a', 100, 60)],
      },
      { minGroupSize: 3 },
    )!;
    expect(result.repositories.rows).toEqual([['acme/big', '3', '150', '200', '400']]);
    expect(result.suppressedRepositories).toBe(2);
    const shown = JSON.stringify(result.repositories);
    expect(shown).not.toContain('acme/small');
    expect(shown).not.toContain('acme/solo');
  });

  it('carries no developer id anywhere', () => {
    const names = ['alice', 'bob', 'carol', 'dave'];
    const result = page({ 'acme/web': names.map((name, i) => session(name, (i + 1) * 100)) }, { minGroupSize: 2 })!;
    const json = JSON.stringify(result);
    expect(json).not.toContain('dev_');
    for (const name of names) expect(json).not.toContain(developerId(name).slice(4));
  });
});
