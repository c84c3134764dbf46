import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { event, tool, tokens } from '../../test/helpers/events.js';
import { TOKEN_TYPES, type UsageEvent } from '../sources/events.js';
import { PHASES } from '../sources/phase.js';
import { costOfResponse, PRICE_TABLE_VERSION } from './price.js';
import { SESSION_SCHEMA, sessionSummarySchema, type SessionSummary } from './schema.js';
import { activeMs, roundTime, summarizeSession, summaryId, type SummaryContext } from './summarize.js';

/*
 * One hand-made session. Prices per million tokens (src/summary/prices/prices.json):
 *   claude-opus-4-6:  input 5, output 25, cache write 5m 6.25, 1h 10, cache read 0.5
 *   claude-haiku-4-5: input 1, output 5,  cache write 5m 1.25, 1h 2,  cache read 0.1
 *
 * e1 main  turn 1  10:07:31.250  opus   input 1,000,000                     = $5     [Read]
 * e2 main  turn 1  10:09:31.250  opus   output 200,000 ($5) + read 2M ($1)  = $6     []
 * e3 sub a1 turn 1 10:11:01.250  haiku  input 100,000 ($0.1) + out 20,000 ($0.1) = $0.2 [Bash testing]
 * e4 sub b2 turn 1 10:11:21.250  haiku  write5m 800,000 ($1) + write1h 500,000 ($1) = $2 []
 * e5 main  turn 2  11:03:31.250  opus   write1h 100,000 ($1) + out 40,000 ($1) = $2  [Edit, Bash git]
 */
const e1 = event({ timestamp: '2026-05-04T10:07:31.250Z', turn: 1, tokens: { input: 1_000_000 }, tools: [tool('Read')], agentVersion: '2.1.9', entrypoint: 'cli' });
const e2 = event({ timestamp: '2026-05-04T10:09:31.250Z', turn: 1, tokens: { output: 200_000, cacheRead: 2_000_000 }, agentVersion: '2.1.10', entrypoint: 'claude-vscode' });
const e3 = event({
  timestamp: '2026-05-04T10:11:01.250Z',
  turn: 1,
  isSidechain: true,
  agentId: 'a1',
  model: 'claude-haiku-4-5',
  tokens: { input: 100_000, output: 20_000 },
  tools: [tool('Bash', 'testing')],
  agentVersion: '9.9.9',
});
const e4 = event({ timestamp: '2026-05-04T10:11:21.250Z', turn: 1, isSidechain: true, agentId: 'b2', model: 'claude-haiku-4-5', tokens: { cacheWrite5m: 800_000, cacheWrite1h: 500_000 } });
const e5 = event({ timestamp: '2026-05-04T11:03:31.250Z', turn: 2, tokens: { cacheWrite1h: 100_000, output: 40_000 }, tools: [tool('Edit'), tool('Bash', 'git')], agentVersion: '2.1.2' });
const SESSION = [e1, e2, e3, e4, e5];

const context: SummaryContext = { agent: 'claude-code', sessionId: 's1', parser: '0.1.0', capturedBy: 'cli', developer: null, branch: null };

function summarize(events: UsageEvent[] = SESSION, extra: Partial<SummaryContext> = {}): SessionSummary {
  return summarizeSession(events, { ...context, ...extra });
}

