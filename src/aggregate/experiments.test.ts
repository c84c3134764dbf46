import { describe, expect, it } from 'vitest';
import { makeSummary } from '../../test/helpers/git-repos.js';
import type { StrategyEvent } from '../ledger/trailers.js';
import { buildExperiments, logHistogram, seedFor, type RepositoryEvents } from './experiments.js';
import type { SessionRow } from './partial-schema.js';
import { toSessionRow } from './session-row.js';
import { createRandom, drawNormal } from './statistics/random.js';

const DAY = 86_400_000;
const START = Date.parse('2026-05-15T12:00:00.000Z');
const base = toSessionRow('base', makeSummary({ sessionId: 'experiments-base' }));
let counter = 0;

function row(repository: string, developer: string | null, at: number, total: number): SessionRow {
  const id = `ses-${++counter}`;
  return { ...base, id, repository, developer, startedAt: new Date(at).toISOString(), tokens: { ...base.tokens, total }, costUSD: total / 100_000 };
}

function event(at: number, starts: string[], ends: string[] = []): StrategyEvent {
  return { sha: `${String(at).padStart(40, '0')}`.slice(-40), at, starts, ends, invalid: [] };
}

/**
 * `perDay` sessions a day for each of `developers` developers over the 14 days either side of
 * START; sessions after START are multiplied by `afterFactor`. Log-normal noise, seeded.
 */
function sessions(repository: string, options: { developers: number; perDay: number; afterFactor: number; seed: number }): SessionRow[] {
  const random = createRandom(options.seed);
  const rows: SessionRow[] = [];
  for (let d = 0; d < options.developers; d++) {
    const level = Math.log(50_000) + 0.3 * drawNormal(random);
    for (let day = -14; day < 14; day++) {
      for (let s = 0; s < options.perDay; s++) {
        const at = START + day * DAY + (s + 1) * 3_600_000;
        const factor = at >= START ? options.afterFactor : 1;
        rows.push(row(repository, `dev_${repository}_${d}`, at, Math.round(factor * Math.exp(level + 0.4 * drawNormal(random)))));
      }
    }
  }
  return rows;
}

const options = { windowDays: 14, minSessions: 20, iterations: 500 };

