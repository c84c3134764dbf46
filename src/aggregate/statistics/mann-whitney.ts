/**
 * Mann–Whitney U (Wilcoxon rank-sum) as a robustness check beside the ratio of geometric means.
 * It tests stochastic dominance, "sessions after tend to be smaller than before", not equal
 * medians (reference §5), and it ignores clusters: sessions are treated as independent, so with a
 * few heavy developers its p-value is optimistic. Read it as a second opinion, never the verdict.
 *
 * The p-value is the normal approximation with the tie correction and a continuity correction of
 * 0.5, as R's `wilcox.test(exact = FALSE, correct = TRUE)` computes it. No exact distribution is
 * computed: compareStrategy only runs this at min-sessions (default 20) per arm or more, where the
 * approximation is close. For tiny samples it is rough: 3 sessions all above 3 others gives
 * p ≈ 0.081 here, while the exact two-sided p is 2/C(6,3) = 0.1.
 */
import { normalCdf } from './distributions.js';

export interface MannWhitneyResult {
  /** U of the first sample: pairs (x from first, y from second) with x > y, ties counting 1/2. */
  u: number;
  /** n1·n2 − u, the U of the second sample. */
  uSecond: number;
  /** Standardized U after the continuity and tie corrections; 0 when every value is tied. */
  z: number;
  /** Two-sided p-value, in [0, 1]. */
  p: number;
}

/** Ranks 1..n of the values, tied values sharing their mean rank, and Σ(t³ − t) over tie groups. */
function rankWithTies(values: readonly number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Array<number>(values.length);
  let tieTerm = 0;
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end] as number] === values[order[start] as number]) end++;
    const midrank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k] as number] = midrank;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  return { ranks, tieTerm };
}

/** Mann–Whitney U of `first` against `second`, two-sided. Throws when either is empty. */
export function mannWhitney(first: readonly number[], second: readonly number[]): MannWhitneyResult {
  const n1 = first.length;
  const n2 = second.length;
  if (n1 === 0 || n2 === 0) throw new RangeError(`Mann-Whitney needs values in both samples, got ${n1} and ${n2}`);
  const all = [...first, ...second];
  if (!all.every(Number.isFinite)) throw new RangeError('Mann-Whitney: every value must be a finite number');
  const { ranks, tieTerm } = rankWithTies(all);
  let rankSumFirst = 0;
  for (let i = 0; i < n1; i++) rankSumFirst += ranks[i] as number;
  const u = rankSumFirst - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const deviation = u - (n1 * n2) / 2;
  if (variance <= 0 || deviation === 0) return { u, uSecond: n1 * n2 - u, z: 0, p: 1 };
  const z = (deviation - Math.sign(deviation) * 0.5) / Math.sqrt(variance);
  return { u, uSecond: n1 * n2 - u, z, p: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
}
