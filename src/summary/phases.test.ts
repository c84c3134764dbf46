import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { event, tool, tokens } from '../../test/helpers/events.js';
import { TOKEN_TYPES, type UsageEvent } from '../sources/events.js';
import { PHASES } from '../sources/phase.js';
import { phaseShares, turnPhases, type PhaseShare } from './phases.js';

/** Shares of one event, computed against the turn phases of `all` (default: the event alone). */
function sharesOf(target: UsageEvent, all: UsageEvent[] = [target]): PhaseShare[] {
  return phaseShares(target, turnPhases(all));
}

function byPhase(shares: PhaseShare[]): Record<string, PhaseShare> {
  return Object.fromEntries(shares.map((share) => [share.phase, share]));
}

describe('phaseShares: responses with tool calls', () => {
  it("splits a response's tokens evenly over its tool calls, remainders going to the first calls", () => {
    // 100 over 3 = 33 r 1 -> 34/33/33; 10 over 3 = 3 r 1 -> 4/3/3; 2 over 3 -> 1/1/0; 6 over 3 -> 2/2/2.
    const response = event({
      tokens: { output: 100, input: 10, cacheRead: 2, cacheWrite5m: 6, cacheWrite1h: 0 },
      tools: [tool('Read'), tool('Edit'), tool('Bash', 'testing')],
    });
    const shares = byPhase(sharesOf(response));
    expect(Object.keys(shares).sort()).toEqual(['execution', 'exploration', 'testing']);
    expect(shares.exploration!.tokens).toEqual(tokens({ output: 34, input: 4, cacheRead: 1, cacheWrite5m: 2 }));
    expect(shares.execution!.tokens).toEqual(tokens({ output: 33, input: 3, cacheRead: 1, cacheWrite5m: 2 }));
    expect(shares.testing!.tokens).toEqual(tokens({ output: 33, input: 3, cacheRead: 0, cacheWrite5m: 2 }));
    for (const share of Object.values(shares)) {
      expect(share.toolCalls).toBe(1);
      expect(share.fraction).toBeCloseTo(1 / 3, 12);
    }
  });

  it('merges two calls of one phase into one share with both calls and both parts', () => {
    // 100 over 3 calls: Read #0 gets 34, Edit #1 33, Read #2 33 -> exploration 67, execution 33.
    const shares = byPhase(sharesOf(event({ tokens: { output: 100 }, tools: [tool('Read'), tool('Edit'), tool('Grep')] })));
    expect(Object.keys(shares).sort()).toEqual(['execution', 'exploration']);
    expect(shares.exploration!.tokens.output).toBe(67);
    expect(shares.exploration!.toolCalls).toBe(2);
    expect(shares.exploration!.fraction).toBeCloseTo(2 / 3, 12);
    expect(shares.execution!.tokens.output).toBe(33);
    expect(shares.execution!.toolCalls).toBe(1);
  });

  it('gives everything to the only phase when all calls share it', () => {
    const [only, ...rest] = sharesOf(event({ tokens: { input: 7, output: 5 }, tools: [tool('Edit'), tool('Write')] }));
    expect(rest).toEqual([]);
    expect(only).toEqual({ phase: 'execution', tokens: tokens({ input: 7, output: 5 }), fraction: 1, toolCalls: 2 });
  });

  it("ignores the turn's phase when the response has its own tool calls", () => {
    const planning = event({ tools: [tool('TodoWrite'), tool('TodoWrite')] });
    const editing = event({ tokens: { output: 9 }, tools: [tool('Edit')] });
    expect(sharesOf(editing, [planning, editing]).map((share) => share.phase)).toEqual(['execution']);
  });
});

