import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSummary, makeWorkRepo } from '../../test/helpers/git-repos.js';
import { LedgerError } from './errors.js';
import { DATA_REF, summaryPath } from './paths.js';
import { listSummaryPaths, readSummaries } from './read.js';
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

  it('names the folder and ref when the folder is not a git repository', async () => {
    const dir = path.dirname(await makeWorkRepo());
    const error = await readSummaries(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LedgerError);
    expect((error as Error).message).toMatch(new RegExp(`^cannot read ${DATA_REF} in ${dir}: .*not a git repository`));
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
