/**
 * What every page of the site reads: the partial in the site's time zone, the experiments, the
 * options, and URL-safe names for repositories. Built once per site (pure).
 */
import { createHash } from 'node:crypto';
import type { Experiment } from '../aggregate/experiments.js';
import { deriveDailyRows } from '../aggregate/daily.js';
import type { AggregatePartial, DailyRow, SessionRow } from '../aggregate/index.js';
import { addDays } from '../aggregate/weekly.js';
import { dayKeyIn } from '../dates.js';

export interface SiteOptions {
  title: string;
  /** URL path the site is served under (`/` for user Pages, `/<repo>/` for project Pages). */
  pathPrefix: string;
  /** IANA zone of every day and time shown. */
  timezone: string;
  /** `off` leaves developers out of the site altogether (no page, no counts, no ids). */
  developers: 'pseudonymous' | 'off';
  /** Groups with fewer developers than this are not shown on their own. */
  minGroupSize: number;
  /** The site's "today". */
  now: Date;
}

export interface RepositoryRef {
  name: string;
  /** URL segment: the name in lower-case letters, digits and dashes, made unique. */
  slug: string;
}

export interface SiteContext {
  options: SiteOptions;
  partial: AggregatePartial;
  experiments: Experiment[];
  /** Daily rows in `options.timezone` (derived again when the partial used another zone). */
  daily: DailyRow[];
  today: string;
  /** Local day (in `options.timezone`) a session started on. */
  startDay: (row: SessionRow) => string;
  repositories: RepositoryRef[];
  repositorySlug: (name: string) => string;
  sessionsByRepository: Map<string, SessionRow[]>;
}

export function createContext(partial: AggregatePartial, experiments: Experiment[], options: SiteOptions): SiteContext {
  const timezone = options.timezone;
  const daily = partial.timezone === timezone ? partial.daily : deriveDailyRows(partial.sessions, timezone);
  const dayKey = dayKeyIn(timezone);
  // Once per session: pages ask for it several times each, and with times finer than the hour
  // nearly every session has a start of its own, so a cache by time only grew.
  const startDays = new Map<SessionRow, string>();
  const startDay = (row: SessionRow) => {
    let day = startDays.get(row);
    if (day === undefined) startDays.set(row, (day = dayKey(Date.parse(row.startedAt))));
    return day;
  };
  const sessionsByRepository = new Map<string, SessionRow[]>();
  for (const row of partial.sessions) {
    startDay(row);
    const list = sessionsByRepository.get(row.repository) ?? [];
    list.push(row);
    sessionsByRepository.set(row.repository, list);
  }
  const names = [...new Set([...partial.sources.map((source) => source.repository), ...sessionsByRepository.keys()])].sort();
  const repositories = uniqueSlugs(names);
  const slugs = new Map(repositories.map((ref) => [ref.name, ref.slug]));
  return {
    options,
    partial,
    experiments,
    daily,
    today: dayKey(options.now.getTime()),
    startDay,
    repositories,
    repositorySlug: (name) => slugs.get(name) ?? slugify(name),
    sessionsByRepository,
  };
}

/** `acme/Web App` -> `acme-web-app`; a hash suffix when two names would collide or nothing is left. */
export function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/\.git$/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(-60)
    .replace(/^-+/, '');
  return base === '' ? `r-${shortHash(name)}` : base;
}

function uniqueSlugs(names: string[]): RepositoryRef[] {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(slugify(name), (counts.get(slugify(name)) ?? 0) + 1);
  return names.map((name) => {
    const slug = slugify(name);
    return { name, slug: (counts.get(slug) ?? 0) > 1 ? `${slug}-${shortHash(name)}` : slug };
  });
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** The `count` days ending on `last`, oldest first. */
export function dayRange(last: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(last, i - count + 1));
}

/** Sessions sorted newest first (by start, then id, so equal starts keep one order). */
export function newestFirst(rows: readonly SessionRow[]): SessionRow[] {
  return [...rows].sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
