/**
 * The demo team (fixtures/demo-team): valid, self-consistent summaries of the size asked for,
 * identical for one seed, and experiments whose reported intervals hold the planted effects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemoPartial, DEMO_NOW, generateDemoTeam, type DemoTeam } from '../fixtures/demo-team/generate.js';
import { judgeExperiments } from '../src/aggregate/judge.js';
import { TOKEN_TYPES } from '../src/sources/events.js';
import { PHASES } from '../src/sources/phase.js';
import { sessionSummarySchema, type SessionSummary } from '../src/summary/schema.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

let team: DemoTeam;
let summaries: SessionSummary[];
let generationCpuMs: number;

/** Generating a team takes about two seconds of CPU; a busy CI machine can stretch that a lot. */
const SLOW = 120_000;

beforeAll(() => {
  const started = process.cpuUsage();
  team = generateDemoTeam();
  const used = process.cpuUsage(started);
  generationCpuMs = (used.user + used.system) / 1000;
  summaries = team.inputs.flatMap((input) => input.summaries);
}, SLOW);

function judge(demo: DemoTeam) {
  const partial = buildDemoPartial(demo, { timezone: 'UTC', builtBy: 'test' });
  return judgeExperiments(partial, { strategyWindowDays: 14, minSessions: 20 }).experiments;
}

function sumOf<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((sum, item) => sum + value(item), 0);
}

describe('generateDemoTeam', () => {
  it('writes summaries that the strict session schema accepts', () => {
    const rejected = summaries.flatMap((summary) => {
      const parsed = sessionSummarySchema.safeParse(summary);
      return parsed.success ? [] : [`${summary.id}: ${parsed.error.message}`];
    });
    expect(rejected).toEqual([]);
  });

  it('has the repositories, developers and days asked for by default', () => {
    expect(team.inputs.map((input) => input.repository)).toEqual(['acme/web-app', 'acme/billing-api', 'acme/mobile-app', 'acme/data-pipeline', 'acme/infra', 'acme/design-system', 'acme/auth-service', 'acme/docs']);
    const developers = new Set(summaries.map((summary) => summary.developer));
    expect(developers.size).toBe(25);
    for (const developer of developers) expect(developer).toMatch(/^dev_[0-9a-f]{12}$/);
    const days = new Set(summaries.map((summary) => summary.startedAt.slice(0, 10)));
    const first = new Date(Date.parse(DEMO_NOW.toISOString().slice(0, 10)) - 179 * DAY).toISOString().slice(0, 10);
    expect([...days].sort()[0]).toBe(first);
    expect(days.size).toBeGreaterThan(170);
    for (const summary of summaries) expect(Date.parse(summary.endedAt)).toBeLessThanOrEqual(DEMO_NOW.getTime());
    // Repositories of different sizes, the biggest several times the smallest.
    const sizes = team.inputs.map((input) => input.summaries.length);
    expect(Math.max(...sizes)).toBeGreaterThan(3 * Math.min(...sizes));
  });

  it('honours smaller counts', () => {
    const small = generateDemoTeam({ repositories: 3, developers: 5, days: 30, seed: 7 });
    const rows = small.inputs.flatMap((input) => input.summaries);
    expect(small.inputs.map((input) => input.repository)).toEqual(['acme/web-app', 'acme/billing-api', 'acme/mobile-app']);
    expect(new Set(rows.map((summary) => summary.developer)).size).toBe(5);
    expect(Math.min(...rows.map((summary) => Date.parse(summary.startedAt)))).toBeGreaterThanOrEqual(Date.parse(DEMO_NOW.toISOString().slice(0, 10)) - 29 * DAY);
  }, SLOW);

  it('adds up inside every summary: types, models, phases, series, subagents and cost', () => {
    // Problems are collected, not asserted one by one: thousands of summaries times dozens of checks.
    const problems: string[] = [];
    const check = (summary: SessionSummary, what: string, ok: boolean) => {
      if (!ok) problems.push(`${summary.id}: ${what}`);
    };
    for (const s of summaries) {
      check(s, 'total is the sum of the types', s.tokens.total === sumOf(TOKEN_TYPES, (type) => s.tokens[type]));
      for (const type of [...TOKEN_TYPES, 'total'] as const) {
        check(s, `models add up to ${type}`, sumOf(s.models, (model) => model.tokens[type]) === s.tokens[type]);
        check(s, `phases add up to ${type}`, sumOf(PHASES, (phase) => s.phases[phase].tokens[type]) === s.tokens[type]);
        if (type !== 'total') check(s, `series adds up to ${type}`, sumOf(s.series, (point) => point[type]) === s.tokens[type]);
      }
      check(s, 'models add up to requests', sumOf(s.models, (model) => model.requests) === s.requests);
      check(s, 'subagents are part of the session', s.subagents.tokens.total < s.tokens.total);
      check(s, 'cost is the sum of the models', Math.abs(s.costUSD - sumOf(s.models, (model) => model.costUSD ?? 0)) < 1e-5);
      check(s, 'cost is complete when every model is priced', s.costComplete === s.models.every((model) => model.costUSD !== null));
      check(s, 'start is rounded to the hour', Date.parse(s.startedAt) % HOUR === 0);
      check(s, 'ends after it starts', s.endedAt >= s.startedAt && s.activeSeconds <= s.durationSeconds);
    }
    expect(problems).toEqual([]);
  });

  it('mixes agents, priced models, subagents, tools and commits', () => {
    const count = (test: (s: SessionSummary) => boolean) => summaries.filter(test).length;
    const share = (test: (s: SessionSummary) => boolean) => count(test) / summaries.length;
    expect(share((s) => s.agent === 'claude-code')).toBeGreaterThan(0.7);
    for (const agent of ['codex', 'gemini', 'opencode'] as const) expect(count((s) => s.agent === agent)).toBeGreaterThan(20);
    const models = new Set(summaries.flatMap((s) => s.models.map((model) => model.model)));
    for (const model of ['claude-opus-4-8', 'claude-sonnet-4-6', 'claude-haiku-4-5', 'gpt-5.3-codex']) expect(models).toContain(model);
    // Gemini models are not in the price table: shown as unpriced, never as $0.
    expect(summaries.filter((s) => !s.costComplete).every((s) => s.agent === 'gemini' && s.unpricedModels.length > 0)).toBe(true);
    expect(share((s) => s.subagents.count > 0)).toBeGreaterThan(0.15);
    expect(share((s) => s.commits.length > 0)).toBeGreaterThan(0.2);
    expect(count((s) => (s.tools['mcp:github'] ?? 0) > 0)).toBeGreaterThan(100);
    expect(new Set(summaries.map((s) => s.capturedBy))).toEqual(new Set(['backfill', 'hook', 'sweep']));
  });

  it('tags a session with a strategy exactly when its rounded start is inside the experiment', () => {
    for (const input of team.inputs) {
      const events = team.strategyEvents.get(input.repository)!;
      for (const summary of input.summaries) {
        const at = Date.parse(summary.startedAt);
        const active = new Set<string>();
        for (const event of events) {
          if (event.at > at) break;
          for (const slug of event.ends) active.delete(slug);
          for (const slug of event.starts) active.add(slug);
        }
        expect(summary.strategies).toEqual([...active].sort());
      }
    }
  });

  it('keeps the raw session ids and repository names out of the summaries', () => {
    const text = JSON.stringify(summaries);
    expect(text).not.toContain('demo-');
    expect(text).not.toContain('acme/');
  });

  it('gives the same team for the same seed and another for another seed', () => {
    expect(generateDemoTeam({ seed: 2026 })).toEqual(team);
    const other = generateDemoTeam({ seed: 99, days: 40 });
    expect(other.inputs[0]!.summaries[0]).not.toEqual(generateDemoTeam({ seed: 2026, days: 40 }).inputs[0]!.summaries[0]);
  }, SLOW);

  it('generates the default team in seconds of CPU', () => {
    // CPU time, not wall time: other jobs on the machine must not fail this. The bound is loose,
    // meant to catch something quadratic, not to benchmark.
    expect(summaries.length).toBeGreaterThan(5000);
    expect(generationCpuMs).toBeLessThan(15_000);
  });
});

