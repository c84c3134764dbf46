import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, studentQuantile } from './distributions.js';

// Reference values from tables (scipy.stats norm.ppf / t.ppf give the same digits).
describe('normal distribution', () => {
  it('matches table values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.326348)).toBeCloseTo(0.01, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 6);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424, 5);
  });

  it('rejects p at 0 or 1', () => {
    expect(() => normalQuantile(0)).toThrow(/\(0, 1\)/);
    expect(() => normalQuantile(1)).toThrow(/\(0, 1\)/);
  });
});

describe('studentQuantile', () => {
  it('is exact for 1 and 2 degrees of freedom and within 0.005 of tables from 3 on', () => {
    expect(studentQuantile(0.975, 1)).toBeCloseTo(12.706205, 5);
    expect(studentQuantile(0.975, 2)).toBeCloseTo(4.302653, 5);
    expect(Math.abs(studentQuantile(0.975, 3) - 3.182446)).toBeLessThan(0.005);
    expect(Math.abs(studentQuantile(0.975, 9) - 2.262157)).toBeLessThan(0.0005);
    expect(Math.abs(studentQuantile(0.975, 30) - 2.042272)).toBeLessThan(0.0001);
  });

  it('is symmetric', () => {
    expect(studentQuantile(0.025, 9)).toBeCloseTo(-studentQuantile(0.975, 9), 10);
  });
});
