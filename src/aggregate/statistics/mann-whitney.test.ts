import { describe, expect, it } from 'vitest';
import { mannWhitney } from './mann-whitney.js';

describe('mannWhitney', () => {
  it('matches a worked example with a tie group', () => {
    // Worked by hand. first = [3, 5, 5, 9], second = [1, 2, 5, 6, 8]; pooled ranks:
    // 1→1, 2→2, 3→3, the three 5s share (4+5+6)/3 = 5, 6→7, 8→8, 9→9.
    // R1 = 3 + 5 + 5 + 9 = 22, U1 = 22 − 4·5/2 = 12 (pairs: 2 + 2.5 + 2.5 + 5), U2 = 20 − 12 = 8.
    // Tie term Σ(t³ − t) = 27 − 3 = 24; Var U = (20/12)·(10 − 24/72) = 16.111…, σ = 4.01386.
    // z = (12 − 10 − 0.5)/σ = 0.373705; p = 2·(1 − Φ(0.373705)) = 0.70862.
    // scipy.stats.mannwhitneyu(method='asymptotic', use_continuity=True) gives U 12, p 0.7086241.
    const result = mannWhitney([3, 5, 5, 9], [1, 2, 5, 6, 8]);
    expect(result.u).toBe(12);
    expect(result.uSecond).toBe(8);
    expect(result.z).toBeCloseTo(0.373705, 5);
    expect(result.p).toBeCloseTo(0.7086241, 6);
  });

  it('is symmetric: swapping the samples swaps U and keeps p', () => {
    const forward = mannWhitney([3, 5, 5, 9], [1, 2, 5, 6, 8]);
    const backward = mannWhitney([1, 2, 5, 6, 8], [3, 5, 5, 9]);
    expect(backward.u).toBe(forward.uSecond);
    expect(backward.p).toBeCloseTo(forward.p, 12);
  });

  it('documents the tiny-sample gap: 3 all above 3 gives p 0.0809, where the exact p is 0.1', () => {
    // U = 9 of a possible 9; z = (4.5 − 0.5)/√5.25 = 1.74574; exact: 2 of C(6,3) = 20 orderings.
    const result = mannWhitney([4, 5, 6], [1, 2, 3]);
    expect(result.u).toBe(9);
    expect(result.p).toBeCloseTo(0.0808556, 6);
  });

  it('gives p = 1 when every value is tied or the samples are interleaved evenly', () => {
    expect(mannWhitney([5, 5], [5, 5, 5])).toEqual({ u: 3, uSecond: 3, z: 0, p: 1 });
    expect(mannWhitney([1, 4], [2, 3]).p).toBe(1);
  });

  it('rejects an empty sample and non-finite values', () => {
    expect(() => mannWhitney([], [1])).toThrow(/both samples/);
    expect(() => mannWhitney([1, Number.POSITIVE_INFINITY], [1])).toThrow(/finite/);
  });
});