describe('summarizeSession: tokens and cost', () => {
  it('cross-checks the hand prices against the price table', () => {
    expect(costOfResponse('claude-opus-4-6', tokens({ input: 1_000_000 }), 0, 'standard')).toBeCloseTo(5, 9);
    expect(costOfResponse('claude-opus-4-6', tokens({ output: 200_000, cacheRead: 2_000_000 }), 0, 'standard')).toBeCloseTo(6, 9);
    expect(costOfResponse('claude-haiku-4-5', tokens({ cacheWrite5m: 800_000, cacheWrite1h: 500_000 }), 0, 'standard')).toBeCloseTo(2, 9);
  });

  it('adds every token type of main thread and subagents into the session total', () => {
    // input 1M + 100k; output 200k + 20k + 40k; write5m 800k; write1h 500k + 100k; read 2M.
    expect(summarize().tokens).toEqual({ input: 1_100_000, output: 260_000, cacheWrite5m: 800_000, cacheWrite1h: 600_000, cacheRead: 2_000_000, total: 4_760_000 });
  });

  it('prices the session as the sum of its responses', () => {
    // 5 + 6 + 0.2 + 2 + 2
    const summary = summarize();
    expect(summary.costUSD).toBeCloseTo(15.2, 6);
    expect(summary.costComplete).toBe(true);
    expect(summary.unpricedModels).toEqual([]);
    expect(summary.priceTable).toBe(PRICE_TABLE_VERSION);
  });

  it('gives subagents apart: distinct agents, their requests, tokens and cost', () => {
    expect(summarize().subagents).toEqual({
      count: 2,
      requests: 2,
      tokens: { input: 100_000, output: 20_000, cacheWrite5m: 800_000, cacheWrite1h: 500_000, cacheRead: 0, total: 1_420_000 },
      costUSD: 2.2,
    });
  });

  it('counts inline sidechains without an agent id as one subagent', () => {
    const inline = [event(), event({ isSidechain: true }), event({ isSidechain: true })];
    expect(summarize(inline).subagents.count).toBe(1);
    expect(summarize(inline).subagents.requests).toBe(2);
  });

  it('lists models by name with requests, tokens and cost', () => {
    const models = summarize().models;
    expect(models.map((m) => [m.model, m.requests, m.tokens.total])).toEqual([
      ['claude-haiku-4-5', 2, 1_420_000],
      ['claude-opus-4-6', 3, 3_340_000],
    ]);
    expect(models[0]!.costUSD).toBeCloseTo(2.2, 6);
    expect(models[1]!.costUSD).toBeCloseTo(13, 6);
  });

  it('leaves an unpriced model out of the cost and says so', () => {
    const summary = summarize([...SESSION, event({ model: 'mystery-model-9', tokens: { input: 5_000_000 } })]);
    expect(summary.costUSD).toBeCloseTo(15.2, 6);
    expect(summary.costComplete).toBe(false);
    expect(summary.unpricedModels).toEqual(['mystery-model-9']);
    const row = summary.models.find((m) => m.model === 'mystery-model-9')!;
    expect(row.costUSD).toBeNull();
    expect(row.tokens.input).toBe(5_000_000);
    expect(summary.tokens.input).toBe(6_100_000);
  });

  it('makes a model row unpriced when any one of its responses cannot be priced', () => {
    // claude-haiku-4-5 has no fast-mode multiplier, so a fast haiku response has no price.
    expect(costOfResponse('claude-haiku-4-5', tokens({ input: 1 }), 0, 'fast')).toBeUndefined();
    const summary = summarize([e1, e3, event({ model: 'claude-haiku-4-5', speed: 'fast', tokens: { input: 1000 } })]);
    expect(summary.models.find((m) => m.model === 'claude-haiku-4-5')!.costUSD).toBeNull();
    expect(summary.models.find((m) => m.model === 'claude-opus-4-6')!.costUSD).toBeCloseTo(5, 6);
    expect(summary.unpricedModels).toEqual(['claude-haiku-4-5']);
    expect(summary.costUSD).toBeCloseTo(5.2, 6);
  });

  it('adds reasoning tokens and web searches', () => {
    const summary = summarize([event({ reasoningOutput: 30, tokens: { output: 50 }, webSearchRequests: 2 }), event({ reasoningOutput: 12, webSearchRequests: 1 })]);
    expect(summary.reasoningTokens).toBe(42);
    expect(summary.webSearchRequests).toBe(3);
    // Three searches at $10 per thousand.
    expect(summary.costUSD).toBeCloseTo(0.03 + (50 * 25) / 1e6, 9);
  });
});

describe('summarizeSession: time', () => {
  it('rounds start and end down to the hour by default', () => {
    const summary = summarize();
    expect(summary.startedAt).toBe('2026-05-04T10:00:00Z');
    expect(summary.endedAt).toBe('2026-05-04T11:00:00Z');
  });

  it('rounds to the minute or the day when asked', () => {
    expect([summarize(SESSION, { timeResolution: 'minute' }).startedAt, summarize(SESSION, { timeResolution: 'minute' }).endedAt]).toEqual(['2026-05-04T10:07:00Z', '2026-05-04T11:03:00Z']);
    expect([summarize(SESSION, { timeResolution: 'day' }).startedAt, summarize(SESSION, { timeResolution: 'day' }).endedAt]).toEqual(['2026-05-04T00:00:00Z', '2026-05-04T00:00:00Z']);
  });

  it('does not depend on the order of the events', () => {
    const reversed = summarize([...SESSION].reverse());
    expect(reversed.startedAt).toBe('2026-05-04T10:00:00Z');
    expect(reversed.durationSeconds).toBe(summarize().durationSeconds);
    expect(reversed.series).toEqual(summarize().series);
  });

  it('measures the duration from first to last response, unrounded', () => {
    // 10:07:31.250 -> 11:03:31.250 is 56 minutes.
    expect(summarize().durationSeconds).toBe(56 * 60);
  });

  it('counts active time as the gaps of at most five minutes, leaving a longer gap out', () => {
    // Gaps 120 s, 90 s, 20 s count; the 52-minute gap before e5 does not: 230 s.
    expect(summarize().activeSeconds).toBe(230);
    // Exactly five minutes still counts; a millisecond more does not.
    expect(activeMs([0, 300_000])).toBe(300_000);
    expect(activeMs([0, 300_001])).toBe(0);
    expect(activeMs([600_000, 0, 60_000])).toBe(60_000);
    expect(activeMs([5])).toBe(0);
  });

  it('gives one series point per minute with activity, summing responses of the same minute', () => {
    // Minutes since 10:07:31.250: e1 0, e2 2, e3 3 (210 s), e4 3 (230 s), e5 56.
    expect(summarize().series).toEqual([
      { minute: 0, ...tokens({ input: 1_000_000 }) },
      { minute: 2, ...tokens({ output: 200_000, cacheRead: 2_000_000 }) },
      { minute: 3, ...tokens({ input: 100_000, output: 20_000, cacheWrite5m: 800_000, cacheWrite1h: 500_000 }) },
      { minute: 56, ...tokens({ cacheWrite1h: 100_000, output: 40_000 }) },
    ]);
  });

  it('rounds times with roundTime to whole steps in UTC', () => {
    const ms = Date.parse('2026-12-31T23:59:59.999Z');
    expect(roundTime(ms, 'minute')).toBe('2026-12-31T23:59:00Z');
    expect(roundTime(ms, 'hour')).toBe('2026-12-31T23:00:00Z');
    expect(roundTime(ms, 'day')).toBe('2026-12-31T00:00:00Z');
  });
});

