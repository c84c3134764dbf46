import { describe, expect, it } from 'vitest';
import { makeSummary } from '../../test/helpers/git-repos.js';
import { developerId, sessionId, summary } from '../../test/helpers/summaries.js';
import { buildPartial, type PartialInput } from './build.js';
import { PartialError } from './errors.js';
import { partialSchema } from './partial-schema.js';

const options = { timezone: 'UTC', builtBy: '0.1.0' };
const TIP = 'a'.repeat(40);

function input(repository: string, summaries: PartialInput['summaries'], invalidFiles = 0): PartialInput {
  return { repository, dataRef: 'token-data', tip: TIP, summaries, invalidFiles };
}

describe('buildPartial', () => {
  it('puts a session on the local day of its start, across midnight and time zones', () => {
    // 23:30Z on 4 May runs to 01:30Z on the 5th: in UTC it is a 4 May session, in Tokyo (UTC+9) a 5 May one.
    const late = summary({ session: 'late', startedAt: '2026-05-04T23:30:00Z', endedAt: '2026-05-05T01:30:00Z' });
    expect(buildPartial([input('acme/app', [late])], options).daily.map((row) => row.date)).toEqual(['2026-05-04']);
    expect(buildPartial([input('acme/app', [late])], { ...options, timezone: 'Asia/Tokyo' }).daily.map((row) => row.date)).toEqual(['2026-05-05']);
    // New York (UTC-4 in May): 02:00Z on the 5th is still 22:00 on the 4th.
    const early = summary({ session: 'early', startedAt: '2026-05-05T02:00:00Z' });
    expect(buildPartial([input('acme/app', [early])], { ...options, timezone: 'America/New_York' }).daily.map((row) => row.date)).toEqual(['2026-05-04']);
  });

  it('keeps the newest capture of a duplicated session: parser, then endedAt, then requests', () => {
    const oldParser = summary({ session: 's', parser: '0.9.0', endedAt: '2026-05-04T20:00:00Z', models: [{ model: 'claude-opus-4-6', tokens: { output: 999 } }] });
    const newParser = summary({ session: 's', parser: '0.10.0', endedAt: '2026-05-04T12:00:00Z', models: [{ model: 'claude-opus-4-6', tokens: { output: 10 } }] });
    const partial = buildPartial([input('acme/app', [oldParser]), input('acme/web', [newParser])], options);
    expect(partial.duplicateSessions).toBe(1);
    expect(partial.sessions).toHaveLength(1);
    // 0.10.0 is newer than 0.9.0 (numeric order), although the 0.9.0 capture ended later.
    expect(partial.sessions[0]).toMatchObject({ id: sessionId('s'), repository: 'acme/web', parser: '0.10.0', tokens: { output: 10, total: 10 } });
    expect(partial.daily).toHaveLength(1);
    expect(partial.daily[0]).toMatchObject({ repository: 'acme/web', tokens: { total: 10 }, sessions: 1 });
    // Sources count every valid file read, the dropped capture too.
    expect(partial.sources.map((source) => source.files)).toEqual([1, 1]);

    const endedEarly = summary({ session: 't', endedAt: '2026-05-04T11:00:00Z' });
    const endedLate = summary({ session: 't', endedAt: '2026-05-04T12:00:00Z', models: [{ model: 'claude-opus-4-6', tokens: { input: 1 } }] });
    const fewer = summary({ session: 'u', models: [{ model: 'claude-opus-4-6', requests: 2 }] });
    const more = summary({ session: 'u', models: [{ model: 'claude-opus-4-6', requests: 3 }] });
    const both = buildPartial([input('acme/app', [endedLate, more, endedEarly, fewer])], options);
    expect(both.duplicateSessions).toBe(2);
    expect(both.sessions.find((row) => row.id === sessionId('t'))).toMatchObject({ endedAt: '2026-05-04T12:00:00Z', tokens: { total: 1 } });
    expect(both.sessions.find((row) => row.id === sessionId('u'))).toMatchObject({ requests: 3 });
  });

  it('counts an unpriced model apart and leaves it out of the cost', () => {
    const mixed = summary({
      session: 'mixed',
      models: [
        { model: 'claude-opus-4-6', requests: 2, tokens: { input: 100, output: 20 }, costUSD: 0.5 },
        { model: 'mystery-model-1', requests: 3, tokens: { input: 40 }, costUSD: null },
      ],
    });
    const partial = buildPartial([input('acme/app', [mixed])], options);
    expect(partial.sessions[0]).toMatchObject({ costUSD: 0.5, requests: 5, tokens: { total: 160 } });
    expect(partial.daily).toEqual([
      expect.objectContaining({ model: 'claude-opus-4-6', costUSD: 0.5, unpricedRequests: 0, requests: 2, sessions: 1, tokens: expect.objectContaining({ total: 120 }) }),
      expect.objectContaining({ model: 'mystery-model-1', costUSD: 0, unpricedRequests: 3, requests: 3, sessions: 1, tokens: expect.objectContaining({ input: 40, total: 40 }) }),
    ]);
  });

  it('gives a subagent model its own daily row and the phases and tools to the primary model', () => {
    const delegated = summary({
      session: 'delegated',
      models: [
        { model: 'claude-opus-4-6', requests: 4, tokens: { input: 1000, output: 200, cacheRead: 800 }, costUSD: 0.04 },
        { model: 'claude-haiku-4-5', requests: 6, tokens: { input: 300, output: 30 }, costUSD: 0.003, subagent: true },
      ],
      tools: { Read: 3, Task: 1 },
      phases: { exploration: { toolCalls: 3, tokens: { input: 600 } }, delegation: { toolCalls: 1, tokens: { input: 700 } } },
    });
    const partial = buildPartial([input('acme/app', [delegated])], options);
    const session = partial.sessions[0]!;
    expect(session.subagentTokens).toEqual({ input: 300, output: 30, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, total: 330 });
    expect(session.models.map((model) => model.model)).toEqual(['claude-opus-4-6', 'claude-haiku-4-5']);
    expect(Object.keys(session.phases)).toEqual(['exploration', 'delegation']);
    const [haiku, opus] = partial.daily;
    expect(haiku).toMatchObject({ model: 'claude-haiku-4-5', sessions: 1, requests: 6, costUSD: 0.003, phases: {}, tools: {} });
    expect(opus).toMatchObject({ model: 'claude-opus-4-6', sessions: 1, requests: 4, costUSD: 0.04, tools: { Read: 3, Task: 1 } });
    expect(opus!.phases.exploration).toEqual({ toolCalls: 3, tokens: 600, costUSD: 0 });
  });

  it('adds sessions of one key on one day and keeps developers apart', () => {
    const a = summary({ session: 'a', developer: 'alice', startedAt: '2026-05-04T08:00:00Z', models: [{ model: 'claude-opus-4-6', requests: 2, tokens: { input: 10 }, costUSD: 0.1 }], tools: { Edit: 2 } });
    const b = summary({ session: 'b', developer: 'alice', startedAt: '2026-05-04T09:00:00Z', models: [{ model: 'claude-opus-4-6', requests: 3, tokens: { input: 5 }, costUSD: 0.2 }], tools: { Edit: 1, Read: 4 } });
    const c = summary({ session: 'c', developer: null, startedAt: '2026-05-04T09:00:00Z' });
    const partial = buildPartial([input('acme/app', [a, b, c])], options);
    expect(partial.daily).toHaveLength(2);
    const alice = partial.daily.find((row) => row.developer === developerId('alice'));
    expect(alice).toMatchObject({ sessions: 2, requests: 5, costUSD: 0.3, tokens: { total: 15 }, tools: { Edit: 3, Read: 4 } });
    expect(partial.daily.find((row) => row.developer === null)).toMatchObject({ sessions: 1 });
  });

  it('records sources, commits and lines, and sorts sessions by id', () => {
    const sha1 = '1'.repeat(40);
    const sha2 = '2'.repeat(40);
    const committed = summary({ session: 'c', commits: [{ sha: sha1, added: 10, removed: 2 }, { sha: sha2, added: 5, removed: 0 }], strategies: ['plan-first'], branch: 'main' });
    const partial = buildPartial([input('acme/web', [committed], 2), { repository: 'acme/empty', dataRef: 'token-data', tip: null, summaries: [], invalidFiles: 0 }, input('acme/app', [summary(), summary()])], options);
    expect(partial.sources).toEqual([
      { repository: 'acme/app', dataRef: 'token-data', tip: TIP, files: 2, invalidFiles: 0 },
      { repository: 'acme/empty', dataRef: 'token-data', tip: null, files: 0, invalidFiles: 0 },
      { repository: 'acme/web', dataRef: 'token-data', tip: TIP, files: 1, invalidFiles: 2 },
    ]);
    expect(partial.sessions.find((row) => row.repository === 'acme/web')).toMatchObject({ commits: [sha1, sha2], linesAdded: 15, linesRemoved: 2, strategies: ['plan-first'], branch: 'main' });
    const ids = partial.sessions.map((row) => row.id);
    expect(ids).toEqual([...ids].sort());
    expect(partial.priceTables).toEqual(['2026-05-01']);
  });

  it('aggregates summaries made by summarizeSession', () => {
    const real = makeSummary({ sessionId: 'real-1', output: 100 });
    const partial = buildPartial([input('acme/app', [real])], options);
    expect(partialSchema.parse(partial)).toEqual(partial);
    const daily = partial.daily[0]!;
    expect(daily.tokens).toEqual(real.models[0]!.tokens);
    expect(daily.tools).toEqual(real.tools);
    expect(daily.costUSD).toBeCloseTo(real.costUSD, 6);
    // Phase tokens add up to the session's tokens.
    const phaseTotal = Object.values(daily.phases).reduce((sum, phase) => sum + phase.tokens, 0);
    expect(phaseTotal).toBe(real.tokens.total);
  });

  it('survives a JSON round trip through the schema', () => {
    const partial = buildPartial([input('acme/app', [summary({ models: [{ model: 'x-1', costUSD: null }] }), summary({ developer: null, tools: { 'mcp:github': 2 } })])], options);
    expect(partialSchema.parse(JSON.parse(JSON.stringify(partial)))).toEqual(partial);
  });

  it('names the repository read twice and the unknown time zone', () => {
    expect(() => buildPartial([input('acme/app', []), input('acme/app', [])], options)).toThrow(PartialError);
    expect(() => buildPartial([input('acme/app', []), input('acme/app', [])], options)).toThrow(/acme\/app \(token-data\) is in the input twice/);
    expect(() => buildPartial([], { ...options, timezone: 'Mars/Olympus' })).toThrow(/Mars\/Olympus/);
  });
});
