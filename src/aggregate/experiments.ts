/**
 * Strategy experiments from trailers and session rows (DESIGN.md §7), pure. For each slug: the
 * repositories whose default branch started it, each with its own start (and end); BEFORE is a
 * repository's sessions in the `windowDays` before its start, AFTER those from the start for the
 * same length, or until the end if that comes first. CONTROL is the sessions of repositories whose
 * trailers were read and never started the slug, in each treated repository's two windows.
 *
 * Only a repository's first start of a slug counts (and the first end after it): a restart would
 * need windows of its own, and mixing them would blur the one before/after contrast.
 * The seed comes from the slug, so a rerun on the same data prints the same interval.
 */
import type { StrategyEvent } from '../ledger/trailers.js';
import type { SessionRow } from './partial-schema.js';
import { compareStrategy, type Sample, type StrategyComparison } from './statistics/index.js';

const DAY_MS = 86_400_000;

export interface RepositoryEvents {
  repository: string;
  /** Read from its default branch; a repository whose branch could not be read is left out. */
  events: readonly StrategyEvent[];
}

export interface ExperimentRepository {
  repository: string;
  /** ISO time of the start commit (committer date). */
  startedAt: string;
  startSha: string;
  /** ISO time of the first end after the start, or null while it runs. */
  endedAt: string | null;
}

export interface Experiment {
  slug: string;
  windowDays: number;
  repositories: ExperimentRepository[];
  /** Repositories that never started the slug: the difference-in-differences controls. */
  controlRepositories: string[];
  /** Total tokens per session, then cost per session. */
  metrics: StrategyComparison[];
  /** Total tokens per session of each arm, binned on a log scale: what the site draws. */
  distribution: LogHistogram;
}

export interface LogHistogram {
  /** Bin edges in tokens, ascending, geometric steps; one more than each arm's counts. */
  edges: number[];
  before: number[];
  after: number[];
  controlBefore: number[];
  controlAfter: number[];
}

const HISTOGRAM_BINS = 24;

export interface ExperimentOptions {
  windowDays: number;
  minSessions: number;
  /** Bootstrap resamples (compareStrategy's default when absent). */
  iterations?: number;
}

const METRICS: { name: string; value: (row: SessionRow) => number }[] = [
  { name: 'totalTokens', value: (row) => row.tokens.total },
  { name: 'costUSD', value: (row) => row.costUSD },
];

export function buildExperiments(repositories: readonly RepositoryEvents[], sessions: readonly SessionRow[], options: ExperimentOptions): Experiment[] {
  const starts = new Map<string, ExperimentRepository[]>();
  for (const { repository, events } of repositories) {
    for (const [slug, started] of firstStarts(events)) {
      const list = starts.get(slug) ?? [];
      list.push({ repository, ...started });
      starts.set(slug, list);
    }
  }
  const byRepository = new Map<string, SessionRow[]>();
  for (const row of sessions) {
    const list = byRepository.get(row.repository) ?? [];
    list.push(row);
    byRepository.set(row.repository, list);
  }
  const windowMs = options.windowDays * DAY_MS;

  return [...starts.keys()].sort().map((slug) => {
    const treated = (starts.get(slug) ?? []).sort((a, b) => a.repository.localeCompare(b.repository));
    const treatedNames = new Set(treated.map((entry) => entry.repository));
    const controlRepositories = repositories.map((entry) => entry.repository).filter((name) => !treatedNames.has(name));
    const controlRows = controlRepositories.flatMap((name) => byRepository.get(name) ?? []);
    const arms = { before: new Map<string, SessionRow>(), after: new Map<string, SessionRow>(), controlBefore: new Map<string, SessionRow>(), controlAfter: new Map<string, SessionRow>() };
    for (const entry of treated) {
      const start = Date.parse(entry.startedAt);
      const afterEnd = Math.min(start + windowMs, entry.endedAt === null ? Infinity : Date.parse(entry.endedAt));
      const own = byRepository.get(entry.repository) ?? [];
      // Keyed by session id: a control session inside two treated repositories' windows counts once.
      collect(own, start - windowMs, start, arms.before);
      collect(own, start, afterEnd, arms.after);
      collect(controlRows, start - windowMs, start, arms.controlBefore);
      collect(controlRows, start, afterEnd, arms.controlAfter);
    }
    const seed = seedFor(slug);
    const metrics = METRICS.map((metric) => {
      const samples = (rows: Map<string, SessionRow>): Sample[] => [...rows.values()].map((row) => ({ value: metric.value(row), cluster: row.developer ?? `session:${row.id}` }));
      return compareStrategy({
        before: samples(arms.before),
        after: samples(arms.after),
        ...(controlRepositories.length > 0 ? { controlBefore: samples(arms.controlBefore), controlAfter: samples(arms.controlAfter) } : {}),
        metric: metric.name,
        minSessions: options.minSessions,
        seed,
        ...(options.iterations === undefined ? {} : { iterations: options.iterations }),
      });
    });
    const totals = (rows: Map<string, SessionRow>) => [...rows.values()].map((row) => row.tokens.total);
    const distribution = logHistogram({ before: totals(arms.before), after: totals(arms.after), controlBefore: totals(arms.controlBefore), controlAfter: totals(arms.controlAfter) });
    return { slug, windowDays: options.windowDays, repositories: treated, controlRepositories, metrics, distribution };
  });
}

