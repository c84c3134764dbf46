import { describe, expect, it } from 'vitest';
import { summary } from '../../test/helpers/summaries.js';
import { deriveDailyRows } from './daily.js';
import type { SessionRow } from './partial-schema.js';
import { toSessionRow } from './session-row.js';

function row(session: string, spec: Parameters<typeof summary>[0] = {}): SessionRow {
  return toSessionRow('acme/app', summary({ session, developer: 'ada', ...spec }));
}

const opus = (input: number, costUSD: number) => ({ model: 'claude-opus-4-6', tokens: { input, output: 10 }, costUSD });

describe('deriveDailyRows', () => {
  it('adds up the sessions of one day and leaves each session row as it was', () => {
    const sessions = [
      row('a', { models: [opus(100, 0.25)], tools: { Read: 2, Bash: 1 }, phases: { exploration: { toolCalls: 2, tokens: { input: 60 }, costUSD: 0.125 } } }),
      row('b', { models: [opus(200, 0.5)], tools: { Edit: 3, Read: 1 }, phases: { exploration: { toolCalls: 1, tokens: { input: 20 }, costUSD: 0.0625 }, execution: { toolCalls: 3, tokens: { input: 90 }, costUSD: 0.25 } } }),
      row('c', { models: [opus(50, 0.125)], startedAt: '2026-05-05T10:00:00Z', tools: { Grep: 4 }, phases: { exploration: { toolCalls: 4, tokens: { input: 40 }, costUSD: 0.1 } } }),
    ];
    const before = structuredClone(sessions);
    const daily = deriveDailyRows(sessions, 'UTC');
    expect(sessions).toEqual(before);
    expect(daily).toHaveLength(2);
    expect(daily[0]).toMatchObject({
      date: '2026-05-04',
      sessions: 2,
      costUSD: 0.75,
      tokens: { input: 300, output: 20, total: 320 },
      phases: { exploration: { toolCalls: 3, tokens: 80, costUSD: 0.1875 }, execution: { toolCalls: 3, tokens: 90, costUSD: 0.25 } },
    });
    expect(Object.entries(daily[0]!.tools)).toEqual([['Bash', 1], ['Edit', 3], ['Read', 3]]);
    // A day of one session is that session's usage, phases and tools.
    expect(daily[1]).toMatchObject({ date: '2026-05-05', sessions: 1, tokens: sessions[2]!.tokens, phases: sessions[2]!.phases, tools: { Grep: 4 } });
    // Deriving again gives the same rows: nothing was added into a shared object.
    expect(deriveDailyRows(sessions, 'UTC')).toEqual(daily);
  });

  it('sorts tools, rounds costs and orders phases for a one-session day from rows not made by toSessionRow', () => {
    const made = row('a', { models: [opus(100, 0.25)] });
    const odd: SessionRow = {
      ...made,
      tools: { Read: 1, Bash: 2 },
      phases: { execution: { toolCalls: 1, tokens: 5, costUSD: 0.1 + 0.2 }, exploration: { toolCalls: 1, tokens: 5, costUSD: 0.3 } },
    };
    const [day] = deriveDailyRows([odd], 'UTC');
    expect(Object.keys(day!.tools)).toEqual(['Bash', 'Read']);
    expect(Object.keys(day!.phases)).toEqual(['exploration', 'execution']);
    expect(day!.phases.execution!.costUSD).toBe(0.3);
    expect(odd.phases.execution!.costUSD).toBe(0.1 + 0.2);
  });
});
