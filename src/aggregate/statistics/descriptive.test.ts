import { describe, expect, it } from 'vitest';
import { geometricMean, logPositive, mean, median, quantile } from './descriptive.js';

describe('median', () => {
  it('is the middle value of an odd count and the mean of the two middle ones of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('keeps zeros, which the log scale drops', () => {
    expect(median([0, 0, 10])).toBe(0);
  });

  it('is NaN for an empty window, never 0', () => {
    expect(median([])).toBeNaN();
  });

  it('leaves its input unsorted', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('quantile (type 7: position (n − 1)·p, linear between neighbours)', () => {
  it('matches hand-computed positions', () => {
    // h = 4 · 0.1 = 0.4: 1 + 0.4 · (2 − 1)
    expect(quantile([5, 4, 3, 2, 1], 0.1)).toBeCloseTo(1.4, 12);
    // h = 3 · 0.9 = 2.7: 30 + 0.7 · (40 − 30)
    expect(quantile([40, 10, 30, 20], 0.9)).toBeCloseTo(37, 12);
    expect(quantile([40, 10, 30, 20], 0)).toBe(10);
    expect(quantile([40, 10, 30, 20], 1)).toBe(40);
  });

  it('rejects p outside [0, 1] and non-finite values', () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(/p must be in \[0, 1\]/);
    expect(() => quantile([1, Number.NaN], 0.5)).toThrow(/finite/);
  });
});

describe('log scale', () => {
  it('geometric mean of 1 and 100 is 10, of 2 and 8 is 4', () => {
    expect(geometricMean([1, 100])).toBeCloseTo(10, 12);
    expect(geometricMean([2, 8])).toBeCloseTo(4, 12);
  });

  it('drops zero and negative values and counts them', () => {
    expect(logPositive([0, 1, Math.E, -3])).toEqual({ logs: [0, 1], dropped: 2 });
    expect(geometricMean([0, 2, 8])).toBeCloseTo(4, 12);
  });

  it('scales exactly: every value ×0.7 gives a geometric mean ×0.7', () => {
    const values = [1200, 53_000, 870, 410_000, 9];
    expect(geometricMean(values.map((v) => v * 0.7)) / geometricMean(values)).toBeCloseTo(0.7, 12);
  });

  it('mean of nothing is NaN', () => {
    expect(mean([])).toBeNaN();
    expect(geometricMean([0])).toBeNaN();
  });
});