describe('summarizeSession: turns, tools, phases, envelope', () => {
  it('counts the user turns of the main thread that got a response', () => {
    // Main thread turns 1 and 2; the subagents' turn 1 and a turn-0 response (before any prompt) do not add.
    expect(summarize().userTurns).toBe(2);
    expect(summarize([...SESSION, event({ turn: 0 }), event({ isSidechain: true, agentId: 'a1', turn: 7 })]).userTurns).toBe(2);
  });

  it('counts tool calls by name, subagents included', () => {
    expect(summarize().tools).toEqual({ Read: 1, Bash: 2, Edit: 1 });
    expect(summarize().requests).toBe(5);
  });

  it('attributes tokens and cost to phases, adding back up to the session', () => {
    const phases = summarize().phases;
    expect(Object.keys(phases)).toEqual([...PHASES]);
    // exploration: e1 (Read) and e2 (no tools; its turn's calls were all exploration).
    expect(phases.exploration.tokens).toEqual({ input: 1_000_000, output: 200_000, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 2_000_000, total: 3_200_000 });
    expect(phases.exploration.toolCalls).toBe(1);
    expect(phases.exploration.costUSD).toBeCloseTo(11, 6);
    expect(phases.testing).toEqual({ toolCalls: 1, tokens: { input: 100_000, output: 20_000, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, total: 120_000 }, costUSD: 0.2 });
    // e4: subagent b2 called no tools in its turn -> other.
    expect(phases.other.tokens.total).toBe(1_300_000);
    expect(phases.other.costUSD).toBeCloseTo(2, 6);
    // e5 splits evenly over Edit and Bash git: 50,000 write1h + 20,000 output each, $1 each.
    for (const phase of ['execution', 'git'] as const) {
      expect(phases[phase].tokens).toEqual({ input: 0, output: 20_000, cacheWrite5m: 0, cacheWrite1h: 50_000, cacheRead: 0, total: 70_000 });
      expect(phases[phase].costUSD).toBeCloseTo(1, 6);
    }
    expect(phases.planning.tokens.total + phases.delegation.tokens.total).toBe(0);
    const sum = PHASES.reduce((total, phase) => total + phases[phase].tokens.total, 0);
    expect(sum).toBe(summarize().tokens.total);
    for (const type of TOKEN_TYPES) expect(PHASES.reduce((total, phase) => total + phases[phase].tokens[type], 0)).toBe(summarize().tokens[type]);
  });

  it('takes the newest main-thread agent version and the first entrypoint', () => {
    // 2.1.10 is newer than 2.1.9 and 2.1.2 (numeric order); the subagent's 9.9.9 does not count.
    const summary = summarize();
    expect(summary.agentVersion).toBe('2.1.10');
    expect(summary.entrypoint).toBe('cli');
  });

  it('copies the machine context and writes the schema header', () => {
    const sha = 'a'.repeat(40);
    const summary = summarize(SESSION, {
      developer: 'dev_0123456789abcdef',
      branch: 'feature/login',
      category: 'bugfix',
      commits: [{ sha, added: 3, removed: 1 }],
      strategies: ['plan-first'],
      capturedBy: 'hook',
    });
    expect(summary).toMatchObject({
      schema: SESSION_SCHEMA,
      parser: '0.1.0',
      capturedBy: 'hook',
      agent: 'claude-code',
      developer: 'dev_0123456789abcdef',
      branch: 'feature/login',
      category: 'bugfix',
      commits: [{ sha, added: 3, removed: 1 }],
      strategies: ['plan-first'],
    });
    expect('category' in summarize()).toBe(false);
    expect(summarize().commits).toEqual([]);
  });

  it('throws a clear error for an empty event list', () => {
    expect(() => summarize([])).toThrow(/session s1: no billed responses/);
  });
});

