import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkoutFeature,
  cloneWorkRepo,
  dirtyTree,
  installFailingHooks,
  makeRemote,
  makeSummary,
  makeWorkRepo,
  snapshotCheckout,
  stageFile,
} from '../../test/helpers/git-repos.js';
import { git } from './git.js';
import { DATA_REF, remoteTipRef, summaryPath } from './paths.js';
import { pendingCommits, pushLedger } from './push.js';
import { writeLedgerFiles, writeSummaries } from './write.js';
import type { SessionSummary } from '../summary/schema.js';

/** Fast retries: the tests race real pushes, they do not need to wait like a real hook would. */
const FAST = { baseDelayMs: 10 };

async function filesAt(repo: string, ref = DATA_REF): Promise<string[]> {
  return (await git(repo, ['ls-tree', '-r', '--name-only', '--full-tree', ref])).split('\n').filter(Boolean).sort();
}

function pathsOf(...summaries: SessionSummary[]): string[] {
  return summaries.map(summaryPath).sort();
}

/** Each commit of `ref` with its parents: a linear history has at most one parent per line. */
async function parentCounts(repo: string, ref = DATA_REF): Promise<number[]> {
  return (await git(repo, ['rev-list', '--parents', ref])).split('\n').map((line) => line.split(' ').length - 1);
}

describe('pushLedger', () => {
  it('pushes the data branch, records the remote tip, and is up to date the second time', async () => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote);
    const summary = makeSummary();
    const { commit } = await writeSummaries(repo, [summary]);
    expect(await pendingCommits(repo)).toBe(1);

    expect(await pushLedger(repo, FAST)).toEqual({ outcome: 'pushed', attempts: 1 });
    expect(await git(remote, ['rev-parse', DATA_REF])).toBe(commit);
    expect(await git(repo, ['rev-parse', remoteTipRef('origin', DATA_REF)])).toBe(commit);
    expect(await pendingCommits(repo)).toBe(0);
    expect(await pushLedger(repo, FAST)).toEqual({ outcome: 'up-to-date', attempts: 1 });
  });

  it('says no-remote, not an error, when the repository has no such remote', async () => {
    const repo = await makeWorkRepo();
    await writeSummaries(repo, [makeSummary()]);
    expect(await pushLedger(repo, FAST)).toEqual({ outcome: 'no-remote', attempts: 0, reason: `no remote named origin in ${repo}` });
    expect(await pushLedger(repo, { ...FAST, remote: 'backup' })).toMatchObject({ outcome: 'no-remote' });
  });

  it('has nothing to push before the first capture', async () => {
    const repo = await cloneWorkRepo(await makeRemote());
    expect(await pushLedger(repo, FAST)).toEqual({ outcome: 'up-to-date', attempts: 0, reason: `nothing to push: ${DATA_REF} does not exist` });
    expect(await pendingCommits(repo)).toBe(0);
  });

  it('fails with the reason when the remote is unreachable, keeping the commit for the next run', async () => {
    const repo = await cloneWorkRepo(await makeRemote());
    await git(repo, ['remote', 'set-url', 'origin', 'file:///nonexistent/remote.git']);
    await writeSummaries(repo, [makeSummary()]);

    const result = await pushLedger(repo, FAST);
    expect(result.outcome).toBe('failed');
    expect(result.attempts).toBe(1);
    expect(result.reason).toMatch(/nonexistent\/remote\.git.*does not appear to be a git repository/);
    expect(await pendingCommits(repo)).toBe(1);
  });

  it('stops at timeoutMs and says so', async () => {
    const repo = await cloneWorkRepo(await makeRemote());
    await writeSummaries(repo, [makeSummary()]);
    const result = await pushLedger(repo, { ...FAST, timeoutMs: 1 });
    expect(result.outcome).toBe('failed');
    expect(result.reason).toMatch(/^cannot push refs\/heads\/token-data from .* to origin: timed out after 1 ms/);
  });

  it('fails at once, with the reason, when the remote refuses the push (a pre-receive hook)', async () => {
    const remote = await makeRemote();
    await writeFile(path.join(remote, 'hooks', 'pre-receive'), '#!/bin/sh\necho "data branches are not allowed" >&2\nexit 1\n', { mode: 0o755 });
    const repo = await cloneWorkRepo(remote);
    await writeSummaries(repo, [makeSummary()]);

    const result = await pushLedger(repo, FAST);
    expect(result).toEqual({ outcome: 'failed', attempts: 1, reason: `${DATA_REF}: [remote rejected] (pre-receive hook declined)` });
  });
});

