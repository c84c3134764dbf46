/**
 * `tokenledger aggregate` through the built CLI: local clones' data branches (one local, one only
 * as origin's remote-tracking copy) and a default-branch trailer become the same partial the
 * Action builds, an invalid file is named and skipped, and `--site` builds the site from it.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPartialFile } from '../src/aggregate/partial-file.js';
import { git } from '../src/ledger/git.js';
import { writeLedgerFiles, writeSummaries } from '../src/ledger/write.js';
import { cloneWorkRepo, makeRemote, makeSummary, makeTempDir, makeWorkRepo, removeSuiteTempDirs } from './helpers/git-repos.js';
import { ROOT } from './helpers/hook.js';
import { run } from './helpers/process.js';

afterAll(removeSuiteTempDirs);

describe('tokenledger aggregate', () => {
  it('aggregates local data branches and trailers into a partial, names invalid files, and builds the site', { timeout: 120_000 }, async () => {
    const local = await makeWorkRepo();
    const here = [makeSummary({ sessionId: 'a-1' }), makeSummary({ sessionId: 'a-2', startedAt: '2026-05-05T10:00:00.000Z' })];
    await writeSummaries(local, here);
    await writeLedgerFiles(local, [{ path: 'sessions/2026/05/06/ses_000000000000.json', content: '{"schema": "nope"}' }], { message: 'planted' });
    await writeFile(path.join(local, 'index.md'), 'x\n');
    await git(local, ['add', 'index.md']);
    await git(local, ['commit', '-q', '-m', 'Index first\n\nToken-Strategy: index-first']);

    // The second clone has the data branch only as origin/token-data, as after a plain fetch.
    const remote = await makeRemote();
    const writer = await cloneWorkRepo(remote);
    const there = [makeSummary({ sessionId: 'b-1', output: 7 })];
    await writeSummaries(writer, there);
    await git(writer, ['push', '-q', 'origin', 'refs/heads/token-data:refs/heads/token-data']);
    const reader = await cloneWorkRepo(remote);

    const dir = await makeTempDir('tl-aggregate-');
    const out = path.join(dir, 'partial.json');
    const site = path.join(dir, 'site');
    const cli = await run(process.execPath, [path.join(ROOT, 'bin/tokenledger.js'), 'aggregate', local, reader, '--out', out, '--site', site, '--timezone', 'UTC'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1' } });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toContain('sessions/2026/05/06/ses_000000000000.json on token-data skipped');
    expect(cli.stderr).toContain('3 sessions from 2 repositories (1 invalid files skipped)');

    const partial = await readPartialFile(out);
    expect(partial.sessions.map((row) => row.tokens.total).sort()).toEqual([...here, ...there].map((summary) => summary.tokens.total).sort());
    const bySource = Object.fromEntries(partial.sources.map((source) => [source.repository, source]));
    expect(bySource[path.basename(local)]).toMatchObject({ files: 2, invalidFiles: 1 });
    expect(bySource[path.basename(local)]!.strategyEvents!.map((event) => event.starts)).toEqual([['index-first']]);
    const readerName = Object.keys(bySource).find((name) => name !== path.basename(local))!;
    expect(bySource[readerName]).toMatchObject({ files: 1, invalidFiles: 0 });
    expect(partial.sessions.every((row) => row.blob !== undefined)).toBe(true);

    expect(existsSync(path.join(site, 'strategies', 'index-first', 'index.html'))).toBe(true);
    expect(await readFile(path.join(site, 'index.html'), 'utf8')).toContain('3 sessions');
  });

  it('says which folder is not a git repository', async () => {
    const dir = await makeTempDir('tl-aggregate-none-');
    const cli = await run(process.execPath, [path.join(ROOT, 'bin/tokenledger.js'), 'aggregate', dir, '--out', path.join(dir, 'p.json')], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1' } });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`${dir}: not a git repository`);
  });
});
