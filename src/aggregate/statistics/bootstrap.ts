/**
 * Cluster bootstrap on the log scale. Sessions by one developer are correlated (same habits, same
 * tasks), so resampling sessions would make intervals too narrow; we resample whole clusters
 * (developers, or sessions when the developer is unknown) and take all their sessions.
 *
 * The data come in "cells" (before/after, or the four cells of a difference-in-differences). A
 * cluster seen in several cells is resampled as one unit in all of them: a developer active both
 * before and after is drawn with both windows, so their personal level cancels in the ratio, as it
 * does in the data. Clusters are stratified by the set of cells they appear in and each stratum is
 * resampled to its own size, so every resample has every cell filled. When no developer appears in
 * two cells this is exactly "resample developers with replacement within each arm".
 *
 * The interval is Hesterberg's "expanded percentile" interval (Hesterberg 2015, "What teachers
 * should know about the bootstrap", The American Statistician 69(4), §4): percentiles of the
 * resampled log-scale contrasts (quantile type 7), exponentiated, but read at the tail α′/2 with
 * z(α′/2) = √(k/(k−1)) · t(α/2, k−1), k the fewest clusters in any cell. The plain percentile
 * interval is too narrow with few clusters: in 400 simulated experiments with 10 developers × 8
 * sessions per window (log-SD 0.8) it covered the planted ratio 88.5% of the time at a nominal 95%;
 * the expanded interval covered it 95.75% (and 93.5% at 20 sessions per developer).
 * For k = 10 at 95% the tails read are 0.85% and 99.15%.
 */
import { logPositive, quantileOfSorted } from './descriptive.js';
import { normalCdf, studentQuantile } from './distributions.js';
import { createRandom, drawIndex } from './random.js';

/** One session's metric and the unit it is resampled with (developer id, or session id). */
export interface Sample {
  value: number;
  cluster: string;
}

export interface BootstrapOptions {
  /** Resamples; default 2000. Cost is linear in iterations × clusters; 2000 × 20 clusters ≈ 2 ms. */
  iterations?: number;
  /** PRNG seed (integer, low 32 bits used): same data and seed give the identical interval. */
  seed: number;
  /** Coverage of the two-sided interval; default 0.95. */
  level?: number;
}

/** A ratio (after ÷ before, scale-free) with its bootstrap interval, or why there is none. */
export interface RatioEstimate {
  /** The point estimate from all sessions, e.g. 0.7 for a 30% reduction. */
  ratio: number;
  /** Interval bounds on the ratio scale; null when `unestimable` says why. */
  low: number | null;
  high: number | null;
  unestimable?: string;
  /** Clusters with at least one positive value, per cell, in the order the cells were given. */
  clusters: number[];
  /** Non-positive values left out of the log scale, per cell (see descriptive.ts). */
  dropped: number[];
  iterations: number;
  level: number;
}

/** Per cell: sum of logs and session count of one cluster. */
interface ClusterTotals {
  sums: number[];
  counts: number[];
}

interface CellSums {
  /** Strata in a fixed order; each holds clusters sorted by id. */
  strata: ClusterTotals[][];
  clusters: number[];
  dropped: number[];
}

/**
 * Sums of logs per cluster and cell, independent of input order: clusters are sorted by id and each
 * cluster's logs are summed in ascending order, so reading summaries in another order cannot change
 * a digit of the result.
 */
function sumByCluster(cells: readonly (readonly Sample[])[]): CellSums {
  const logsByCluster = new Map<string, number[][]>();
  const dropped: number[] = [];
  cells.forEach((cell, c) => {
    const logged = logPositive(cell.map((sample) => sample.value));
    dropped.push(logged.dropped);
    let next = 0;
    for (const sample of cell) {
      if (!(sample.value > 0)) continue;
      let perCell = logsByCluster.get(sample.cluster);
      if (perCell === undefined) {
        perCell = cells.map(() => []);
        logsByCluster.set(sample.cluster, perCell);
      }
      (perCell[c] as number[]).push(logged.logs[next++] as number);
    }
  });
  const strata = new Map<string, ClusterTotals[]>();
  const clusters = cells.map(() => 0);
  const ids = [...logsByCluster.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const id of ids) {
    const perCell = logsByCluster.get(id) as number[][];
    const totals: ClusterTotals = {
      sums: perCell.map((logs) => [...logs].sort((a, b) => a - b).reduce((sum, x) => sum + x, 0)),
      counts: perCell.map((logs) => logs.length),
    };
    totals.counts.forEach((count, c) => {
      if (count > 0) clusters[c] = (clusters[c] as number) + 1;
    });
    const key = totals.counts.map((count) => (count > 0 ? '1' : '0')).join('');
    const stratum = strata.get(key);
    if (stratum === undefined) strata.set(key, [totals]);
    else stratum.push(totals);
  }
  const keys = [...strata.keys()].sort();
  return { strata: keys.map((key) => strata.get(key) as ClusterTotals[]), clusters, dropped };
}

