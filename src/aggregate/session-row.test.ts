import { describe, expect, it } from 'vitest';
import { summary } from '../../test/helpers/summaries.js';
import type { SessionRow } from './partial-schema.js';
import { SessionPool } from './session-pool.js';
import { compareCaptures, DETAILED_SESSIONS, keepDetailOfNewest, sessionDetail, toSessionRow } from './session-row.js';

function row(spec: Parameters<typeof summary>[0], repository = 'acme/app'): SessionRow {
  const captured = summary(spec);
  return { ...toSessionRow(repository, captured), detail: sessionDetail(captured) };
}

function pooled(rows: SessionRow[]): SessionRow[] {
  const pool = new SessionPool();
  for (const one of rows) pool.add(one);
  return pool.takeSessions();
}

describe('compareCaptures', () => {
  it('orders by parser version, then endedAt, then requests', () => {
    expect(compareCaptures(row({ session: 's', parser: '0.10.0' }), row({ session: 's', parser: '0.9.0', endedAt: '2027-01-01T00:00:00Z' }))).toBeGreaterThan(0);
    // The same instant written with and without milliseconds is a tie on endedAt.
    const plain = row({ session: 's', endedAt: '2026-05-04T12:00:00Z', models: [{ model: 'claude-opus-4-6', requests: 2 }] });
    const millis = row({ session: 's', endedAt: '2026-05-04T12:00:00.000Z', models: [{ model: 'claude-opus-4-6', requests: 1 }] });
    expect(compareCaptures(plain, millis)).toBeGreaterThan(0);
    expect(compareCaptures(millis, plain)).toBeLessThan(0);
  });

  it('breaks a full tie by content, the same way in either order', () => {
    const app = row({ session: 's' }, 'acme/app');
    const web = row({ session: 's' }, 'acme/web');
    expect(Math.sign(compareCaptures(app, web))).toBe(-Math.sign(compareCaptures(web, app)));
    expect(compareCaptures(app, web)).not.toBe(0);
    expect(compareCaptures(app, { ...app })).toBe(0);
    // Detail is not content: a row that lost it is the same capture.
    const { detail: _detail, ...bare } = app;
    expect(compareCaptures(app, bare)).toBe(0);
    expect(pooled([app, web])).toEqual(pooled([web, app]));
  });
});

describe('toSessionRow', () => {
  it('keeps only the phases that were used', () => {
    const used = row({ phases: { testing: { toolCalls: 2 } } });
    expect(Object.keys(used.phases)).toEqual(['testing']);
  });
});

describe('keepDetailOfNewest', () => {
  const at = (n: number) => new Date(Date.UTC(2026, 4, 1) + n * 3_600_000).toISOString();
  const rows = (repository: string, count: number) => Array.from({ length: count }, (_, n) => row({ session: `${repository}-${n}`, startedAt: at(n), endedAt: at(n + 1) }, repository));

  it("keeps the detail of each repository's newest sessions only", () => {
    const kept = keepDetailOfNewest([...rows('acme/app', DETAILED_SESSIONS + 5), ...rows('acme/web', 3)]);
    const detailed = kept.filter((session) => session.detail !== undefined);
    expect(detailed.filter((session) => session.repository === 'acme/web')).toHaveLength(3);
    const app = detailed.filter((session) => session.repository === 'acme/app').map((session) => session.startedAt).sort();
    expect(app).toHaveLength(DETAILED_SESSIONS);
    expect(app[0]).toBe(at(5));
  });

  it('gives the same details whether shards are trimmed first or not', () => {
    const all = rows('acme/app', DETAILED_SESSIONS * 2);
    const shards = [keepDetailOfNewest(all.filter((_, i) => i % 2 === 0)), keepDetailOfNewest(all.filter((_, i) => i % 2 === 1))];
    const ids = (list: SessionRow[]) => list.filter((session) => session.detail).map((session) => session.id).sort();
    expect(ids(keepDetailOfNewest(shards.flat()))).toEqual(ids(keepDetailOfNewest(all)));
  });
});
