/**
 * Experiments judged from a partial alone: each source carries the strategy events its shard read
 * from the default branch, so `report` (which fetched them itself) and `merge` (which fetched
 * nothing) judge from the same data with the same code and cannot disagree; so do the CLI's `site build` and `demo`.
 */
import type { StrategyEvent } from '../ledger/trailers.js';
import { buildExperiments, type Experiment, type RepositoryEvents } from './experiments.js';
import type { AggregatePartial, PartialStrategyEvent } from './partial-schema.js';

export interface JudgeOptions {
  strategyWindowDays: number;
  minSessions: number;
}

export interface Judged {
  experiments: Experiment[];
  /** Sources without strategy events: their default branch was not read. */
  withoutEvents: string[];
}

/** Strategy events as a partial keeps them: trailer values that were not slugs are left out. */
export function partialStrategyEvents(events: readonly StrategyEvent[]): PartialStrategyEvent[] {
  return events.map(({ sha, at, starts, ends }) => ({ sha, at, starts, ends }));
}

/**
 * The partial with each source's strategy events set from `events`; a repository missing from
 * `events` had its default branch left unread, so its source carries none.
 */
export function withStrategyEvents(partial: AggregatePartial, events: ReadonlyMap<string, readonly PartialStrategyEvent[]>): AggregatePartial {
  return {
    ...partial,
    sources: partial.sources.map(({ strategyEvents: _earlier, ...source }) => {
      const read = events.get(source.repository);
      return read === undefined ? source : { ...source, strategyEvents: [...read] };
    }),
  };
}

export function judgeExperiments(partial: AggregatePartial, options: JudgeOptions): Judged {
  const withEvents: RepositoryEvents[] = [];
  const withoutEvents: string[] = [];
  for (const source of partial.sources) {
    if (source.strategyEvents === undefined) withoutEvents.push(source.repository);
    // Values that were not slugs are not kept in a partial; experiments never use them.
    else withEvents.push({ repository: source.repository, events: source.strategyEvents.map((event) => ({ ...event, invalid: [] })) });
  }
  const experiments = buildExperiments(withEvents, partial.sessions, { windowDays: options.strategyWindowDays, minSessions: options.minSessions });
  return { experiments, withoutEvents };
}
