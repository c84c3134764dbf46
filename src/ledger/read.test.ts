import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSummary, makeWorkRepo } from '../../test/helpers/git-repos.js';
import { describeZodIssues } from '../errors.js';
import { sessionSummarySchema, type SessionSummary } from '../summary/schema.js';
import { LedgerError } from './errors.js';
import { DATA_REF, summaryPath } from './paths.js';
import { listSummaryPaths, readSummaries, type StoredSummary } from './read.js';
import { writeLedgerFiles, writeSummaries } from './write.js';

describe('readSummaries', () => {
  it('reads back exactly what was written', async () => {
    const repo = await makeWorkRepo();
    const summaries = [makeSummary(), makeSummary({ startedAt: '2026-06-01T00:00:00.000Z' }), makeSummary({ output: 7 })];
    await writeSummaries(repo, summaries);

    const read = await readSummaries(repo);
    expect(read.invalid).toEqual([]);
    expect(read.summaries.sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      summaries.map((summary) => ({ path: summaryPath(summary), blob: expect.stringMatching(/^[0-9a-f]{40}$/), summary })).sort((a, b) => a.path.localeCompare(b.path)),
    );
    expect(await listSummaryPaths(repo)).toEqual(summaries.map(summaryPath).sort());
  });

  it('skips the blobs it is told it knows, and lists the ones it skipped', async () => {
    const repo = await makeWorkRepo();
    const summaries = [makeSummary(), makeSummary({ startedAt: '2026-06-01T00:00:00.000Z' })];
    await writeSummaries(repo, summaries);
    const all = await readSummaries(repo);
    const known = all.summaries[0]!;
    const read = await readSummaries(repo, DATA_REF, { skip: new Set([known.blob, 'f'.repeat(40)]) });
    expect(read.skipped).toEqual([known.blob]);
    expect(read.summaries).toEqual([all.summaries[1]]);
  });

  it('gives nothing, without an error, when the branch does not exist yet', async () => {
    const repo = await makeWorkRepo();
    expect(await readSummaries(repo)).toEqual({ summaries: [], invalid: [] });
    expect(await listSummaryPaths(repo)).toEqual([]);
  });

  it('reads any revision: a short branch name or another ref', async () => {
    const repo = await makeWorkRepo();
    const summary = makeSummary();
    const { commit } = await writeSummaries(repo, [summary], { ref: 'refs/tokenledger/test' });
    expect((await readSummaries(repo, 'refs/tokenledger/test')).summaries).toEqual([{ path: summaryPath(summary), blob: expect.stringMatching(/^[0-9a-f]{40}$/), summary }]);
    expect((await readSummaries(repo, commit!)).summaries).toHaveLength(1);
    await writeSummaries(repo, [summary]);
    expect((await readSummaries(repo, 'token-data')).summaries).toHaveLength(1);
  });

  it('reports each damaged file with its path and reason, and still reads the others', async () => {
    const repo = await makeWorkRepo();
    const good = makeSummary();
    const wrongSchema = { ...makeSummary(), costUSD: -1, cwd: '/home/dev/app' };
    const misfiled = makeSummary({ startedAt: '2026-05-04T10:00:00.000Z' });
    const files = [
      { path: 'sessions/2026/05/04/ses_00000000000000000000000a.json', content: '{"schema": "tokenledger.session/1", ' },
      { path: summaryPath(wrongSchema), content: JSON.stringify(wrongSchema) },
      { path: 'sessions/2026/05/09/' + path.basename(summaryPath(misfiled)), content: JSON.stringify(misfiled) },
      { path: 'sessions/README.md', content: 'notes\n' },
    ];
    await writeSummaries(repo, [good]);
    await writeLedgerFiles(repo, files);

    const read = await readSummaries(repo);
    expect(read.summaries).toEqual([{ path: summaryPath(good), blob: expect.stringMatching(/^[0-9a-f]{40}$/), summary: good }]);
    const reasons = Object.fromEntries(read.invalid.map((file) => [file.path, file.reason]));
    expect(Object.keys(reasons).sort()).toEqual(files.map((file) => file.path).sort());
    expect(reasons[files[0]!.path]).toMatch(/^not JSON: /);
    expect(reasons[files[1]!.path]).toBe('costUSD: expected number to be >=0; cwd: unknown key');
    expect(reasons[files[2]!.path]).toBe(`session ${misfiled.id} started ${misfiled.startedAt} belongs at ${summaryPath(misfiled)}`);
    expect(reasons['sessions/README.md']).toBe('not a session file (expected sessions/YYYY/MM/DD/<id>.json)');
  });

  it('checks a file exactly as the schema does: the same files pass, the others with the same issues', async () => {
    const base = makeSummary();
    const [model] = base.models;
    const passing: SessionSummary[] = [
      { ...base, category: 'refactor' },
      { ...makeSummary(), agentVersion: null, entrypoint: null },
      { ...makeSummary(), commits: [{ sha: 'f'.repeat(40), added: 1, removed: 2 }], strategies: ['tdd'], branch: 'feature/ünïcödé' },
    ];
    const failing: unknown[] = [
      { ...base, costUSD: -1 },
      { ...base, tokens: { ...base.tokens, input: 1.5 } },
      { ...base, tokens: { ...base.tokens, extra: 1 } },
      { ...base, startedAt: '2026-05-04 10:00' },
      { ...base, models: [{ ...model, model: 'free text' }] },
      { ...base, tools: { 'free text': 1, Read: -1 } },
      { ...base, phases: { ...base.phases, testing: undefined } },
      { ...base, series: [{ minute: 'x' }] },
      { ...base, commits: [{ sha: 'abc', added: 1, removed: 1 }] },
      { ...base, strategies: ['Not A Slug'] },
      { ...base, agent: 'another-agent', capturedBy: 'manual', schema: 'tokenledger.session/2' },
      { ...base, category: 'free text', branch: 'b'.repeat(201), developer: 'dev_xyz' },
      { ...base, subagents: null },
      {},
      [],
      null,
      42,
    ];
    const repo = await makeWorkRepo();
    const failingPath = (i: number) => `sessions/2026/05/04/ses_${i.toString(16).padStart(24, '0')}.json`;
    await writeLedgerFiles(repo, [
      ...passing.map((summary) => ({ path: summaryPath(summary), content: JSON.stringify(summary, null, 2) + '\n' })),
      ...failing.map((json, i) => ({ path: failingPath(i), content: JSON.stringify(json, null, 2) + '\n' })),
    ]);

    const read = await readSummaries(repo);
    expect(read.summaries.map((stored) => stored.summary)).toEqual(expect.arrayContaining(passing));
    expect(read.summaries).toHaveLength(passing.length);
    const reasons = Object.fromEntries(read.invalid.map((file) => [file.path, file.reason]));
    failing.forEach((json, i) => {
      const issues = sessionSummarySchema.safeParse(json).error?.issues;
      expect(issues, `case ${i} is invalid`).toBeDefined();
      expect(reasons[failingPath(i)], `case ${i}`).toBe(describeZodIssues(issues!).join('; '));
    });
  });

  it('reads a file larger than a pipe carries at once', async () => {
    const repo = await makeWorkRepo();
    const summary = { ...makeSummary(), tools: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`tool_${i}`, i])) };
    await writeSummaries(repo, [summary, makeSummary({ startedAt: '2026-06-01T00:00:00.000Z' })]);
    const read = await readSummaries(repo);
    expect(read.invalid).toEqual([]);
    expect(read.summaries.map((stored) => stored.summary)).toContainEqual(summary);
  });

  it('names the folder and ref when the folder is not a git repository', async () => {
    const dir = path.dirname(await makeWorkRepo());
    const error = await readSummaries(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LedgerError);
    expect((error as Error).message).toMatch(new RegExp(`^cannot read ${DATA_REF} in ${dir}: .*not a git repository`));
  });
});

