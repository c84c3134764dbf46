import { describe, expect, it } from 'vitest';
import { summary } from '../../test/helpers/summaries.js';
import type { SessionRow } from './partial-schema.js';
import { SessionPool } from './session-pool.js';
import { DETAILED_SESSIONS, keepDetailOfNewest, sessionDetail, toSessionRow } from './session-row.js';

const at = (n: number) => new Date(Date.UTC(2026, 4, 1) + n * 3_600_000).toISOString();

function captured(n: number, repository: string, spec: Parameters<typeof summary>[0] = {}) {
  const one = summary({ session: `${repository}-${n}`, startedAt: at(n), endedAt: at(n + 1), ...spec });
  return { row: toSessionRow(repository, one), detail: () => sessionDetail(one) };
}

/** A shuffle that is the same every run. */
function shuffled<T>(list: T[], seed: number): T[] {
  const out = [...list];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const detailedIds = (rows: SessionRow[]) => rows.filter((row) => row.detail !== undefined).map((row) => row.id).sort();

describe('SessionPool', () => {
  it('keeps the detail keepDetailOfNewest keeps, whatever order the rows come in, asking for few', () => {
    const all = [...Array.from({ length: DETAILED_SESSIONS * 4 }, (_, n) => captured(n, 'acme/app')), ...Array.from({ length: 7 }, (_, n) => captured(n, 'acme/web'))];
    const expected = detailedIds(keepDetailOfNewest(all.map(({ row, detail }) => ({ ...row, detail: detail() }))));
    expect(expected).toHaveLength(DETAILED_SESSIONS + 7);
    for (const seed of [1, 2, 3]) {
      const pool = new SessionPool();
      let asked = 0;
      for (const { row, detail } of shuffled(all, seed)) pool.add(row, () => (asked++, detail()));
      expect(detailedIds(pool.takeSessions())).toEqual(expected);
      expect(asked).toBeLessThan(all.length);
    }
    // Oldest first is the worst case for asking and still right.
    const pool = new SessionPool();
    for (const { row, detail } of all) pool.add(row, detail);
    expect(detailedIds(pool.takeSessions())).toEqual(expected);
  });

  it('keeps the newest capture of an id and counts the others, never changing the rows given', () => {
    const older = captured(1, 'acme/app', { session: 's', endedAt: at(2) });
    const newer = captured(1, 'acme/web', { session: 's', endedAt: at(3) });
    const given = { ...older.row, detail: older.detail() };
    const frozen = JSON.stringify(given);
    const pool = new SessionPool();
    pool.add(given);
    pool.add(newer.row, newer.detail);
    pool.add(older.row, older.detail);
    expect(pool.takeSessions().map((row) => [row.repository, row.endedAt])).toEqual([['acme/web', at(3)]]);
    expect(pool.dropped).toBe(2);
    expect(JSON.stringify(given)).toBe(frozen);
  });
});
