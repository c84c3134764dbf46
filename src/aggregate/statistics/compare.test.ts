import { describe, expect, it } from 'vitest';
import type { Sample } from './bootstrap.js';
import { compareStrategy } from './compare.js';
import { createRandom } from './random.js';
import { generateArms } from './synthetic.js';

function sessions(values: readonly number[], clusters: readonly string[]): Sample[] {
  return values.map((value, i) => ({ value, cluster: clusters[i % clusters.length] as string }));
}

// Same design as did.test.ts, where a DiD finds ×0.7 in 96.7% of simulated seeds.
const DESIGN = { developers: 20, sessionsPerDeveloper: 20, logSd: 0.8, developerSd: 0.5, baseline: 50_000 };

describe('compareStrategy', () => {
  it('reports medians and the ratio by hand for a planted ×0.7', () => {
    const before = sessions([100, 200, 300, 400], ['dev_a', 'dev_b']);
    const after = sessions([70, 140, 210, 280], ['dev_a', 'dev_b']);
    const result = compareStrategy({ before, after, metric: 'totalTokens', minSessions: 4, seed: 1 });
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result).toMatchObject({ metric: 'totalTokens', nBefore: 4, nAfter: 4, medianBefore: 250, medianAfter: 175, did: null });
    expect(result.ratio).toBeCloseTo(0.7, 12);
    expect(result.interval.low).toBeCloseTo(0.7, 12);
    expect(result.dropped).toEqual({ before: 0, after: 0 });
  });

  it('says insufficient data, naming the arm and the count, below min-sessions', () => {
    const before = sessions([100, 200, 300, 400, 500], ['dev_a', 'dev_b']);
    const after = sessions(Array.from({ length: 25 }, (_, i) => 100 + i), ['dev_a', 'dev_b']);
    const result = compareStrategy({ before, after, metric: 'totalTokens', minSessions: 20, seed: 1 });
    expect(result).toMatchObject({ status: 'insufficient-data', nBefore: 5, nAfter: 25, medianBefore: 300, ratio: null, interval: null, mannWhitneyP: null, did: null });
    if (result.status !== 'insufficient-data') return;
    expect(result.reason).toBe('before: 5 sessions with a positive value, fewer than the minimum 20');
  });

  it('says insufficient data when an arm has one developer, however many sessions', () => {
    const before = sessions(Array.from({ length: 30 }, (_, i) => 100 + i), ['dev_a', 'dev_b']);
    const after = sessions(Array.from({ length: 30 }, (_, i) => 100 + i), ['dev_a']);
    const result = compareStrategy({ before, after, metric: 'totalTokens', minSessions: 20, seed: 1 });
    expect(result.status).toBe('insufficient-data');
    if (result.status !== 'insufficient-data') return;
    expect(result.reason).toBe('after: 1 developer, fewer than the 2 a bootstrap interval needs');
  });

  it('counts only positive sessions toward min-sessions, and lists every arm that falls short', () => {
    const before = sessions([0, 0, 0, 10, 20], ['dev_a', 'dev_b']);
    const result = compareStrategy({ before, after: [], metric: 'costUsd', minSessions: 4, seed: 1 });
    expect(result.status).toBe('insufficient-data');
    if (result.status !== 'insufficient-data') return;
    expect(result.medianAfter).toBeNaN();
    expect(result.reason).toBe(
      'before: 2 sessions with a positive value, fewer than the minimum 4; after: 0 sessions with a positive value, fewer than the minimum 4 and 0 developers, fewer than the 2 a bootstrap interval needs',
    );
  });

  it('separates a planted ×0.7 from a shared ×1.2 trend, and the same seed gives the same bytes', () => {
    const random = createRandom(3);
    const treated = generateArms(random, { ...DESIGN, prefix: 'treated_', afterFactor: 1.2 * 0.7 });
    const control = generateArms(random, { ...DESIGN, prefix: 'control_', afterFactor: 1.2 });
    const input = {
      before: treated.before,
      after: treated.after,
      controlBefore: control.before,
      controlAfter: control.after,
      metric: 'totalTokens',
      minSessions: 20,
      seed: 7,
    };
    const result = compareStrategy(input);
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    // Before/after alone sees 1.2 × 0.7 = 0.84; only the DiD removes the trend.
    expect(result.interval.low).toBeLessThanOrEqual(0.84);
    expect(result.interval.high).toBeGreaterThanOrEqual(0.84);
    expect(result.mannWhitneyP).toBeGreaterThan(0);
    expect(result.mannWhitneyP).toBeLessThanOrEqual(1);
    expect(result.did).not.toBeNull();
    expect(result.did?.high as number).toBeLessThan(1);
    expect(result.did?.low as number).toBeLessThanOrEqual(0.7);
    expect(result.did?.high as number).toBeGreaterThanOrEqual(0.7);
    expect(JSON.stringify(compareStrategy(input))).toBe(JSON.stringify(result));
  });

  it('leaves did null with a reason when the controls are too small', () => {
    const before = sessions([100, 200, 300, 400], ['dev_a', 'dev_b']);
    const after = sessions([70, 140, 210, 280], ['dev_a', 'dev_b']);
    const result = compareStrategy({ before, after, controlBefore: before.slice(0, 1), controlAfter: after, metric: 'totalTokens', minSessions: 4, seed: 1 });
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.did).toBeNull();
    expect(result.didReason).toBe(
      'control before: 1 sessions with a positive value, fewer than the minimum 4 and 1 developer, fewer than the 2 a bootstrap interval needs',
    );
  });

  it('refuses one control window without the other', () => {
    expect(() => compareStrategy({ before: [], after: [], controlBefore: [], metric: 'm', minSessions: 1, seed: 1 })).toThrow(/both controlBefore and controlAfter/);
  });
});
