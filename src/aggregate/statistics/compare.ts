/**
 * Judges one strategy experiment on one metric (DESIGN.md §7): sessions in the window before the
 * trailer against sessions while it is active. Reports n and medians always; the ratio of
 * geometric means with its cluster-bootstrap interval, the Mann–Whitney p-value and, when control
 * repositories are given, the difference-in-differences, only when both arms have enough data.
 * Below that it says "insufficient data" and why, rather than a verdict.
 */
import { bootstrapRatioOfGeometricMeans, type Sample } from './bootstrap.js';
import { median } from './descriptive.js';
import { differenceInDifferences } from './did.js';
import { mannWhitney } from './mann-whitney.js';

export interface CompareStrategyInput {
  /** Sessions in the window before the experiment started, one sample per session. */
  before: readonly Sample[];
  /** Sessions while the experiment was active. */
  after: readonly Sample[];
  /** Sessions of repositories without the strategy, same windows; both or neither. */
  controlBefore?: readonly Sample[];
  controlAfter?: readonly Sample[];
  /** Name of the per-session metric (e.g. `totalTokens`), echoed in the result. */
  metric: string;
  /** Fewest sessions with a positive value an arm needs (the Action's `min-sessions`, 20). */
  minSessions: number;
  seed: number;
  /** Bootstrap resamples; default 2000. */
  iterations?: number;
  /** Interval coverage; default 0.95. */
  level?: number;
}

export interface RatioInterval {
  ratio: number;
  low: number;
  high: number;
}

interface ComparisonCommon {
  metric: string;
  /** All sessions in each arm, zeros included. */
  nBefore: number;
  nAfter: number;
  /** Medians over all sessions in each arm; NaN for an empty arm. */
  medianBefore: number;
  medianAfter: number;
}

export type StrategyComparison =
  | (ComparisonCommon & {
      status: 'ok';
      /** Ratio of geometric means, after ÷ before: 0.7 is a 30% reduction. */
      ratio: number;
      interval: { low: number; high: number };
      /** Two-sided Mann–Whitney p-value over all sessions (a robustness check). */
      mannWhitneyP: number;
      /** Difference-in-differences against the controls; null without usable controls. */
      did: RatioInterval | null;
      /** Why `did` is null when controls were given. */
      didReason?: string;
      /** Sessions with a non-positive value, left out of the ratio (not of medians). */
      dropped: { before: number; after: number };
    })
  | (ComparisonCommon & {
      status: 'insufficient-data';
      ratio: null;
      interval: null;
      mannWhitneyP: null;
      did: null;
      /** Every arm that fell short, and by what. */
      reason: string;
    });

/** Why an arm cannot be judged, or null when it can: too few positive sessions or clusters. */
function findShortfall(arm: string, samples: readonly Sample[], minSessions: number): string | null {
  const usable = samples.filter((sample) => sample.value > 0);
  const clusters = new Set(usable.map((sample) => sample.cluster)).size;
  const problems: string[] = [];
  if (usable.length < minSessions) problems.push(`${usable.length} sessions with a positive value, fewer than the minimum ${minSessions}`);
  if (clusters < 2) problems.push(`${clusters} ${clusters === 1 ? 'developer' : 'developers'}, fewer than the 2 a bootstrap interval needs`);
  return problems.length === 0 ? null : `${arm}: ${problems.join(' and ')}`;
}

function values(samples: readonly Sample[]): number[] {
  return samples.map((sample) => sample.value);
}

export function compareStrategy(input: CompareStrategyInput): StrategyComparison {
  const { before, after, controlBefore, controlAfter, metric, minSessions, seed, iterations, level } = input;
  if ((controlBefore === undefined) !== (controlAfter === undefined)) {
    throw new TypeError('compareStrategy: give both controlBefore and controlAfter, or neither');
  }
  const common: ComparisonCommon = {
    metric,
    nBefore: before.length,
    nAfter: after.length,
    medianBefore: median(values(before)),
    medianAfter: median(values(after)),
  };
  const shortfalls = [findShortfall('before', before, minSessions), findShortfall('after', after, minSessions)];
  const reasons = shortfalls.filter((reason): reason is string => reason !== null);
  if (reasons.length > 0) {
    return { ...common, status: 'insufficient-data', ratio: null, interval: null, mannWhitneyP: null, did: null, reason: reasons.join('; ') };
  }

  const options = { seed, ...(iterations === undefined ? {} : { iterations }), ...(level === undefined ? {} : { level }) };
  const estimate = bootstrapRatioOfGeometricMeans(before, after, options);
  const result: StrategyComparison = {
    ...common,
    status: 'ok',
    ratio: estimate.ratio,
    // findShortfall guaranteed 2+ clusters per arm, so the interval exists.
    interval: { low: estimate.low as number, high: estimate.high as number },
    mannWhitneyP: mannWhitney(values(after), values(before)).p,
    did: null,
    dropped: { before: estimate.dropped[0] as number, after: estimate.dropped[1] as number },
  };
  if (controlBefore === undefined || controlAfter === undefined) return result;

  const controlReasons = [
    findShortfall('control before', controlBefore, minSessions),
    findShortfall('control after', controlAfter, minSessions),
  ].filter((reason): reason is string => reason !== null);
  if (controlReasons.length > 0) return { ...result, didReason: controlReasons.join('; ') };
  const did = differenceInDifferences({ treatedBefore: before, treatedAfter: after, controlBefore, controlAfter }, options);
  return { ...result, did: { ratio: did.ratio, low: did.low as number, high: did.high as number } };
}