describe('the planted experiments, judged as the site judges them', () => {
  /** Judges the team and checks every planted effect; returns the experiments. */
  function expectPlantedEffects(demo: DemoTeam): ReturnType<typeof judge> {
    const experiments = judge(demo);
    expect(demo.plantedEffects.map((effect) => effect.slug)).toEqual(['index-first', 'plan-mode', 'haiku-explore']);
    for (const effect of demo.plantedEffects) {
      const experiment = experiments.find((entry) => entry.slug === effect.slug)!;
      expect(experiment.repositories.map((entry) => entry.repository)).toEqual([...effect.repositories].sort());
      const tokens = experiment.metrics.find((metric) => metric.metric === effect.metric)!;
      if (tokens.status !== 'ok') throw new Error(`${effect.slug}: ${tokens.reason}`);
      expect(tokens.ratio).toBeCloseTo(effect.factor, 3);
      expect(tokens.interval.low).toBeLessThan(effect.factor);
      expect(tokens.interval.high).toBeGreaterThan(effect.factor);
      expect(tokens.did!.low).toBeLessThan(effect.factor);
      expect(tokens.did!.high).toBeGreaterThan(effect.factor);
      if (effect.factor < 1) expect(tokens.interval.high).toBeLessThan(1);
    }
    const lean = experiments.find((entry) => entry.slug === 'lean-claude-md')!;
    expect(lean.metrics[0]!.status).toBe('insufficient-data');
    return experiments;
  }

  it('reports each planted ratio inside its 95% interval, and the real effects apart from 1', () => {
    const ended = expectPlantedEffects(team).find((entry) => entry.slug === 'haiku-explore')!;
    expect(ended.repositories.every((entry) => entry.endedAt !== null)).toBe(true);
  }, SLOW);

  it('does the same for a team generated at another time, as `demo` does with the real now', () => {
    expectPlantedEffects(generateDemoTeam({ now: new Date(DEMO_NOW.getTime() + 3 * DAY + 15.7 * HOUR) }));
  }, SLOW);
});
