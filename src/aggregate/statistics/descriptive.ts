/**
 * Descriptive statistics for per-session metrics (tokens, cost in USD, shares). Tokens per session
 * are heavily right-skewed, so the center we report is the median, and effects are compared on
 * the log scale, where a geometric mean is the exponential of the mean logarithm.
 *
 * Logarithms are natural (base e) throughout; nothing depends on the base because every log is
 * exponentiated back before it is shown.
 *
 * Zeros: a session that spent 0 tokens (or $0) has no logarithm. We DROP non-positive values from
 * the log scale and COUNT them (`dropped`), rather than use log1p: log1p(x) = ln(1 + x) is not
 * scale-free, so ×0.7 on every session would not read as a ratio of 0.7, and for metrics below 1
 * (cost in dollars, cache-read share) it would flatten the very differences we want to see.
 * Medians keep every session, zeros included.
 */

/** Values and their count, after non-positive ones were dropped from the log scale. */
export interface LoggedValues {
  /** Natural logarithms of the positive values, in input order. */
  logs: number[];
  /** How many values were 0 or negative and therefore left out. */
  dropped: number;
}

function assertFinite(values: readonly number[], what: string): void {
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`${what}: every value must be a finite number, got ${value}`);
  }
}

/** Sorted copy; the input is left alone. */
function sortAscending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * The p-quantile (0 ≤ p ≤ 1) by linear interpolation between order statistics: position
 * h = (n − 1)·p in the sorted values (Hyndman and Fan type 7, the default of R and NumPy).
 * NaN for an empty array, so an empty window never looks like a zero.
 */
export function quantile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be in [0, 1], got ${p}`);
  assertFinite(values, 'quantile');
  if (values.length === 0) return Number.NaN;
  return quantileOfSorted(sortAscending(values), p);
}

/** `quantile` for values already sorted ascending (the bootstrap sorts once, reads two quantiles). */
export function quantileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const lower = sorted[below] as number;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return lower + (h - below) * (upper - lower);
}

/** The median: the middle value, or the mean of the two middle ones. NaN for an empty array. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Arithmetic mean; NaN for an empty array. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Natural logarithms of the positive values, with a count of the values dropped (see top). */
export function logPositive(values: readonly number[]): LoggedValues {
  assertFinite(values, 'logPositive');
  const logs: number[] = [];
  let dropped = 0;
  for (const value of values) {
    if (value > 0) logs.push(Math.log(value));
    else dropped += 1;
  }
  return { logs, dropped };
}

/** exp(mean ln x) over the positive values; NaN when none is positive. */
export function geometricMean(values: readonly number[]): number {
  return Math.exp(mean(logPositive(values).logs));
}
