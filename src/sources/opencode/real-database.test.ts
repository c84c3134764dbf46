/**
 * Acceptance over the real OpenCode 1.17 store (fixtures/real/SOURCES.md: a sanitized copy, WAL
 * checkpointed in). It carries no license, so it is read from the shared folder beside the
 * repository, copied to a temp folder first (the shared folder is read-only), never into the project.
 * Expected figures: the totals, and OpenCode's own running totals in the `session` table,
 * read here with plain SQL.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumTokens } from '../../../test/helpers/events.js';
import { hasRealFixtures, REAL_FIXTURES } from '../../../test/helpers/real-fixtures.js';
import { buildUsageReport } from '../../report/usage-report.js';
import { readSessionEvents } from '../session.js';
import { readOpenCodeSessions } from './index.js';

const FIXTURE = path.join(REAL_FIXTURES, 'opencode/richardaiand__aiand-portfolio-web/.local/share/opencode/opencode.sanitized.db');

if (!hasRealFixtures) console.warn(`Real fixtures not found at ${REAL_FIXTURES}: OpenCode acceptance test skipped.`);

describe.skipIf(!hasRealFixtures)('real OpenCode store (1.17.3)', () => {
  let home: string;
  let dataDir: string;
  let db: string;

  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'tokenledger-opencode-real-'));
    dataDir = path.join(home, '.local/share/opencode');
    db = path.join(dataDir, 'opencode.db');
    await mkdir(dataDir, { recursive: true });
    await copyFile(FIXTURE, db);
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  /** OpenCode's own per-session running totals. */
  function sessionTotals(): { id: string; input: number; output: number; reasoning: number; cacheRead: number; cacheWrite: number }[] {
    const store = new Database(db, { readonly: true });
    try {
      return store
        .prepare('SELECT id, tokens_input AS input, tokens_output AS output, tokens_reasoning AS reasoning, tokens_cache_read AS cacheRead, tokens_cache_write AS cacheWrite FROM session ORDER BY id')
        .all() as ReturnType<typeof sessionTotals>;
    } finally {
      store.close();
    }
  }

  it("counts the issue's totals: input 1,925,017, output 39,246, total 1,964,263", async () => {
    const { events, diagnostics } = await readOpenCodeSessions({ env: { HOME: home } });

    expect(sumTokens(events)).toEqual({ input: 1_925_017, output: 39_246, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoningOutput: 0 });
    // 91 message rows: 17 prompts, 70 billed responses, 4 aborted responses saved with zero tokens.
    expect(diagnostics).toEqual({ filesRead: 1, lines: 91, responses: 70, duplicateLines: 0, malformedLines: 0, skippedLines: 4, malformedSamples: [] });
    expect(new Set(events.map((event) => event.model))).toEqual(new Set(['deepseek-ai/deepseek-v4-flash', 'moonshotai/kimi-k2.6']));
    // 77 tool parts, 5 of them on the aborted responses.
    expect(events.flatMap((event) => event.tools)).toHaveLength(72);
  });

  it("agrees with OpenCode's own running totals, session by session", async () => {
    const { events } = await readOpenCodeSessions({ env: { HOME: home } });
    for (const session of sessionTotals()) {
      const own = sumTokens(events.filter((event) => event.sessionId === session.id));
      expect(own).toEqual({ input: session.input, output: session.output + session.reasoning, cacheWrite5m: session.cacheWrite, cacheWrite1h: 0, cacheRead: session.cacheRead, reasoningOutput: session.reasoning });
    }
  });

  it('gives the same totals through the report code', async () => {
    const { events, diagnostics } = await readOpenCodeSessions({ env: { HOME: home } });
    const report = buildUsageReport(events, diagnostics, { kind: 'session', timeZone: 'UTC' });

    expect(report.totals).toMatchObject({ inputTokens: 1_925_017, outputTokens: 39_246, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: 1_964_263, requests: 70 });
    expect(report.rows.map((row) => row.sessionId).sort()).toEqual(sessionTotals().map((session) => session.id));
  });

  it('reads one session for summarize as `<store>#<sessionID>`', async () => {
    const [largest] = sessionTotals().sort((a, b) => b.input - a.input);
    const read = await readSessionEvents(`${db}#${largest!.id}`);
    expect(read).toMatchObject({ agent: 'opencode', sessionId: largest!.id, warnings: [] });
    expect(sumTokens(read.events)).toMatchObject({ input: largest!.input, output: largest!.output });
  });
});
