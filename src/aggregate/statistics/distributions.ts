/**
 * The few distribution functions the statistics need; JavaScript has none built in.
 * - `normalCdf` via erfc from the Chebyshev fit in Numerical Recipes (2nd ed., §6.2, `erfcc`):
 *   fractional error below 1.2e-7 everywhere, so small tail p-values stay meaningful.
 * - `normalQuantile`: P. J. Acklam's rational approximation, relative error below 1.15e-9.
 * - `studentQuantile`: exact for 1 and 2 degrees of freedom, else the Cornish–Fisher expansion
 *   (Abramowitz and Stegun 26.7.5); for 3 degrees of freedom at 97.5% it gives 3.179 (exact 3.182), for 9 2.2622 (exact 2.2622).
 */

/** Complementary error function erfc(x) = 1 − erf(x). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
      t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(poly);
  return x >= 0 ? value : 2 - value;
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function polynomial(coefficients: readonly number[], x: number): number {
  return coefficients.reduce((sum, c) => sum * x + c, 0);
}

/** The z with P(Z ≤ z) = p, for 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return polynomial(C, q) / (polynomial(D, q) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (polynomial(A, r) * q) / (polynomial(B, r) * r + 1);
}

/** The t with P(T ≤ t) = p for Student's t with `df` degrees of freedom (df ≥ 1 integer). */
export function studentQuantile(p: number, df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`studentQuantile: df must be a positive integer, got ${df}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`studentQuantile: p must be in (0, 1), got ${p}`);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = normalQuantile(p);
  const z2 = z * z;
  const terms = [
    (z2 + 1) * z / 4,
    ((5 * z2 + 16) * z2 + 3) * z / 96,
    (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384,
    ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160,
  ];
  return terms.reduce((t, term, k) => t + term / df ** (k + 1), z);
}
