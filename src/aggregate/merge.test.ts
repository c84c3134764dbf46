import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sessionId, summary, type SummarySpec } from '../../test/helpers/summaries.js';
import { buildPartial, type PartialInput } from './build.js';
import { PartialError } from './errors.js';
import { mergePartials } from './merge.js';
import type { AggregatePartial } from './partial-schema.js';

const options = { timezone: 'Europe/Berlin', builtBy: '0.1.0' };

function input(repository: string, summaries: PartialInput['summaries']): PartialInput {
  return { repository, dataRef: 'token-data', tip: null, summaries, invalidFiles: 0 };
}

describe('mergePartials', () => {
  it('keeps the newest capture of a session found in two partials and derives the days again', () => {
    const older = summary({ session: 's', endedAt: '2026-05-04T11:00:00Z', models: [{ model: 'claude-opus-4-6', tokens: { input: 100 } }] });
    const newer = summary({ session: 's', endedAt: '2026-05-04T13:00:00Z', models: [{ model: 'claude-opus-4-6', tokens: { input: 300 } }] });
    const other = summary({ session: 'o', models: [{ model: 'claude-opus-4-6', tokens: { input: 5 } }] });
    const a = buildPartial([input('acme/app', [older, other])], options);
    const b = buildPartial([input('acme/web', [newer])], options);
    for (const merged of [mergePartials([a, b]), mergePartials([b, a])]) {
      expect(merged.duplicateSessions).toBe(1);
      expect(merged.sessions.map((row) => [row.id, row.repository, row.tokens.total])).toEqual(
        [[sessionId('s'), 'acme/web', 300], [sessionId('o'), 'acme/app', 5]].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      );
      // The dropped capture's 100 tokens are gone from the days as well.
      expect(merged.daily.map((row) => [row.repository, row.tokens.total, row.sessions])).toEqual([
        ['acme/app', 5, 1],
        ['acme/web', 300, 1],
      ]);
    }
  });

  it('takes the highest builtBy and adds the dropped counts of the partials', () => {
    const dup = [summary({ session: 'd', parser: '0.1.0' }), summary({ session: 'd', parser: '0.2.0' })];
    const a = buildPartial([input('acme/app', dup)], { ...options, builtBy: '0.9.0' });
    const b = buildPartial([input('acme/web', [summary({ session: 'd' })])], { ...options, builtBy: '0.10.0' });
    const merged = mergePartials([a, b]);
    expect(merged.builtBy).toBe('0.10.0');
    expect(merged.duplicateSessions).toBe(2);
    expect(merged.sources.map((source) => source.files)).toEqual([2, 1]);
  });

  it('refuses partials in different time zones, naming both', () => {
    const berlin = buildPartial([input('acme/app', [])], options);
    const tokyo = buildPartial([input('acme/web', [])], { ...options, timezone: 'Asia/Tokyo' });
    expect(() => mergePartials([berlin, tokyo])).toThrow(PartialError);
    expect(() => mergePartials([berlin, tokyo])).toThrow('partial 2 uses time zone Asia/Tokyo but partial 1 uses Europe/Berlin');
  });

  it('refuses another schema version, no partials, and a repository in two partials', () => {
    const app = buildPartial([input('acme/app', [])], options);
    const future = { ...app, schema: 'tokenledger.partial/3' } as unknown as AggregatePartial;
    expect(() => mergePartials([app, future])).toThrow('partial 2 has schema tokenledger.partial/3, this tokenledger reads tokenledger.partial/2');
    expect(() => mergePartials([])).toThrow(/no partials to merge/);
    expect(() => mergePartials([app, app])).toThrow(/acme\/app \(token-data\) is in the input twice/);
  });

  it('merging one partial gives it back', () => {
    const partial = buildPartial([input('acme/app', [summary(), summary({ developer: null })])], options);
    expect(mergePartials([partial])).toEqual(partial);
  });
});