describe('buildExperiments', () => {
  it('finds a planted 0.7 in the repository that started the slug, with a control repository unchanged', () => {
    const repos: RepositoryEvents[] = [
      { repository: 'acme/app', events: [event(START - 30 * DAY, []), event(START, ['index-first'])] },
      { repository: 'acme/lib', events: [] },
    ];
    const rows = [...sessions('acme/app', { developers: 6, perDay: 1, afterFactor: 0.7, seed: 1 }), ...sessions('acme/lib', { developers: 6, perDay: 1, afterFactor: 1, seed: 2 })];
    const [experiment, ...rest] = buildExperiments(repos, rows, options);
    expect(rest).toEqual([]);
    expect(experiment!.slug).toBe('index-first');
    expect(experiment!.repositories).toEqual([{ repository: 'acme/app', startedAt: new Date(START).toISOString(), startSha: expect.any(String), endedAt: null }]);
    expect(experiment!.controlRepositories).toEqual(['acme/lib']);
    const [tokens, cost] = experiment!.metrics;
    expect(tokens!.metric).toBe('totalTokens');
    expect(cost!.metric).toBe('costUSD');
    expect([tokens!.nBefore, tokens!.nAfter]).toEqual([84, 84]);
    if (tokens!.status !== 'ok') throw new Error(`expected a result, got ${tokens!.reason}`);
    expect(tokens!.ratio).toBeGreaterThan(0.6);
    expect(tokens!.ratio).toBeLessThan(0.8);
    expect(tokens!.interval.high).toBeLessThan(1);
    expect(tokens!.did).not.toBeNull();
    expect(tokens!.did!.ratio).toBeGreaterThan(0.55);
    expect(tokens!.did!.high).toBeLessThan(1);
    // Cost is tokens / 100,000 here, so its ratio is the same.
    expect(cost!.status === 'ok' && cost!.ratio).toBeCloseTo(tokens!.ratio, 2);
  });

  it('gives the same numbers on a rerun (the seed comes from the slug)', () => {
    const repos: RepositoryEvents[] = [{ repository: 'a', events: [event(START, ['cache-warm'])] }];
    const rows = sessions('a', { developers: 4, perDay: 1, afterFactor: 0.8, seed: 3 });
    expect(buildExperiments(repos, rows, options)).toEqual(buildExperiments(repos, rows, options));
    expect(seedFor('cache-warm')).not.toBe(seedFor('cache-cold'));
  });

  it('says insufficient data, and why, when an arm has fewer than min-sessions', () => {
    const repos: RepositoryEvents[] = [{ repository: 'a', events: [event(START, ['index-first'])] }];
    const rows = [row('a', 'dev_1', START - DAY, 1000), row('a', 'dev_2', START - 2 * DAY, 1200), row('a', 'dev_1', START + DAY, 800)];
    const [experiment] = buildExperiments(repos, rows, options);
    const tokens = experiment!.metrics[0]!;
    expect(tokens.status).toBe('insufficient-data');
    expect(tokens.status === 'insufficient-data' && tokens.reason).toMatch(/before: 2 sessions .*fewer than the minimum 20.*after: 1 sessions/);
    expect([tokens.nBefore, tokens.nAfter, tokens.medianBefore, tokens.medianAfter]).toEqual([2, 1, 1100, 800]);
    expect(experiment!.controlRepositories).toEqual([]);
  });

  it('stops the AFTER window at the end trailer, and ignores sessions outside both windows', () => {
    const repos: RepositoryEvents[] = [{ repository: 'a', events: [event(START, ['index-first']), event(START + 3 * DAY, [], ['index-first'])] }];
    const rows = [
      row('a', 'dev_1', START - 15 * DAY, 1), // before the BEFORE window
      row('a', 'dev_1', START - 13 * DAY, 10),
      row('a', 'dev_1', START + 1 * DAY, 20),
      row('a', 'dev_1', START + 2 * DAY, 30),
      row('a', 'dev_1', START + 4 * DAY, 40), // after the end
    ];
    const [experiment] = buildExperiments(repos, rows, { ...options, minSessions: 1 });
    expect(experiment!.repositories[0]!.endedAt).toBe(new Date(START + 3 * DAY).toISOString());
    const tokens = experiment!.metrics[0]!;
    expect([tokens.nBefore, tokens.nAfter, tokens.medianBefore, tokens.medianAfter]).toEqual([1, 2, 10, 25]);
  });

  it('does not use a repository that started the slug as a control, nor take its sessions for another', () => {
    const repos: RepositoryEvents[] = [
      { repository: 'a', events: [event(START, ['x'])] },
      { repository: 'b', events: [event(START + DAY, ['x'])] },
    ];
    const [experiment] = buildExperiments(repos, [row('b', null, START - DAY / 2, 5)], options);
    expect(experiment!.repositories.map((entry) => entry.repository)).toEqual(['a', 'b']);
    expect(experiment!.controlRepositories).toEqual([]);
    // b's session is before b's start (BEFORE) though after a's start: it counts once, for b.
    expect([experiment!.metrics[0]!.nBefore, experiment!.metrics[0]!.nAfter]).toEqual([1, 0]);
  });
});

describe('logHistogram', () => {
  it('bins every positive value once, on geometric edges spanning all arms', () => {
    const histogram = logHistogram({ before: [10, 100, 1000, 0], after: [10_000], controlBefore: [], controlAfter: [50] });
    expect(histogram.edges[0]).toBeCloseTo(10);
    expect(histogram.edges.at(-1)).toBeCloseTo(10_000);
    expect(histogram.before.reduce((a, b) => a + b, 0)).toBe(3);
    expect(histogram.after.at(-1)).toBe(1);
    expect(histogram.edges[2]! / histogram.edges[1]!).toBeCloseTo(histogram.edges[1]! / histogram.edges[0]!);
  });

  it('is empty without positive values', () => {
    expect(logHistogram({ before: [0], after: [], controlBefore: [], controlAfter: [] }).edges).toEqual([]);
  });
});
