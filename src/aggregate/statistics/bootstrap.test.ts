import { describe, expect, it } from 'vitest';
import { bootstrapRatioOfGeometricMeans, expandedTail, type Sample } from './bootstrap.js';
import { createRandom } from './random.js';
import { generateArms } from './synthetic.js';

const BEFORE: Sample[] = [
  { value: 1000, cluster: 'dev_a' },
  { value: 4000, cluster: 'dev_a' },
  { value: 250, cluster: 'dev_b' },
  { value: 90_000, cluster: 'dev_c' },
  { value: 12_000, cluster: 'dev_c' },
];

function scaled(samples: readonly Sample[], factor: number): Sample[] {
  return samples.map((sample) => ({ ...sample, value: sample.value * factor }));
}

/**
 * The planted-effect design: 10 developers, each with 20 sessions before and 20 after, ln(tokens)
 * SD 0.8 within a developer and 0.5 between developers. 20 sessions per developer rather than 8:
 * with 80 sessions per arm a 30% drop is only found about 72% of the time (400 simulated seeds),
 * as Kohavi's n ≈ 16σ²/Δ² ≈ 80 per arm for 80% power predicts, so "≥ 18 of 20" would test luck.
 * At 200 per arm, 400 seeds gave 99% power and 93.5% coverage. Seeds 1..20 were fixed up front.
 */
function plantExperiment(seed: number, afterFactor: number): { before: Sample[]; after: Sample[] } {
  return generateArms(createRandom(seed), {
    prefix: 'dev_',
    developers: 10,
    sessionsPerDeveloper: 20,
    logSd: 0.8,
    developerSd: 0.5,
    baseline: 50_000,
    afterFactor,
  });
}

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

describe('bootstrapRatioOfGeometricMeans', () => {
  it('gives exactly the planted factor when every after value is its before value × 0.7', () => {
    const result = bootstrapRatioOfGeometricMeans(BEFORE, scaled(BEFORE, 0.7), { seed: 1 });
    expect(result.ratio).toBeCloseTo(0.7, 12);
    // Each drawn developer brings both windows, so every resample sees the same ×0.7.
    expect(result.low).toBeCloseTo(0.7, 12);
    expect(result.high).toBeCloseTo(0.7, 12);
    expect(result.clusters).toEqual([3, 3]);
  });

  it('resamples within each arm when no developer is in both, giving a real interval around the ratio', () => {
    const after = scaled(BEFORE, 0.7).map((sample) => ({ ...sample, cluster: `${sample.cluster}_later` }));
    const result = bootstrapRatioOfGeometricMeans(BEFORE, after, { seed: 1 });
    expect(result.ratio).toBeCloseTo(0.7, 12);
    expect(result.low as number).toBeLessThan(0.7);
    expect(result.high as number).toBeGreaterThan(0.7);
  });

  it('finds a planted 30% reduction: interval excludes 1 and contains 0.7 in at least 18 of 20 seeds', () => {
    const found = SEEDS.filter((seed) => {
      const { before, after } = plantExperiment(seed, 0.7);
      const { low, high } = bootstrapRatioOfGeometricMeans(before, after, { seed });
      return (high as number) < 1 && (low as number) <= 0.7 && 0.7 <= (high as number);
    });
    expect(found.length).toBeGreaterThanOrEqual(18);
  });

  it('sees no effect where none was planted: interval includes 1 in at least 18 of 20 seeds', () => {
    const included = SEEDS.filter((seed) => {
      const { before, after } = plantExperiment(seed, 1);
      const { low, high } = bootstrapRatioOfGeometricMeans(before, after, { seed });
      return (low as number) <= 1 && 1 <= (high as number);
    });
    expect(included.length).toBeGreaterThanOrEqual(18);
  });

  it('gives byte-identical results for the same seed, whatever the order of the sessions', () => {
    const { before, after } = plantExperiment(5, 0.7);
    const first = JSON.stringify(bootstrapRatioOfGeometricMeans(before, after, { seed: 99 }));
    const again = JSON.stringify(bootstrapRatioOfGeometricMeans(before, after, { seed: 99 }));
    const reordered = JSON.stringify(bootstrapRatioOfGeometricMeans([...before].reverse(), [...after].reverse(), { seed: 99 }));
    const otherSeed = JSON.stringify(bootstrapRatioOfGeometricMeans(before, after, { seed: 100 }));
    expect(again).toBe(first);
    expect(reordered).toBe(first);
    expect(otherSeed).not.toBe(first);
  });

  it('says the interval cannot be estimated when an arm has a single developer', () => {
    const after = [{ value: 700, cluster: 'dev_a' }, { value: 2800, cluster: 'dev_a' }];
    const result = bootstrapRatioOfGeometricMeans(BEFORE, after, { seed: 1 });
    expect(result.low).toBeNull();
    expect(result.high).toBeNull();
    expect(result.unestimable).toMatch(/^after has a single cluster/);
    expect(result.ratio).toBeGreaterThan(0);
  });

  it('leaves zero-token sessions out of the logs and counts them', () => {
    const result = bootstrapRatioOfGeometricMeans([...BEFORE, { value: 0, cluster: 'dev_z' }], scaled(BEFORE, 0.7), { seed: 1 });
    expect(result.dropped).toEqual([1, 0]);
    expect(result.ratio).toBeCloseTo(0.7, 12);
  });

  it('refuses an arm without a positive value, and bad options, naming them', () => {
    expect(() => bootstrapRatioOfGeometricMeans(BEFORE, [{ value: 0, cluster: 'x' }], { seed: 1 })).toThrow(/no positive values in after/);
    expect(() => bootstrapRatioOfGeometricMeans(BEFORE, BEFORE, { seed: 1, iterations: 0 })).toThrow(/iterations/);
    expect(() => bootstrapRatioOfGeometricMeans(BEFORE, BEFORE, { seed: 1, level: 1 })).toThrow(/level/);
  });
});

describe('expandedTail', () => {
  it('reads 0.855% for 10 clusters at 95% and tends to 2.5% with many clusters', () => {
    // √(10/9) · t(0.975, 9) = 1.05409 · 2.26216 = 2.38453; Φ(−2.38453) = 0.0085506 (scipy).
    expect(expandedTail(0.95, 10)).toBeCloseTo(0.00855, 4);
    expect(expandedTail(0.95, 100_000)).toBeCloseTo(0.025, 4);
  });
});
