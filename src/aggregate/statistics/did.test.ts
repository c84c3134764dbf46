import { describe, expect, it } from 'vitest';
import type { Sample } from './bootstrap.js';
import { differenceInDifferences } from './did.js';
import { createRandom } from './random.js';
import { generateArms } from './synthetic.js';

function scaled(samples: readonly Sample[], factor: number): Sample[] {
  return samples.map((sample) => ({ ...sample, value: sample.value * factor }));
}

const TREATED: Sample[] = [
  { value: 2000, cluster: 'dev_a' },
  { value: 8000, cluster: 'dev_a' },
  { value: 30_000, cluster: 'dev_b' },
  { value: 500, cluster: 'dev_c' },
];
const CONTROL: Sample[] = [
  { value: 60_000, cluster: 'dev_x' },
  { value: 1500, cluster: 'dev_y' },
  { value: 7000, cluster: 'dev_y' },
];

describe('differenceInDifferences', () => {
  it('recovers exactly 0.7 when everything rose ×1.2 and the treated also fell ×0.7', () => {
    const result = differenceInDifferences(
      {
        treatedBefore: TREATED,
        treatedAfter: scaled(TREATED, 1.2 * 0.7),
        controlBefore: CONTROL,
        controlAfter: scaled(CONTROL, 1.2),
      },
      { seed: 1 },
    );
    expect(result.ratio).toBeCloseTo(0.7, 12);
    expect(result.low).toBeCloseTo(0.7, 12);
    expect(result.high).toBeCloseTo(0.7, 12);
    expect(result.clusters).toEqual([3, 3, 2, 2]);
  });

  it('finds the planted ×0.7 under a shared ×1.2 trend in noisy data, where before/after alone says ×0.84', () => {
    // The bootstrap.test.ts design (20 sessions per developer and window, log-SD 0.8, developer
    // SD 0.5) with 20 developers per group, treated and control disjoint. A DiD carries the noise
    // of four cells: with 10 developers per group, 300 simulated seeds covered 0.7 and excluded 1
    // in only 81%; with 20, in 96.7%. Seeds 1..20 were fixed up front.
    const design = { developers: 20, sessionsPerDeveloper: 20, logSd: 0.8, developerSd: 0.5, baseline: 50_000 };
    const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
    const covered = seeds.filter((seed) => {
      const random = createRandom(seed);
      const treated = generateArms(random, { ...design, prefix: 'treated_', afterFactor: 1.2 * 0.7 });
      const control = generateArms(random, { ...design, prefix: 'control_', afterFactor: 1.2 });
      const did = differenceInDifferences(
        { treatedBefore: treated.before, treatedAfter: treated.after, controlBefore: control.before, controlAfter: control.after },
        { seed },
      );
      return (did.low as number) <= 0.7 && 0.7 <= (did.high as number) && (did.high as number) < 1;
    });
    expect(covered.length).toBeGreaterThanOrEqual(18);
  });

  it('has no interval when a control window has a single developer', () => {
    const result = differenceInDifferences(
      { treatedBefore: TREATED, treatedAfter: TREATED, controlBefore: CONTROL, controlAfter: [{ value: 10, cluster: 'dev_x' }] },
      { seed: 1 },
    );
    expect(result.low).toBeNull();
    expect(result.unestimable).toMatch(/^control after has a single cluster/);
  });
});