// Few session names and capture variants, so duplicates (within and across repositories) are common.
const MODELS = ['claude-opus-4-6', 'claude-haiku-4-5', 'mystery-model-1'] as const;
const usageArb = fc.record({
  model: fc.constantFrom(...MODELS),
  requests: fc.integer({ min: 0, max: 5 }),
  tokens: fc.record({ input: fc.nat(5000), output: fc.nat(2000), cacheWrite5m: fc.nat(1000), cacheWrite1h: fc.nat(1000), cacheRead: fc.nat(20000) }),
  costUSD: fc.option(fc.double({ min: 0, max: 3, noNaN: true }), { nil: null }),
  subagent: fc.boolean(),
});
const specArb: fc.Arbitrary<SummarySpec> = fc.record({
  session: fc.constantFrom('s1', 's2', 's3', 's4', 's5', 's6'),
  agent: fc.constantFrom('claude-code' as const, 'codex' as const),
  parser: fc.constantFrom('0.1.0', '0.2.0', '0.10.0'),
  developer: fc.constantFrom('alice', 'bob', null),
  // Around midnight in Berlin and across a year end.
  startedAt: fc.constantFrom('2025-12-31T22:30:00Z', '2025-12-31T23:30:00Z', '2026-01-01T00:00:00Z', '2026-05-04T21:59:00Z', '2026-05-04T22:00:00Z'),
  endedAt: fc.constantFrom('2026-06-01T10:00:00Z', '2026-06-01T11:00:00Z'),
  models: fc.uniqueArray(usageArb, { minLength: 1, maxLength: 3, selector: (usage) => usage.model }),
  tools: fc.dictionary(fc.constantFrom('Read', 'Edit', 'Bash', 'mcp:github'), fc.integer({ min: 1, max: 9 })),
  phases: fc.record({ exploration: fc.record({ toolCalls: fc.nat(5), tokens: fc.record({ input: fc.nat(900) }), costUSD: fc.double({ min: 0, max: 1, noNaN: true }) }) }, { requiredKeys: [] }),
  priceTable: fc.constantFrom('2026-04-01', '2026-05-01'),
});
const repositoriesArb = fc.uniqueArray(
  fc.record({ repository: fc.constantFrom('acme/app', 'acme/web', 'acme/api', 'beta/cli', 'beta/docs'), specs: fc.array(specArb, { maxLength: 6 }), invalidFiles: fc.nat(2) }),
  { minLength: 1, maxLength: 5, selector: (repo) => repo.repository },
);

/** Merges `partials` in a grouping chosen by `picks`: two or three at a time, any of them. */
function mergeInGrouping(partials: AggregatePartial[], picks: number[]): AggregatePartial {
  const pool = [...partials];
  let p = 0;
  const next = () => picks[p++ % picks.length]!;
  while (pool.length > 1) {
    const take = Math.min(pool.length, 2 + (next() % 2));
    const group: AggregatePartial[] = [];
    for (let i = 0; i < take; i++) group.push(pool.splice(next() % pool.length, 1)[0]!);
    pool.splice(next() % (pool.length + 1), 0, mergePartials(group));
  }
  return mergePartials(pool);
}

describe('mergePartials property', () => {
  it('gives the same partial as one build, for any sharding and grouping', () => {
    fc.assert(
      fc.property(repositoriesArb, fc.array(fc.nat(7), { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), (repos, shardOf, picks) => {
        const inputs = repos.map((repo) => ({ repository: repo.repository, dataRef: 'token-data', tip: null, summaries: repo.specs.map((spec) => summary(spec)), invalidFiles: repo.invalidFiles }));
        const whole = buildPartial(inputs, options);
        const shards = new Map<number, PartialInput[]>();
        inputs.forEach((one, i) => {
          const shard = shardOf[i % shardOf.length]!;
          shards.set(shard, [...(shards.get(shard) ?? []), one]);
        });
        const partials = [...shards.values()].map((shard) => buildPartial(shard, options));
        expect(mergeInGrouping(partials, picks)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });
});