/** Mean log per cell of the given clusters (NaN for a cell they leave empty). */
function meanLogs(picked: Iterable<ClusterTotals>, cellCount: number): number[] {
  const sums = new Array<number>(cellCount).fill(0);
  const counts = new Array<number>(cellCount).fill(0);
  for (const totals of picked) {
    for (let c = 0; c < cellCount; c++) {
      sums[c] = (sums[c] as number) + (totals.sums[c] as number);
      counts[c] = (counts[c] as number) + (totals.counts[c] as number);
    }
  }
  return sums.map((sum, c) => sum / (counts[c] as number));
}

function* resampleStrata(strata: readonly ClusterTotals[][], random: () => number): Generator<ClusterTotals> {
  for (const stratum of strata) {
    for (let i = 0; i < stratum.length; i++) yield stratum[drawIndex(random, stratum.length)] as ClusterTotals;
  }
}

/** Tail probability to read for a two-sided `level` interval with `k` ≥ 2 clusters (see top). */
export function expandedTail(level: number, k: number): number {
  const t = studentQuantile(1 - (1 - level) / 2, k - 1);
  return normalCdf(-Math.sqrt(k / (k - 1)) * t);
}

/**
 * Bootstraps exp(contrast(mean logs per cell)). `contrast` maps the cells' mean logs to one
 * log-scale number, e.g. after − before; `names` label the cells in messages.
 */
export function bootstrapLogContrast(
  cells: readonly (readonly Sample[])[],
  names: readonly string[],
  contrast: (meanLogs: readonly number[]) => number,
  { iterations = 2000, seed, level = 0.95 }: BootstrapOptions,
): RatioEstimate {
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`bootstrap iterations must be a positive integer, got ${iterations}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap level must be in (0, 1), got ${level}`);
  const { strata, clusters, dropped } = sumByCluster(cells);
  const empty = names.filter((_, c) => clusters[c] === 0);
  if (empty.length > 0) throw new RangeError(`no positive values in ${empty.join(', ')}: there is nothing to take a logarithm of`);

  const ratio = Math.exp(contrast(meanLogs(strata.flat(), cells.length)));
  const base = { ratio, clusters, dropped, iterations, level };
  const lonely = names.filter((_, c) => clusters[c] === 1);
  if (lonely.length > 0) {
    const unestimable = `${lonely.join(', ')} ${lonely.length === 1 ? 'has' : 'have'} a single cluster; an interval needs at least 2 to resample`;
    return { ...base, low: null, high: null, unestimable };
  }

  const random = createRandom(seed);
  const estimates = new Array<number>(iterations);
  for (let i = 0; i < iterations; i++) estimates[i] = contrast(meanLogs(resampleStrata(strata, random), cells.length));
  estimates.sort((a, b) => a - b);
  const tail = expandedTail(level, Math.min(...clusters));
  return {
    ...base,
    low: Math.exp(quantileOfSorted(estimates, tail)),
    high: Math.exp(quantileOfSorted(estimates, 1 - tail)),
  };
}

/**
 * Ratio of geometric means, after ÷ before, with a cluster-bootstrap percentile interval.
 * Non-positive values are left out of the logs and counted in `dropped`. Throws when an arm has no
 * positive value; an arm with a single cluster gives the ratio with `low`/`high` null.
 */
export function bootstrapRatioOfGeometricMeans(
  before: readonly Sample[],
  after: readonly Sample[],
  options: BootstrapOptions,
): RatioEstimate {
  return bootstrapLogContrast([before, after], ['before', 'after'], ([b, a]) => (a as number) - (b as number), options);
}
