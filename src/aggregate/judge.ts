/**
 * Experiments judged from a partial alone: each source carries the strategy events its shard read
 * from the default branch, so `report` (which fetched them itself) and `merge` (which fetched
 * nothing) judge from the same data with the same code and cannot disagree; so do the CLI's `site build` and `demo`.
 */
import { buildExperiments, type Experiment, type RepositoryEvents } from './experiments.js';
import type { AggregatePartial } from './partial-schema.js';

export interface JudgeOptions {
  strategyWindowDays: number;
  minSessions: number;
}

export interface Judged {
  experiments: Experiment[];
  /** Sources without strategy events: their default branch was not read. */
  withoutEvents: string[];
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
