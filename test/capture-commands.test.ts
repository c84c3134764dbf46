/**
 * The capture commands a developer types: `backfill` (every past session of this repository,
 * idempotent, `--since`), `sync`, and `summarize --dry-run` (exactly what would be committed,
 * nothing written). Real git with a bare remote; the built CLI as a child process.
 */
import { utimes } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { git, gitMaybe } from '../src/ledger/git.js';
import { cloneWorkRepo, makeRemote } from './helpers/git-repos.js';
import { branchSummaries, sessionIdFor, tipOf, useMachines, waitForRemoteSessions, writeSession, type WrittenSession } from './helpers/hook.js';

const suite = useMachines();

/** Three sessions of `repo` (mtimes 40, 20 and 1 days ago) and one of another repository. */
async function pastSessions(projectDir: (dir: string) => string, repo: string, elsewhere: string): Promise<{ ours: WrittenSession[]; theirs: WrittenSession }> {
  const ours: WrittenSession[] = [];
  for (const [i, daysAgo] of [40, 20, 1].entries()) {
    const session = await writeSession(projectDir(repo), { sessionId: sessionIdFor(i, 'past'), cwd: repo, seed: i + 1, startedAt: `2026-0${i + 3}-10T09:00:00.000Z` });
    const when = new Date(Date.now() - daysAgo * 86_400_000);
    await utimes(session.transcript, when, when);
    ours.push(session);
  }
  const theirs = await writeSession(projectDir(elsewhere), { sessionId: sessionIdFor(9, 'other'), cwd: elsewhere, seed: 9 });
  return { ours, theirs };
}

function day(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

describe('tokenledger backfill', () => {
  it('captures every past session of this repository, and only those, then pushes', async () => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote);
    const other = await cloneWorkRepo(await makeRemote());
    const machine = await suite.machineFor();
    const { ours, theirs } = await pastSessions(machine.projectFolder, repo, other);

    const run = await machine.cli(['backfill'], { cwd: repo });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('3 session(s) to capture: 3 summarized');
    const committed = await branchSummaries(repo);
    expect([...committed.values()].map((summary) => summary.tokens.total).sort()).toEqual(ours.map((session) => session.total).sort());
    expect([...committed.values()].every((summary) => summary.capturedBy === 'backfill')).toBe(true);
    expect([...committed.values()].map((summary) => summary.tokens.total)).not.toContain(theirs.total);
    await waitForRemoteSessions(remote, 3);
  });

  it('is idempotent: a second backfill commits nothing', async () => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote);
    const machine = await suite.machineFor();
    await pastSessions(machine.projectFolder, repo, await cloneWorkRepo(await makeRemote()));
    expect((await machine.cli(['backfill'], { cwd: repo })).code).toBe(0);
    const tip = await tipOf(repo);
    const again = await machine.cli(['backfill'], { cwd: repo });
    expect(again.code, again.stderr).toBe(0);
    expect(await tipOf(repo)).toBe(tip);
    expect((await branchSummaries(repo)).size).toBe(3);
  });

  it('leaves out transcripts last modified before --since', async () => {
    const repo = await cloneWorkRepo(await makeRemote());
    const machine = await suite.machineFor();
    const { ours } = await pastSessions(machine.projectFolder, repo, await cloneWorkRepo(await makeRemote()));
    const run = await machine.cli(['backfill', '--since', day(25)], { cwd: repo });
    expect(run.code, run.stderr).toBe(0);
    const totals = [...(await branchSummaries(repo)).values()].map((summary) => summary.tokens.total).sort();
    expect(totals).toEqual([ours[1]!.total, ours[2]!.total].sort());
  });

  it('rejects a bad --since, naming the flag, and writes nothing', async () => {
    const repo = await cloneWorkRepo(await makeRemote());
    const machine = await suite.machineFor();
    const run = await machine.cli(['backfill', '--since', '2026-02-30'], { cwd: repo });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^tokenledger: --since: .*2026-02-30/);
    expect(await gitMaybe(repo, ['rev-parse', '--verify', 'refs/heads/token-data'])).toBeUndefined();
  });
});

describe('tokenledger sync', () => {
  it('captures only what is new or grew since the last capture', async () => {
    const repo = await cloneWorkRepo(await makeRemote());
    const machine = await suite.machineFor();
    const { ours } = await pastSessions(machine.projectFolder, repo, await cloneWorkRepo(await makeRemote()));
    expect((await machine.cli(['sync'], { cwd: repo })).stdout).toContain('3 session(s) to capture');
    expect((await machine.cli(['sync'], { cwd: repo })).stdout).toContain('0 session(s) to capture');
    const newer = new Date();
    await utimes(ours[0]!.transcript, newer, newer);
    expect((await machine.cli(['sync'], { cwd: repo })).stdout).toContain('1 session(s) to capture');
  });
});

describe('tokenledger summarize --dry-run', () => {
  it('prints exactly the summary capture commits, and writes nothing', async () => {
    const repo = await cloneWorkRepo(await makeRemote());
    const machine = await suite.machineFor();
    const session = await writeSession(machine.projectFolder(repo), { sessionId: sessionIdFor(1, 'dry'), cwd: repo, seed: 4 });
    const dry = await machine.cli(['summarize', session.transcript, '--dry-run', '--json'], { cwd: repo });
    expect(dry.code, dry.stderr).toBe(0);
    const preview = JSON.parse(dry.stdout);
    expect(preview.tokens.total).toBe(session.total);
    expect(preview.developer).toMatch(/^dev_[0-9a-f]{12}$/);
    expect(dry.stdout).not.toContain(repo);
    expect(dry.stdout).not.toContain('feature/secret-work');
    expect(await gitMaybe(repo, ['rev-parse', '--verify', 'refs/heads/token-data'])).toBeUndefined();

    expect((await machine.cli(['sync'], { cwd: repo })).code).toBe(0);
    const [committed] = [...(await branchSummaries(repo)).values()];
    // The same summary but for how it was captured.
    expect({ ...committed, capturedBy: 'hook' }).toEqual(preview);
    expect(await git(repo, ['status', '--porcelain'])).toBe('');
  });
});