describe('pushLedger after another machine pushed first', () => {
  it('rebuilds our commit on the remote tip and pushes it, leaving the checkout and its hooks alone', async () => {
    const remote = await makeRemote();
    const first = await cloneWorkRepo(remote);
    const second = await cloneWorkRepo(remote);
    await checkoutFeature(second);
    await dirtyTree(second);
    await stageFile(second);
    const hooksRan = await installFailingHooks(second);
    const theirs = makeSummary();
    const ours = makeSummary();
    await writeSummaries(first, [theirs]);
    expect((await pushLedger(first, FAST)).outcome).toBe('pushed');
    const before = await snapshotCheckout(second);

    await writeSummaries(second, [ours]);
    expect(await pushLedger(second, FAST)).toEqual({ outcome: 'pushed', attempts: 2 });

    expect(await filesAt(remote)).toEqual(pathsOf(theirs, ours));
    expect(await parentCounts(remote)).toEqual([1, 0]);
    expect(await git(remote, ['rev-parse', `${DATA_REF}^`])).toBe(await git(first, ['rev-parse', DATA_REF]));
    expect(await git(second, ['rev-parse', DATA_REF])).toBe(await git(remote, ['rev-parse', DATA_REF]));
    expect(await snapshotCheckout(second)).toEqual(before);
    expect(await git(second, ['show', '-s', '--format=%an <%ae>', DATA_REF])).toBe('tokenledger <tokenledger@localhost>');
    expect(await readdir(hooksRan)).toEqual([]);
  });

  it('replays our removals too: a re-captured session that changed date leaves no old file', async () => {
    const remote = await makeRemote();
    const a = await cloneWorkRepo(remote);
    const b = await cloneWorkRepo(remote);
    const moving = makeSummary({ sessionId: 'resumed', startedAt: '2026-05-04T23:00:00.000Z' });
    await writeSummaries(a, [moving]);
    await pushLedger(a, FAST);
    const fromB = makeSummary();
    await writeSummaries(b, [fromB]);
    await pushLedger(b, FAST);

    const moved = makeSummary({ sessionId: 'resumed', startedAt: '2026-05-05T01:00:00.000Z', output: 5 });
    const fresh = makeSummary();
    await writeSummaries(a, [moved]);
    await writeSummaries(a, [fresh]);
    expect(await pushLedger(a, FAST)).toEqual({ outcome: 'pushed', attempts: 2 });

    expect(await filesAt(remote)).toEqual(pathsOf(fromB, moved, fresh));
    expect(JSON.parse(await git(remote, ['show', `${DATA_REF}:${summaryPath(moved)}`]))).toEqual(moved);
  });

  it('does not bring back files the remote removed since (such as sessions compacted into an archive)', async () => {
    const remote = await makeRemote();
    const dev = await cloneWorkRepo(remote);
    const action = await cloneWorkRepo(remote);
    const old = makeSummary({ startedAt: '2026-01-10T10:00:00.000Z' });
    const kept = makeSummary();
    await writeSummaries(dev, [old, kept]);
    await pushLedger(dev, FAST);

    // The Action's compaction: fetch the branch, drop January's file, add the archive, push.
    await git(action, ['fetch', '-q', 'origin', `${DATA_REF}:${DATA_REF}`]);
    const tip = await git(action, ['rev-parse', DATA_REF]);
    const index = { GIT_INDEX_FILE: path.join(action, '.git', 'compact-index') };
    await git(action, ['read-tree', tip], { env: index });
    await git(action, ['update-index', '--force-remove', summaryPath(old)], { env: index });
    await git(action, ['update-index', '--add', '--cacheinfo', `100644,${await git(action, ['hash-object', '-w', '--stdin'], { input: '{}\n' })},archive/2026-01.jsonl`], { env: index });
    const compacted = await git(action, ['commit-tree', await git(action, ['write-tree'], { env: index }), '-p', tip, '-m', 'compact January']);
    await git(action, ['push', '-q', 'origin', `${compacted}:${DATA_REF}`]);

    const later = makeSummary();
    await writeSummaries(dev, [later]);
    expect(await pushLedger(dev, FAST)).toEqual({ outcome: 'pushed', attempts: 2 });
    expect(await filesAt(remote)).toEqual(['archive/2026-01.jsonl', ...pathsOf(kept, later)].sort());
  });

  it('catches up without a commit when the remote already has everything of ours', async () => {
    const remote = await makeRemote();
    const a = await cloneWorkRepo(remote);
    const b = await cloneWorkRepo(remote);
    await writeSummaries(a, [makeSummary()]);
    await pushLedger(a, FAST);
    await git(b, ['fetch', '-q', 'origin', `${DATA_REF}:${DATA_REF}`]);
    await writeSummaries(a, [makeSummary()]);
    await pushLedger(a, FAST);

    expect(await pushLedger(b, FAST)).toEqual({ outcome: 'up-to-date', attempts: 1 });
    expect(await git(b, ['rev-parse', DATA_REF])).toBe(await git(remote, ['rev-parse', DATA_REF]));
  });

  it('pushes from a shallow clone after a rejection', async () => {
    const remote = await makeRemote();
    const full = await cloneWorkRepo(remote);
    const shallow = await cloneWorkRepo(remote, { shallow: true });
    const theirs = makeSummary();
    const ours = makeSummary();
    await writeSummaries(full, [theirs]);
    await pushLedger(full, FAST);
    await writeSummaries(shallow, [ours]);
    expect(await pushLedger(shallow, FAST)).toEqual({ outcome: 'pushed', attempts: 2 });
    expect(await filesAt(remote)).toEqual(pathsOf(theirs, ours));
  });

  it('gets both sets to the remote when two clones write three sessions each and push at once', async () => {
    const remote = await makeRemote();
    const clones = [await cloneWorkRepo(remote), await cloneWorkRepo(remote)];
    const sets = clones.map(() => [makeSummary(), makeSummary(), makeSummary()]);
    const results = await Promise.all(
      clones.map(async (clone, i) => {
        for (const summary of sets[i]!) await writeSummaries(clone, [summary]);
        return pushLedger(clone, FAST);
      }),
    );

    expect(results.map((result) => result.outcome)).toEqual(['pushed', 'pushed']);
    expect(await filesAt(remote)).toEqual(pathsOf(...sets.flat()));
    expect((await parentCounts(remote)).every((count) => count <= 1)).toBe(true);
  });

  it('gets every set to the remote when four clones write and push at once, several times over', async () => {
    const remote = await makeRemote();
    const clones = await Promise.all([1, 2, 3, 4].map(() => cloneWorkRepo(remote)));
    const written: SessionSummary[] = [];
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        clones.map(async (clone) => {
          const summary = makeSummary();
          written.push(summary);
          await writeSummaries(clone, [summary]);
          return pushLedger(clone, { ...FAST, attempts: 8 });
        }),
      );
      expect(results.map((result) => result.outcome)).toEqual(['pushed', 'pushed', 'pushed', 'pushed']);
    }
    expect(await filesAt(remote)).toEqual(pathsOf(...written));
  }, 60_000);
});

describe('writeLedgerFiles beside pushLedger', () => {
  it('pushes files written through the lower layer the same way', async () => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote);
    await writeLedgerFiles(repo, [{ path: 'sessions/2026/05/04/ses_0123456789abcdef.json', content: '{}\n' }]);
    expect((await pushLedger(repo, FAST)).outcome).toBe('pushed');
    expect(await filesAt(remote)).toEqual(['sessions/2026/05/04/ses_0123456789abcdef.json']);
  });
});
