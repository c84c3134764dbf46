import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { makeRemote, makeSummary, makeTempDir } from '../../test/helpers/git-repos.js';
import { git } from '../ledger/git.js';
import { fetchLedgers, type FetchOptions } from './fetch.js';

const TOKEN = 'ghs_secret-test-token';

async function options(overrides: Partial<FetchOptions> = {}): Promise<FetchOptions & { missing: string[] }> {
  const missing: string[] = [];
  return { dataBranch: 'token-data', token: TOKEN, serverUrl: 'https://github.com', tempDir: await makeTempDir('tl-fetch-'), onMissingBranch: (name) => missing.push(name), missing, ...overrides };
}

/** Puts `files` (path -> content) on the remote's token-data branch with plumbing. */
async function plantBranch(remote: string, files: Record<string, string>): Promise<void> {
  const work = await makeTempDir('tl-plant-');
  await git(work, ['init', '-q', '--bare']);
  const env = { GIT_INDEX_FILE: `${work}/index` };
  for (const [file, content] of Object.entries(files)) {
    const oid = await git(work, ['hash-object', '-w', '--stdin'], { input: content });
    await git(work, ['update-index', '--add', '--cacheinfo', `100644,${oid},${file}`], { env });
  }
  const tree = await git(work, ['write-tree'], { env });
  const commit = await git(work, ['commit-tree', tree, '-m', 'plant'], { env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
  await git(work, ['push', '-q', remote, `${commit}:refs/heads/token-data`]);
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
    expect(ledgers[1]).toEqual({ repository: 'b', dataBranch: 'token-data', tip: null, contents: { summaries: [], invalid: [] } });
    expect(opts.missing).toEqual(['b']);
    // The scratch repository is gone afterwards.
    expect(await readdir(opts.tempDir)).toEqual([]);
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
});