describe('summaryId', () => {
  it('is ses_ plus 24 hex of SHA-256 over agent:session', () => {
    const expected = `ses_${createHash('sha256').update('claude-code:s1').digest('hex').slice(0, 24)}`;
    expect(summaryId('claude-code', 's1')).toBe(expected);
    expect(summarize().id).toBe(expected);
  });

  it('is stable for the same agent and session and differs otherwise', () => {
    expect(summaryId('claude-code', 'abc')).toBe(summaryId('claude-code', 'abc'));
    expect(summaryId('claude-code', 'abc')).not.toBe(summaryId('codex', 'abc'));
    expect(summaryId('claude-code', 'abc')).not.toBe(summaryId('claude-code', 'abd'));
  });

  it('does not contain the session id', () => {
    expect(summaryId('claude-code', '0123456789ab')).not.toContain('0123456789ab');
  });
});

describe('sessionSummarySchema', () => {
  const valid = () => structuredClone(summarize());

  it('accepts a summary as built', () => {
    expect(() => sessionSummarySchema.parse(summarize())).not.toThrow();
    expect(() => sessionSummarySchema.parse(summarize([...SESSION, event({ model: 'mystery-model-9' })], { timeResolution: 'minute' }))).not.toThrow();
  });

  it('rejects an unknown top-level key such as cwd', () => {
    expect(sessionSummarySchema.safeParse({ ...valid(), cwd: '/home/dev/app' }).success).toBe(false);
  });

  it('rejects an unknown key inside nested objects', () => {
    const summary = valid();
    (summary.tokens as Record<string, unknown>).prompt = 'hello';
    expect(sessionSummarySchema.safeParse(summary).success).toBe(false);
    const other = valid();
    (other.models[0] as Record<string, unknown>).note = 'x';
    expect(sessionSummarySchema.safeParse(other).success).toBe(false);
  });

  it('rejects a developer that is not dev_ followed by hex', () => {
    for (const developer of ['alice@example.com', 'dev_XYZ0123456789abc', 'dev_0123', 'usr_0123456789abcdef', '0123456789abcdef']) {
      expect(sessionSummarySchema.safeParse({ ...valid(), developer }).success, developer).toBe(false);
    }
    expect(sessionSummarySchema.safeParse({ ...valid(), developer: 'dev_0123456789abcdef' }).success).toBe(true);
    expect(sessionSummarySchema.safeParse({ ...valid(), developer: null }).success).toBe(true);
  });

  it('rejects a tool name with spaces or other free text', () => {
    for (const name of ['run the tests', 'mcp:github create issue', 'a/b', '']) {
      expect(sessionSummarySchema.safeParse({ ...valid(), tools: { [name]: 1 } }).success, name).toBe(false);
    }
    expect(sessionSummarySchema.safeParse({ ...valid(), tools: { 'mcp:claude_ai_Notion': 2 } }).success).toBe(true);
  });

  it('rejects an id that is not ses_ followed by hex, and a model id with spaces', () => {
    expect(sessionSummarySchema.safeParse({ ...valid(), id: 's1' }).success).toBe(false);
    const summary = valid();
    summary.models[0]!.model = 'my secret model';
    expect(sessionSummarySchema.safeParse(summary).success).toBe(false);
  });

  it('rejects times that are not ISO-8601 UTC, and negative counts', () => {
    expect(sessionSummarySchema.safeParse({ ...valid(), startedAt: '2026-05-04 10:00' }).success).toBe(false);
    expect(sessionSummarySchema.safeParse({ ...valid(), startedAt: '2026-05-04T10:00:00+02:00' }).success).toBe(false);
    expect(sessionSummarySchema.safeParse({ ...valid(), requests: -1 }).success).toBe(false);
  });

  it('accepts a free-form branch up to 200 characters and rejects a longer one', () => {
    expect(sessionSummarySchema.safeParse({ ...valid(), branch: 'b'.repeat(200) }).success).toBe(true);
    expect(sessionSummarySchema.safeParse({ ...valid(), branch: 'b'.repeat(201) }).success).toBe(false);
  });

  it('requires every phase', () => {
    const summary = valid();
    delete (summary.phases as Partial<SessionSummary['phases']>).git;
    expect(sessionSummarySchema.safeParse(summary).success).toBe(false);
  });
});
