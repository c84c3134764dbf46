/**
 * Acceptance over real Gemini CLI chat files (2025-10 to 2026-03, see fixtures/real/SOURCES.md):
 * an old hash-named project folder, a newer named one with `projects.json`, and one session present
 * in both. They carry no license, so they are arranged at run time into a temp `~/.gemini`, never
 * copied into the project. The figures are the (6): the duplicated session counts once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumTokens } from '../../../test/helpers/events.js';
import { copyTree, hasRealFixtures, REAL_FIXTURES } from '../../../test/helpers/real-fixtures.js';
import { buildUsageReport } from '../../report/usage-report.js';
import { readSessionEvents } from '../session.js';
import { readGeminiSessions } from './index.js';

const REAL_GEMINI = path.join(REAL_FIXTURES, 'gemini/fabien-lessirard__dotfiles/.gemini');
const OLD_FOLDER = '56cfacee57fb9791a4f38e595662752e07022cdeb39cd7127005427d7361037b';
const DUPLICATED = 'session-2026-01-24T18-04-945f7523.json';

if (!hasRealFixtures) console.warn(`Real fixtures not found at ${REAL_FIXTURES}: Gemini acceptance test skipped.`);

describe.skipIf(!hasRealFixtures)('real Gemini CLI chats', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'tokenledger-gemini-real-'));
    await copyTree(REAL_GEMINI, path.join(home, '.gemini'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('add up to the issue figures, the session in both folders once', async () => {
    const { events, diagnostics } = await readGeminiSessions({ env: { HOME: home } });
    const sum = sumTokens(events);

    expect(sum).toEqual({ input: 72_457, cacheRead: 82_149, output: 5_220, cacheWrite5m: 0, cacheWrite1h: 0, reasoningOutput: 996 });
    expect(sum.input + sum.cacheRead + sum.output).toBe(159_826);
    expect(events).toHaveLength(16);
    expect(new Set(events.map((event) => event.requestKey)).size).toBe(16);
    expect(diagnostics).toMatchObject({ filesRead: 5, responses: 16, duplicateLines: 2, malformedLines: 0, skippedLines: 0 });
    // The copied session groups under the name its project has today.
    expect(new Set(events.filter((event) => event.sessionId.startsWith('945f7523')).map((event) => event.project))).toEqual(new Set(['dashboard-mictlan']));
  });

  it('give the same totals through the built-in report', async () => {
    const { events, diagnostics } = await readGeminiSessions({ env: { HOME: home } });
    const report = buildUsageReport(events, diagnostics, { kind: 'session', timeZone: 'UTC' });

    expect(report.totals).toMatchObject({ inputTokens: 72_457, cacheReadTokens: 82_149, outputTokens: 5_220, cacheCreationTokens: 0, totalTokens: 159_826, requests: 16 });
    expect(report.rows).toHaveLength(4);
  });

  it('read the duplicated session the same from either folder', async () => {
    const [old, named] = await Promise.all([
      readSessionEvents(path.join(home, '.gemini/tmp', OLD_FOLDER, 'chats', DUPLICATED)),
      readSessionEvents(path.join(home, '.gemini/tmp/dashboard-mictlan/chats', DUPLICATED)),
    ]);
    expect(old.agent).toBe('gemini');
    expect(old.events).toEqual(named.events);
    expect(sumTokens(old.events)).toMatchObject({ input: 2_935, cacheRead: 9_812, output: 175 });
  });
});
