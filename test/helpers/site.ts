/**
 * Site contexts built from summaries, for unit tests of the site's pure page builders: the
 * summaries of each repository go through `buildPartial` (as the Action builds them), then
 * `createContext` with the options a test overrides.
 */
import type { Experiment } from '../../src/aggregate/experiments.js';
import { buildPartial, type AggregatePartial } from '../../src/aggregate/index.js';
import { createContext, type SiteContext, type SiteOptions } from '../../src/site/context.js';
import type { SessionSummary } from '../../src/summary/schema.js';

/** The site's "today" in these tests: 30 June 2026, noon UTC. */
export const SITE_NOW = new Date('2026-06-30T12:00:00Z');

export function siteOptions(overrides: Partial<SiteOptions> = {}): SiteOptions {
  return { title: 'Team', pathPrefix: '/', timezone: 'UTC', developers: 'pseudonymous', minGroupSize: 1, now: SITE_NOW, ...overrides };
}

/** A partial of the given repositories' summaries (repository name -> its summaries). */
export function partialOf(repositories: Record<string, SessionSummary[]>, timezone = 'UTC'): AggregatePartial {
  const inputs = Object.entries(repositories).map(([repository, summaries]) => ({ repository, dataRef: 'token-data', tip: null, summaries, invalidFiles: 0 }));
  return buildPartial(inputs, { timezone, builtBy: 'test' });
}

export function siteContext(repositories: Record<string, SessionSummary[]>, options: Partial<SiteOptions> = {}, experiments: Experiment[] = []): SiteContext {
  return createContext(partialOf(repositories, options.timezone), experiments, siteOptions(options));
}

/** `days` days before SITE_NOW, at the same time of day, as the summaries' ISO form. */
export function daysAgo(days: number, hours = 0): string {
  return new Date(SITE_NOW.getTime() - days * 86_400_000 + hours * 3_600_000).toISOString().replace('.000Z', 'Z');
}
