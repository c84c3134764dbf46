/**
 * Synthetic before/after sessions with a planted effect, for the known-answer tests and for
 * checking power and coverage by simulation. Tokens per session are log-normal: a developer's
 * level is baseline × e^(developerSd·Z), each session multiplies it by e^(logSd·Z), and every
 * session after the change is multiplied by `afterFactor`. The same developers, with the same
 * level, appear in both windows, as they do when one team adopts a strategy.
 */
import type { Sample } from './bootstrap.js';
import { drawNormal, type Random } from './random.js';

export interface SyntheticArmsOptions {
  /** Cluster ids are `${prefix}0`, `${prefix}1`, …; give control repositories another prefix. */
  prefix: string;
  developers: number;
  /** Sessions per developer in each window. */
  sessionsPerDeveloper: number;
  /** Standard deviation of ln(tokens) within a developer. */
  logSd: number;
  /** Standard deviation of the developers' ln levels around ln(baseline). */
  developerSd: number;
  /** Geometric-mean tokens per session before the change. */
  baseline: number;
  /** Multiplier on every session after the change: 0.7 plants a 30% reduction. */
  afterFactor: number;
}

export function generateArms(random: Random, options: SyntheticArmsOptions): { before: Sample[]; after: Sample[] } {
  const { prefix, developers, sessionsPerDeveloper, logSd, developerSd, baseline, afterFactor } = options;
  const before: Sample[] = [];
  const after: Sample[] = [];
  for (let d = 0; d < developers; d++) {
    const cluster = `${prefix}${d}`;
    const level = Math.log(baseline) + developerSd * drawNormal(random);
    for (let s = 0; s < sessionsPerDeveloper; s++) {
      before.push({ value: Math.exp(level + logSd * drawNormal(random)), cluster });
      after.push({ value: afterFactor * Math.exp(level + logSd * drawNormal(random)), cluster });
    }
  }
  return { before, after };
}
