import { describe, expect, it } from 'vitest';
import { createRandom, drawIndex, drawNormal } from './random.js';

function take(seed: number, n: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => random());
}

describe('createRandom', () => {
  it('repeats the same stream for the same seed and a different one for another seed', () => {
    expect(take(42, 5)).toEqual(take(42, 5));
    expect(take(43, 5)).not.toEqual(take(42, 5));
  });

  it('uses only the low 32 bits of the seed', () => {
    expect(take(1 + 2 ** 32, 3)).toEqual(take(1, 3));
  });

  it('rejects a seed that is not an integer', () => {
    expect(() => createRandom(0.5)).toThrow(/integer/);
  });

  it('draws in [0, 1) with mean near 1/2 and variance near 1/12 over 20,000 draws', () => {
    const draws = take(7, 20_000);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / draws.length;
    // Standard error of the mean is 0.289/√20000 ≈ 0.002, so 0.01 is five of them.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.005);
  });
});

describe('drawIndex', () => {
  it('hits every index of 0..4 and nothing outside', () => {
    const random = createRandom(3);
    const seen = new Set(Array.from({ length: 200 }, () => drawIndex(random, 5)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('drawNormal', () => {
  it('has mean near 0 and standard deviation near 1 over 20,000 draws', () => {
    const random = createRandom(11);
    const draws = Array.from({ length: 20_000 }, () => drawNormal(random));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((s, x) => s + (x - mean) ** 2, 0) / draws.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });
});
