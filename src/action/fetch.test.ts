import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloneWorkRepo, makeRemote, makeSummary, makeTempDir, plantBranch } from '../../test/helpers/git-repos.js';
import { git } from '../ledger/git.js';
import { writeSummaries } from '../ledger/write.js';
import { fetchLedgers, type FetchOptions } from './fetch.js';

const TOKEN = 'ghs_secret-test-token';

async function options(overrides: Partial<FetchOptions> = {}): Promise<FetchOptions & { missing: string[] }> {
  const missing: string[] = [];
  return { dataBranch: 'token-data', token: TOKEN, serverUrl: 'https://github.com', tempDir: await makeTempDir('tl-fetch-'), onMissingBranch: (name) => missing.push(name), missing, ...overrides };
}

describe('fetchLedgers', () => {
  it('reads the data branch of each repository and reports one without it as missing, not failed', async () => {
    const withData = await makeRemote();
    const without = await makeRemote();
    const summary = makeSummary({ sessionId: 'fetch-1' });
    await plantBranch(withData, { [`sessions/2026/05/04/${summary.id}.json`]: JSON.stringify(summary), 'sessions/2026/05/04/broken.json': '{' });
    const opts = await options();
    const ledgers = await fetchLedgers([{ name: 'a', url: withData, authenticated: false }, { name: 'b', url: without, authenticated: false }], opts);
    expect(ledgers[0]!.contents.summaries.map((stored) => stored.summary.id)).toEqual([summary.id]);
    expect(ledgers[0]!.contents.invalid.map((file) => file.path)).toEqual(['sessions/2026/05/04/broken.json']);
    expect(ledgers[0]!.tip).toBe(await git(withData, ['rev-parse', 'refs/heads/token-data']));
    expect(ledgers[1]).toEqual({ repository: 'b', dataBranch: 'token-data', tip: null, contents: { summaries: [], invalid: [] }, reused: false });
    expect(opts.missing).toEqual(['b']);
    // The scratch repository is gone afterwards.
    expect(await readdir(opts.tempDir)).toEqual([]);
  });

  it('with a git cache, keeps the fetched branches between runs and fetches only what is new', async () => {
    const remote = await makeRemote();
    const writer = await cloneWorkRepo(remote);
    await writeSummaries(writer, Array.from({ length: 40 }, (_, i) => makeSummary({ sessionId: `cached-${i}` })));
    await git(writer, ['push', '-q', 'origin', 'refs/heads/token-data:refs/heads/token-data']);
    const cache = await makeTempDir('tl-git-cache-');
    const sources = [{ name: 'a', url: remote, authenticated: false }];
    const objects = async () => {
      const counts = Object.fromEntries((await git(path.join(cache, 'data.git'), ['count-objects', '-v'])).split('\n').map((line) => line.split(': ') as [string, string]));
      return Number(counts.count) + Number(counts['in-pack']);
    };

    const first = await fetchLedgers(sources, await options({ gitCache: cache }));
    expect(first[0]!.contents.summaries).toHaveLength(40);
    const afterFirst = await objects();

    await writeSummaries(writer, [makeSummary({ sessionId: 'cached-new', startedAt: '2026-05-05T10:00:00.000Z' })]);
    await git(writer, ['push', '-q', 'origin', 'refs/heads/token-data:refs/heads/token-data']);
    const second = await fetchLedgers(sources, await options({ gitCache: cache }));
    expect(second[0]!.contents.summaries).toHaveLength(41);
    expect(second[0]!.tip).toBe(await git(remote, ['rev-parse', 'refs/heads/token-data']));
    // One commit, its trees and one blob came over, not the branch again.
    const added = (await objects()) - afterFirst;
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThan(afterFirst / 4);

    // A damaged cache is made again, not a failed night.
    await writeFile(path.join(cache, 'data.git', 'HEAD'), 'garbage');
    const third = await fetchLedgers(sources, await options({ gitCache: cache }));
    expect(third[0]!.contents.summaries).toHaveLength(41);
  });

  it('fails naming the repository when it cannot be reached at all', async () => {
    const opts = await options();
    await expect(fetchLedgers([{ name: 'gone', url: `${opts.tempDir}/nothing-here.git`, authenticated: false }], opts)).rejects.toThrow(/could not fetch token-data from gone/);
  });

  it('sends the token as a header to the GitHub server only, and never prints it', async () => {
    const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
    const server = createServer((request, response) => {
      seen.push({ url: request.url ?? '', headers: request.headers });
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const opts = await options({ serverUrl: base });
      const error = await fetchLedgers([{ name: 'acme/app', url: `${base}/acme/app.git`, authenticated: true }], opts).catch((caught: Error) => caught);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).not.toContain(TOKEN);
      expect(seen[0]!.url).toMatch(/^\/acme\/app\.git\/info\/refs/);
      expect(seen[0]!.headers.authorization).toBe(`basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`);

      seen.length = 0;
      await fetchLedgers([{ name: 'elsewhere', url: `${base}/other/app.git`, authenticated: false }], opts).catch(() => undefined);
      expect(seen.length).toBeGreaterThan(0);
      for (const request of seen) expect(request.headers.authorization).toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('reads strategy trailers from the default branch, only as far back as asked, with or without filter support', async () => {
    const DAY = 86_400_000;
    const now = Date.now();
    const remotes = [await makeRemote(), await makeRemote()];
    // The first remote allows --filter=blob:none, as GitHub does; the second ignores it with a warning.
    await git(remotes[0]!, ['config', 'uploadpack.allowFilter', 'true']);
    for (const remote of remotes) {
      const repo = await cloneWorkRepo(remote);
      const commit = (message: string, at: number) =>
        git(repo, ['commit', '-q', '--allow-empty', '-m', message], { env: { GIT_COMMITTER_DATE: `@${Math.floor(at / 1000)} +0000`, GIT_AUTHOR_DATE: `@${Math.floor(at / 1000)} +0000` } });
      await commit('long ago\n\nToken-Strategy: ancient', now - 500 * DAY);
      if (remote === remotes[0]) await commit('lately\n\nToken-Strategy: index-first', now - DAY);
      await git(repo, ['push', '-q', 'origin', 'HEAD:refs/heads/main']);
    }
    const opts = await options();
    const ledgers = await fetchLedgers(
      remotes.map((url, n) => ({ name: `r${n}`, url, authenticated: false })),
      { ...opts, trailers: { since: now - 100 * DAY } },
    );
    // Neither has a data branch; the trailers are read all the same.
    expect(opts.missing).toEqual(['r0', 'r1']);
    const first = ledgers[0]!.trailers;
    expect(first && 'events' in first && first.events.map((event) => event.starts)).toEqual([['index-first']]);
    // Nothing on the second default branch since `since`: no events, not an error.
    expect(ledgers[1]!.trailers).toEqual({ events: [] });
    expect(await readdir(opts.tempDir)).toEqual([]);
  });

  it('reports a default branch it cannot fetch as an error for that repository, and still reads its data branch', async () => {
    const remote = await makeRemote();
    await plantBranch(remote, {});
    // The default branch names a commit the repository does not have (a damaged remote).
    await writeFile(path.join(remote, 'refs/heads/damaged'), `${'1234567890'.repeat(4)}\n`);
    await git(remote, ['symbolic-ref', 'HEAD', 'refs/heads/damaged']);
    const opts = await options();
    const ledgers = await fetchLedgers([{ name: 'damaged', url: remote, authenticated: false }], { ...opts, trailers: { since: 0 } });
    expect(ledgers[0]!.tip).toBe(await git(remote, ['rev-parse', 'refs/heads/token-data']));
    expect(ledgers[0]!.trailers).toEqual({ error: expect.stringMatching(/not our ref/) });
  });
});