describe('readSummaries with onSummary', () => {
  it('hands over each valid summary as it is checked, in branch order, and collects only the invalid files', async () => {
    const repo = await makeWorkRepo();
    const summaries = ['2026-06-01T00:00:00.000Z', '2026-05-04T10:00:00.000Z', '2026-05-20T08:00:00.000Z'].map((startedAt) => makeSummary({ startedAt }));
    await writeSummaries(repo, summaries);
    await writeLedgerFiles(repo, [{ path: 'sessions/2026/05/10/ses_00000000000000000000000a.json', content: '{' }]);

    const handed: StoredSummary[] = [];
    const read = await readSummaries(repo, DATA_REF, { onSummary: (stored) => handed.push(stored) });
    expect(read.summaries).toEqual([]);
    expect(read.invalid.map((file) => file.path)).toEqual(['sessions/2026/05/10/ses_00000000000000000000000a.json']);
    expect(handed.map((stored) => stored.path)).toEqual(summaries.map(summaryPath).sort());
    expect(handed).toEqual((await readSummaries(repo)).summaries);
  });

  it('stops at what onSummary throws and rethrows it as it is', async () => {
    const repo = await makeWorkRepo();
    await writeSummaries(repo, [makeSummary(), makeSummary({ startedAt: '2026-06-01T00:00:00.000Z' })]);
    const failure = new Error('the caller gave up');
    let calls = 0;
    const onSummary = () => {
      calls++;
      throw failure;
    };
    await expect(readSummaries(repo, DATA_REF, { onSummary })).rejects.toBe(failure);
    expect(calls).toBe(1);
  });
});

describe('the ledger at 1,000 sessions', () => {
  it('writes 1,000 summaries in one commit, adds one more, and reads them all back in one pass', async () => {
    const repo = await makeWorkRepo();
    const summaries = Array.from({ length: 1_000 }, (_, i) => makeSummary({ startedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString() }));

    let started = performance.now();
    await writeSummaries(repo, summaries);
    const batchMs = performance.now() - started;

    started = performance.now();
    await writeSummaries(repo, [makeSummary()]);
    const oneMs = performance.now() - started;

    started = performance.now();
    const read = await readSummaries(repo);
    const readMs = performance.now() - started;

    expect(read.summaries).toHaveLength(1_001);
    expect(read.invalid).toEqual([]);
    console.log(`ledger timings: write 1,000 in one call ${batchMs.toFixed(0)} ms; write 1 onto 1,000 ${oneMs.toFixed(0)} ms; read 1,001 ${readMs.toFixed(0)} ms`);
    // Loose bounds, so a busy machine does not fail the test; the log line has the numbers.
    expect(oneMs).toBeLessThan(2_000);
    expect(readMs).toBeLessThan(5_000);
  });
});
