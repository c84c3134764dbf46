import { describe, expect, it } from 'vitest';
import { partialOf, siteOptions } from '../../test/helpers/site.js';
import { summary } from '../../test/helpers/summaries.js';
import type { SessionRow } from '../aggregate/index.js';
import { createContext, dayRange, newestFirst, slugify } from './context.js';

describe('slugify', () => {
  it('lower-cases and joins words with single dashes, trimming dashes at the ends', () => {
    expect(slugify('acme/Web App')).toBe('acme-web-app');
    expect(slugify('  Acme__Tools//CLI  ')).toBe('acme-tools-cli');
    expect(slugify('https://github.com/acme/api')).toBe('https-github-com-acme-api');
  });

  it('drops a trailing .git', () => {
    expect(slugify('acme/web.git')).toBe('acme-web');
    expect(slugify('git@github.com:Acme/Web.git')).toBe('git-github-com-acme-web');
  });

  it('keeps the end of a long name, at most 60 characters, not starting with a dash', () => {
    const slug = slugify(`${'x'.repeat(80)}/the-repository`);
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug.endsWith('-the-repository')).toBe(true);
    expect(slugify(`${'a'.repeat(10)}/${'b'.repeat(59)}`)).toBe('b'.repeat(59));
  });

  it('makes `r-<hash>` of a name with no letters or digits, different per name', () => {
    expect(slugify('///')).toMatch(/^r-[0-9a-f]{8}$/);
    expect(slugify('日本語')).toMatch(/^r-[0-9a-f]{8}$/);
    expect(slugify('///')).not.toBe(slugify('日本語'));
    expect(slugify('///')).toBe(slugify('///'));
  });
});

describe('repository slugs of a context', () => {
  it('gives colliding names distinct slugs and leaves the others plain', () => {
    const partial = partialOf({ 'acme/web': [summary()], 'acme-web': [summary()], 'acme/api': [summary()] });
    const context = createContext(partial, [], siteOptions());
    const slugs = new Map(context.repositories.map((ref) => [ref.name, ref.slug]));
    expect(slugs.get('acme/api')).toBe('acme-api');
    expect(slugs.get('acme/web')).toMatch(/^acme-web-[0-9a-f]{8}$/);
    expect(slugs.get('acme-web')).toMatch(/^acme-web-[0-9a-f]{8}$/);
    expect(slugs.get('acme/web')).not.toBe(slugs.get('acme-web'));
    expect(context.repositorySlug('acme/web')).toBe(slugs.get('acme/web'));
    expect(context.repositorySlug('acme-web')).toBe(slugs.get('acme-web'));
  });

  it('lists a repository with no sessions yet (from its source) and sorts by name', () => {
    const partial = partialOf({ 'zeta/app': [summary()], 'alpha/empty': [] });
    const context = createContext(partial, [], siteOptions());
    expect(context.repositories.map((ref) => ref.name)).toEqual(['alpha/empty', 'zeta/app']);
    expect(context.sessionsByRepository.get('zeta/app')).toHaveLength(1);
    expect(context.sessionsByRepository.has('alpha/empty')).toBe(false);
  });
});

describe('dayRange', () => {
  it('is the `count` days ending on `last`, oldest first, across month and year ends', () => {
    expect(dayRange('2026-03-02', 3)).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    expect(dayRange('2028-03-01', 2)).toEqual(['2028-02-29', '2028-03-01']);
    expect(dayRange('2027-01-01', 2)).toEqual(['2026-12-31', '2027-01-01']);
    expect(dayRange('2026-06-30', 1)).toEqual(['2026-06-30']);
    expect(dayRange('2026-06-30', 90)).toHaveLength(90);
  });
});

describe('newestFirst', () => {
  const row = (id: string, startedAt: string) => ({ id, startedAt }) as SessionRow;

  it('sorts by start, newest first, then by id (descending) for equal starts, without touching its input', () => {
    const rows = [row('ses_b', '2026-05-01T10:00:00Z'), row('ses_a', '2026-05-03T10:00:00Z'), row('ses_c', '2026-05-01T10:00:00Z'), row('ses_d', '2026-05-02T10:00:00Z')];
    const before = rows.map((entry) => entry.id);
    expect(newestFirst(rows).map((entry) => entry.id)).toEqual(['ses_a', 'ses_d', 'ses_c', 'ses_b']);
    expect(rows.map((entry) => entry.id)).toEqual(before);
  });

  it('gives the same order whatever order the rows came in', () => {
    const rows = [row('ses_1', '2026-05-01T10:00:00Z'), row('ses_2', '2026-05-01T10:00:00Z'), row('ses_3', '2026-04-01T10:00:00Z')];
    expect(newestFirst([...rows].reverse())).toEqual(newestFirst(rows));
  });
});

describe('createContext', () => {
  const late = () => summary({ session: 'late', startedAt: '2026-05-04T23:30:00Z', endedAt: '2026-05-05T00:30:00Z' });

  it('derives the daily rows again when the site shows another time zone than the partial', () => {
    const partial = partialOf({ 'acme/app': [late()] }, 'UTC');
    expect(partial.daily.map((row) => row.date)).toEqual(['2026-05-04']);
    const context = createContext(partial, [], siteOptions({ timezone: 'Europe/Berlin' }));
    // 23:30 UTC is 01:30 the next day in Berlin (UTC+2 in May).
    expect(context.daily.map((row) => row.date)).toEqual(['2026-05-05']);
    expect(context.daily[0]).toMatchObject({ repository: 'acme/app', sessions: 1, tokens: partial.daily[0]!.tokens });
    expect(context.startDay(partial.sessions[0]!)).toBe('2026-05-05');
    // The partial itself is left as it was.
    expect(partial.daily.map((row) => row.date)).toEqual(['2026-05-04']);
  });

  it('uses the partial’s daily rows as they are when the zones match', () => {
    const partial = partialOf({ 'acme/app': [late()] }, 'Europe/Berlin');
    const context = createContext(partial, [], siteOptions({ timezone: 'Europe/Berlin' }));
    expect(context.daily).toBe(partial.daily);
    expect(context.daily.map((row) => row.date)).toEqual(['2026-05-05']);
  });

  it('takes "today" in the site’s time zone', () => {
    const partial = partialOf({ 'acme/app': [late()] });
    const now = new Date('2026-06-30T22:30:00Z');
    expect(createContext(partial, [], siteOptions({ now })).today).toBe('2026-06-30');
    expect(createContext(partial, [], siteOptions({ now, timezone: 'Europe/Berlin' })).today).toBe('2026-07-01');
    expect(createContext(partial, [], siteOptions({ now, timezone: 'America/Los_Angeles' })).today).toBe('2026-06-30');
  });
});