/** Each slug's first start in these events and the first end after it. */
function firstStarts(events: readonly StrategyEvent[]): Map<string, Omit<ExperimentRepository, 'repository'>> {
  const found = new Map<string, Omit<ExperimentRepository, 'repository'>>();
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    // Ends before starts within one commit (as activeStrategies does): ending and starting in one
    // commit does not end the experiment it starts.
    for (const slug of event.ends) {
      const entry = found.get(slug);
      if (entry && entry.endedAt === null && event.at >= Date.parse(entry.startedAt) && !event.starts.includes(slug)) entry.endedAt = new Date(event.at).toISOString();
    }
    for (const slug of event.starts) {
      if (!found.has(slug)) found.set(slug, { startedAt: new Date(event.at).toISOString(), startSha: event.sha, endedAt: null });
    }
  }
  return found;
}

function collect(rows: readonly SessionRow[], from: number, to: number, into: Map<string, SessionRow>): void {
  for (const row of rows) {
    const at = Date.parse(row.startedAt);
    if (at >= from && at < to) into.set(`${row.repository}\0${row.id}`, row);
  }
}

/**
 * Counts of positive values in geometric bins spanning every group (zeros have no place on a log
 * scale): `edges` ascending, one more than each group's counts. Experiments bin their four arms;
 * the site bins other distributions (tokens per developer) the same way.
 */
export function logHistogram<K extends string>(groups: Record<K, readonly number[]>): { edges: number[] } & Record<K, number[]> {
  const names = Object.keys(groups) as K[];
  let min = Infinity;
  let max = 0;
  for (const name of names) {
    for (const value of groups[name]) {
      if (value > 0 && value < min) min = value;
      if (value > max) max = value;
    }
  }
  const counts = (count: (values: readonly number[]) => number[]) => Object.fromEntries(names.map((name) => [name, count(groups[name])])) as Record<K, number[]>;
  if (max === 0) return { edges: [], ...counts(() => []) };
  let low = Math.log(min);
  let high = Math.log(max);
  if (high - low < 1e-9) {
    low -= 0.5;
    high += 0.5;
  }
  const step = (high - low) / HISTOGRAM_BINS;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => Math.exp(low + i * step));
  return {
    edges,
    ...counts((values) => {
      const bins = new Array<number>(HISTOGRAM_BINS).fill(0);
      for (const value of values) if (value > 0) bins[Math.min(HISTOGRAM_BINS - 1, Math.floor((Math.log(value) - low) / step))]!++;
      return bins;
    }),
  };
}

/** FNV-1a of the slug: a stable 32-bit seed per experiment. */
export function seedFor(slug: string): number {
  let hash = 0x811c9dc5;
  for (const char of slug) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return hash;
}