describe('phaseShares: responses without tool calls', () => {
  it("takes the dominant phase of its turn, by tool calls", () => {
    // The turn has two testing calls and one exploration call: testing dominates.
    const a = event({ tools: [tool('Bash', 'testing'), tool('Read')] });
    const b = event({ tools: [tool('Bash', 'testing')] });
    const answer = event({ tokens: { output: 40, cacheRead: 1000 } });
    expect(sharesOf(answer, [a, b, answer])).toEqual([{ phase: 'testing', tokens: tokens({ output: 40, cacheRead: 1000 }), fraction: 1, toolCalls: 0 }]);
  });

  it('breaks a tie by the order of PHASES', () => {
    // One git call and one exploration call: exploration comes first in PHASES.
    expect(PHASES.indexOf('exploration')).toBeLessThan(PHASES.indexOf('git'));
    const calls = event({ tools: [tool('Bash', 'git'), tool('Read')] });
    const answer = event({ tokens: { output: 1 } });
    expect(sharesOf(answer, [calls, answer])[0]!.phase).toBe('exploration');
  });

  it('goes to other in a turn without any tool calls', () => {
    const answer = event({ tokens: { output: 12 } });
    expect(sharesOf(answer, [answer, event({ tokens: { output: 3 } })])).toEqual([{ phase: 'other', tokens: tokens({ output: 12 }), fraction: 1, toolCalls: 0 }]);
  });

  it('goes to other when no turn phases are known at all', () => {
    expect(phaseShares(event({ tokens: { input: 1 } }), new Map())[0]!.phase).toBe('other');
  });

  it('does not borrow the phase of another turn of the same session', () => {
    const turn1 = event({ turn: 1, tools: [tool('Edit')] });
    const turn2 = event({ turn: 2, tokens: { output: 5 } });
    expect(sharesOf(turn2, [turn1, turn2])[0]!.phase).toBe('other');
  });

  it('does not borrow the phase of the same turn number in another session', () => {
    const other = event({ sessionId: 's2', turn: 1, tools: [tool('Edit')] });
    const answer = event({ sessionId: 's1', turn: 1, tokens: { output: 5 } });
    expect(sharesOf(answer, [other, answer])[0]!.phase).toBe('other');
  });

  it('keeps the main thread and each subagent apart within one session and turn', () => {
    const main = event({ turn: 1, tools: [tool('Edit')] });
    const agentA = event({ turn: 1, isSidechain: true, agentId: 'a1', tools: [tool('Read')] });
    const agentB = event({ turn: 1, isSidechain: true, agentId: 'b2', tools: [tool('Bash', 'git')] });
    const all = [main, agentA, agentB];
    expect(sharesOf(event({ turn: 1 }), all)[0]!.phase).toBe('execution');
    expect(sharesOf(event({ turn: 1, isSidechain: true, agentId: 'a1' }), all)[0]!.phase).toBe('exploration');
    expect(sharesOf(event({ turn: 1, isSidechain: true, agentId: 'b2' }), all)[0]!.phase).toBe('git');
    expect(sharesOf(event({ turn: 1, isSidechain: true, agentId: 'c3' }), all)[0]!.phase).toBe('other');
  });
});

describe('turnPhases', () => {
  it('has one entry per (session, subagent, turn) that called tools', () => {
    const phases = turnPhases([
      event({ turn: 1, tools: [tool('Edit')] }),
      event({ turn: 1, tools: [tool('Read')] }),
      event({ turn: 2, tools: [] }),
      event({ turn: 3, isSidechain: true, agentId: 'a', tools: [tool('Read')] }),
    ]);
    expect(phases.size).toBe(2);
    // Edit then Read in turn 1: a tie between execution and exploration; exploration is earlier.
    expect([...phases.values()].sort()).toEqual(['exploration', 'exploration']);
  });
});

describe('phaseShares: exact totals (property)', () => {
  const count = fc.nat({ max: 1_000_000 });
  const tokenCounts = fc.record({ input: count, output: count, cacheWrite5m: count, cacheWrite1h: count, cacheRead: count });
  const toolCalls = fc.array(fc.record({ name: fc.constantFrom('Read', 'Edit', 'Bash', 'Task'), phase: fc.constantFrom(...PHASES) }), { maxLength: 9 });

  it('adds every token type back up exactly, with fractions summing to one and every call counted', () => {
    fc.assert(
      fc.property(tokenCounts, toolCalls, (t, tools) => {
        const shares = sharesOf(event({ tokens: t, tools }));
        for (const type of TOKEN_TYPES) expect(shares.reduce((sum, share) => sum + share.tokens[type], 0)).toBe(t[type]);
        expect(shares.reduce((sum, share) => sum + share.fraction, 0)).toBeCloseTo(1, 9);
        expect(shares.reduce((sum, share) => sum + share.toolCalls, 0)).toBe(tools.length);
        expect(new Set(shares.map((share) => share.phase)).size).toBe(shares.length);
        // Even split: no call's part of a type differs from another's by more than one token,
        // so a share of k calls out of n holds between k*floor(x/n) and k*ceil(x/n).
        const n = Math.max(tools.length, 1);
        for (const share of shares) {
          const k = Math.max(share.toolCalls, 1);
          for (const type of TOKEN_TYPES) {
            expect(share.tokens[type]).toBeGreaterThanOrEqual(k * Math.floor(t[type] / n));
            expect(share.tokens[type]).toBeLessThanOrEqual(k * Math.ceil(t[type] / n));
          }
        }
      }),
    );
  });
});
