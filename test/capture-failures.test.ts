/**
 * The failure paths of capture, end to end with real git and the installed hook command: each
 * one ends with exit 0, nothing on stdout, an entry in the run log naming what happened, and no
 * session lost — it is on the data branch already, or `tokenledger sync` (or the next push)
 * gets it there once the obstacle is gone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../src/capture/run-log.js';
import { git } from '../src/ledger/git.js';
import { developerId, hashedBranch } from '../src/summary/anonymize.js';
import { cloneWorkRepo, detachHead, installFailingHooks, leftoverScratch, makeRemote, makeWorkRepo, snapshotCheckout } from './helpers/git-repos.js';
import {
  branchSummaries,
  remoteTip,
  sessionEndInput,
  sessionIdFor,
  sessionStartInput,
  TEAM_KEY,
  tipOf,
  waitFor,
  waitForRemoteSessions,
  waitForRemoteTip,
  useMachines,
  writeSession,
  type Machine,
  type Run,
  type WrittenSession,
} from './helpers/hook.js';

const suite = useMachines();
const { machineFor } = suite;

let sessionCounter = 0;

/** A finished session of `repo`, where Claude Code would keep it (so the sweep can find it too). */
function sessionIn(machine: Machine, repo: string, options: { cwd?: string; gitBranch?: string } = {}): Promise<WrittenSession> {
  const cwd = options.cwd ?? repo;
  const n = ++sessionCounter;
  return writeSession(machine.projectFolder(cwd), { sessionId: sessionIdFor(n, 'fail'), cwd, seed: n, ...(options.gitBranch ? { gitBranch: options.gitBranch } : {}) });
}

/** The SessionEnd hook for `session`, run from `repo` as Claude Code runs it. */
function endSession(machine: Machine, repo: string, session: WrittenSession): Promise<Run> {
  return machine.hook(suite.commands.SessionEnd, sessionEndInput({ sessionId: session.sessionId, transcript: session.transcript, cwd: repo }), {
    cwd: repo,
    env: { ...machine.env, CLAUDE_PROJECT_DIR: repo },
  });
}

/** What every hook run must look like from Claude Code's side. */
function expectSilentSuccess(run: Run): void {
  expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
}

const lastRun = (runs: RunRecord[], event: string) => runs.filter((run) => run.event === event).at(-1);

/**
 * How the capture of the last SessionEnd ended. On a loaded machine the hook may pass its
 * deadline: it then logs `deferred` (handing the session to a background sync) and, when the
 * capture under way ends, that outcome too; this is the entry with the outcome. When the
 * background sync wrote the summary first, the late capture finds it already there and logs
 * `unchanged`: the session was captured (once), so that reads as `captured` once the sync's own
 * entry says it succeeded.
 */
async function captureEntry(machine: Machine): Promise<RunRecord> {
  const settled = (run: RunRecord) => run.event === 'SessionEnd' && run.outcome !== 'deferred';
  const runs = await machine.waitForRuns((all) => all.some(settled), 'the outcome of the SessionEnd capture');
  const entry = runs.filter(settled).at(-1)!;
  if (entry.outcome !== 'unchanged' || !entry.reason?.includes('finished after the deadline')) return entry;
  await machine.waitForRuns((all) => all.some((run) => run.event === 'sync' && run.outcome === 'ok'), 'the background sync the hook handed the session to');
  return { ...entry, outcome: 'captured' };
}


/** Waits for the detached push after a capture and returns its log entry. */
async function pushEntry(machine: Machine): Promise<RunRecord> {
  const runs = await machine.waitForRuns((all) => all.some((run) => run.event === 'push'), 'the detached push');
  return lastRun(runs, 'push')!;
}

/** `tokenledger sync` in `repo`, expected to succeed. */
async function sync(machine: Machine, repo: string): Promise<Run> {
  const run = await machine.cli(['sync', '--repo', repo], { cwd: repo });
  expect(run.code, run.stderr).toBe(0);
  return run;
}

describe('capture without a way to push', () => {
  it('captures locally without a remote, logs no-remote, and sync pushes once a remote is added', async () => {
    const repo = await makeWorkRepo();
    const machine = await machineFor();
    const session = await sessionIn(machine, repo);
    expectSilentSuccess(await endSession(machine, repo, session));

    const local = await branchSummaries(repo);
    expect([...local.values()].map((summary) => summary.tokens.total)).toEqual([session.total]);
    expect((await captureEntry(machine)).outcome).toBe('captured');
    const push = await pushEntry(machine);
    expect(push.outcome).toBe('no-remote');
    expect(push.reason).toMatch(/no remote named origin/);

    const remote = await makeRemote();
    await git(repo, ['remote', 'add', 'origin', remote]);
    const synced = await sync(machine, repo);
    expect(synced.stdout).toMatch(/: pushed\b/);
    expect(await remoteTip(remote)).toBe(await tipOf(repo));
    expect((await branchSummaries(remote)).size).toBe(1);
  });

  it('logs a failed push to an unreachable remote, and sync pushes once the url is fixed', async () => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote);
    await git(repo, ['remote', 'set-url', 'origin', 'file:///nonexistent/remote.git']);
    const machine = await machineFor();
    const session = await sessionIn(machine, repo);
    expectSilentSuccess(await endSession(machine, repo, session));

    expect((await branchSummaries(repo)).size).toBe(1);
    const push = await pushEntry(machine);
    expect(push.outcome).toBe('failed');
    expect(push.reason).toMatch(/nonexistent/);
    const doctor = await machine.cli(['doctor', '--json', '--repo', repo], { cwd: repo });
    expect(JSON.parse(doctor.stdout).repository).toMatchObject({ unpushedCommits: 1, remoteReachable: false });
    expect(await remoteTip(remote)).toBeUndefined();

    await git(repo, ['remote', 'set-url', 'origin', remote]);
    const synced = await sync(machine, repo);
    expect(synced.stdout).toMatch(/: pushed\b/);
    expect(await remoteTip(remote)).toBe(await tipOf(repo));
    expect([...(await branchSummaries(remote)).values()].map((summary) => summary.tokens.total)).toEqual([session.total]);
  });

  it('rebuilds on the remote tip when someone else pushed first, so both sessions reach the remote', async () => {
    const remote = await makeRemote();
    const ours = await cloneWorkRepo(remote);
    const theirs = await cloneWorkRepo(remote);
    const theirMachine = await machineFor();
    const theirSession = await sessionIn(theirMachine, theirs);
    expectSilentSuccess(await endSession(theirMachine, theirs, theirSession));
    const theirTip = (await tipOf(theirs))!;
    await waitForRemoteTip(remote, theirTip);

    // Our clone has never fetched token-data: its capture is a root commit the remote rejects.
    const machine = await machineFor();
    const session = await sessionIn(machine, ours);
    expectSilentSuccess(await endSession(machine, ours, session));
    const ourCapture = (await tipOf(ours))!;
    expect(await git(ours, ['rev-list', '--count', ourCapture])).toBe('1');

    const onRemote = await waitForRemoteSessions(remote, 2);
    expect([...onRemote.values()].map((summary) => summary.tokens.total).sort()).toEqual([session.total, theirSession.total].sort());
    const push = await pushEntry(machine);
    expect(push.outcome).toBe('pushed');
    expect(push.reason).toMatch(/rejected/);
    // Rebuilt, not forced: their commit is the parent of ours on the remote, and our root commit never got there.
    const tip = (await remoteTip(remote))!;
    expect(await git(remote, ['rev-parse', `${tip}^`])).toBe(theirTip);
    expect(await git(remote, ['cat-file', '-t', ourCapture]).catch(() => 'missing')).toBe('missing');
    expect(await tipOf(ours)).toBe(tip);
  });
});

describe('capture in repositories in unusual states', () => {
  it('captures and pushes from a detached HEAD, leaving HEAD where it was', async () => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote);
    await detachHead(repo);
    const machine = await machineFor();
    const session = await sessionIn(machine, repo, { gitBranch: 'HEAD' });
    const before = await snapshotCheckout(repo);
    expectSilentSuccess(await endSession(machine, repo, session));

    expect((await captureEntry(machine)).outcome).toBe('captured');
    await waitForRemoteTip(remote, (await tipOf(repo))!);
    expect((await pushEntry(machine)).outcome).toBe('pushed');
    await machine.settle();
    const after = await snapshotCheckout(repo);
    expect(after).toEqual(before);
    expect(after.head).toMatch(/^[0-9a-f]{40}\n$/);
  });

  it('captures in a shallow clone without a key (no developer id, a warning logged), and with TOKENLEDGER_KEY as usual', async () => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote, { shallow: true });
    expect(await git(repo, ['rev-parse', '--is-shallow-repository'])).toBe('true');

    const keyless = await machineFor({ key: null });
    const first = await sessionIn(keyless, repo);
    expectSilentSuccess(await endSession(keyless, repo, first));
    const end = await captureEntry(keyless);
    expect(end.outcome).toBe('captured');
    expect(end.reason).toMatch(/shallow/);
    const withoutKey = [...(await branchSummaries(repo)).values()][0]!;
    expect(withoutKey).toMatchObject({ developer: null, branch: null });
    expect(withoutKey.tokens.total).toBe(first.total);

    const keyed = await machineFor();
    const second = await sessionIn(keyed, repo, { gitBranch: 'feature/shallow-work' });
    expectSilentSuccess(await endSession(keyed, repo, second));
    expect((await captureEntry(keyed)).reason ?? '').not.toMatch(/shallow|key/);
    const withKey = [...(await branchSummaries(repo)).values()].find((summary) => summary.tokens.total === second.total)!;
    expect(withKey.developer).toBe(developerId('dev@example.com', TEAM_KEY));
    expect(withKey.branch).toBe(hashedBranch('feature/shallow-work', TEAM_KEY));

    await waitForRemoteSessions(remote, 2);
  });

  it('runs none of the repository\'s failing git hooks (core.hooksPath), and still captures and pushes', async () => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote);
    const markers = await installFailingHooks(repo);
    const machine = await machineFor();
    const session = await sessionIn(machine, repo);
    expectSilentSuccess(await endSession(machine, repo, session));

    await waitForRemoteTip(remote, (await tipOf(repo))!);
    expect((await pushEntry(machine)).outcome).toBe('pushed');
    await machine.settle();
    expect(await readdir(markers)).toEqual([]);
    // The hooks really are live: an ordinary commit runs (and is stopped by) them.
    expect(spawnSync('git', ['commit', '--allow-empty', '-q', '-m', 'x'], { cwd: repo }).status).not.toBe(0);
    expect(await readdir(markers)).toContain('pre-commit');
  });

  it('fails gracefully outside any git repository, logging "not inside a git repository"', async () => {
    const machine = await machineFor();
    const nowhere = path.join(machine.root, 'not-a-repo');
    await mkdir(nowhere);
    const session = await sessionIn(machine, nowhere);
    // No CLAUDE_PROJECT_DIR: the hook falls back to the cwd in its input.
    const run = await machine.hook(suite.commands.SessionEnd, sessionEndInput({ sessionId: session.sessionId, transcript: session.transcript, cwd: nowhere }), { cwd: nowhere });
    expectSilentSuccess(run);
    const end = await captureEntry(machine);
    expect(end.outcome).toBe('failed');
    expect(end.reason).toContain('not inside a git repository');
    await machine.settle();
    expect(machine.runs().filter((entry) => entry.event === 'push')).toEqual([]);
  });
});

describe('capture of damaged or missing transcripts', () => {
  it('captures a transcript with broken lines, counting them in the log', async () => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote);
    const machine = await machineFor();
    const session = await sessionIn(machine, repo);
    await appendFile(session.transcript, '{"type":"assistant","message":{"id":"msg_cut","usage":{"input_tokens":9\n\u0000\u0001 not json at all\n');
    expectSilentSuccess(await endSession(machine, repo, session));

    const end = await captureEntry(machine);
    expect(end.outcome).toBe('captured');
    expect(end.reason).toMatch(/\b2 malformed lines?\b/);
    expect([...(await branchSummaries(repo)).values()].map((summary) => summary.tokens.total)).toEqual([session.total]);
    await waitForRemoteTip(remote, (await tipOf(repo))!);
  });

  it('logs a missing transcript as failed and commits nothing', async () => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote);
    const machine = await machineFor();
    const missing = path.join(machine.projectFolder(repo), `${sessionIdFor(99, 'gone')}.jsonl`);
    const run = await machine.hook(suite.commands.SessionEnd, sessionEndInput({ sessionId: sessionIdFor(99, 'gone'), transcript: missing, cwd: repo }), {
      cwd: repo,
      env: { ...machine.env, CLAUDE_PROJECT_DIR: repo },
    });
    expectSilentSuccess(run);
    const end = await captureEntry(machine);
    expect(end.outcome).toBe('failed');
    expect(end.reason).toMatch(/no such (transcript )?file/);
    await machine.settle();
    expect(await tipOf(repo)).toBeUndefined();
    expect(machine.runs().filter((entry) => entry.event === 'push')).toEqual([]);
  });
});

/**
 * Runs `command` with the repository's .git read-only. Root ignores file modes, so as root .git
 * becomes a read-only bind mount in a private mount namespace (writes fail with EROFS, as on a
 * read-only volume; the mount vanishes with the namespace); otherwise write permission is taken
 * away from every folder of .git. Undefined when neither can be done here.
 */
async function readOnlyGit(gitDir: string): Promise<{ wrap: (command: string) => string; restore: () => Promise<void> } | undefined> {
  if (process.getuid?.() !== 0) {
    const dirs = [gitDir, ...(await readdir(gitDir, { withFileTypes: true, recursive: true })).filter((entry) => entry.isDirectory()).map((entry) => path.join(entry.parentPath, entry.name))];
    for (const dir of dirs) await chmod(dir, 0o555);
    return { wrap: (command) => command, restore: async () => void (await Promise.all(dirs.map((dir) => chmod(dir, 0o755)))) };
  }
  const mountReadOnly = 'mount --bind "$TL_GIT_DIR" "$TL_GIT_DIR" && mount -o remount,bind,ro "$TL_GIT_DIR" "$TL_GIT_DIR"';
  const probe = spawnSync('unshare', ['--mount', 'sh', '-c', `${mountReadOnly} && ! touch "$TL_GIT_DIR/probe" 2>/dev/null`], { env: { ...process.env, TL_GIT_DIR: gitDir } });
  if (probe.status !== 0) return undefined;
  const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  return {
    wrap: (command) => `unshare --mount sh -c ${quoted(`TL_GIT_DIR=${quoted(gitDir)}; ${mountReadOnly} && exec sh -c ${quoted(command)}`)}`,
    restore: async () => undefined,
  };
}

describe('capture into a read-only .git', () => {
  it('logs the failed capture, and sync captures and pushes the session once .git is writable', async (context) => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote);
    const readOnly = await readOnlyGit(path.join(repo, '.git'));
    if (!readOnly) {
      context.skip('cannot make .git read-only here: running as root without mount namespaces (unshare --mount), and file modes do not stop root');
      return;
    }
    const machine = await machineFor();
    const session = await sessionIn(machine, repo);
    let run: Run;
    try {
      run = await machine.hook(readOnly.wrap(suite.commands.SessionEnd), sessionEndInput({ sessionId: session.sessionId, transcript: session.transcript, cwd: repo }), {
        cwd: repo,
        env: { ...machine.env, CLAUDE_PROJECT_DIR: repo },
      });
      await machine.settle();
    } finally {
      await readOnly.restore();
    }
    expectSilentSuccess(run);
    const end = await captureEntry(machine);
    expect(end.outcome).toBe('failed');
    expect(end.reason).toMatch(/read-only file system|permission denied|EROFS|EACCES/i);
    expect(await tipOf(repo)).toBeUndefined();
    expect(await leftoverScratch(repo)).toEqual([]);

    // Nothing lost: the session is still uncaptured, so the next sync (or SessionStart sweep) takes it.
    const synced = await sync(machine, repo);
    expect(synced.stdout).toMatch(/^1 session\(s\) to capture: 1 summarized/m);
    expect([...(await branchSummaries(remote)).values()].map((summary) => summary.tokens.total)).toEqual([session.total]);
  });
});

describe('hooks racing', () => {
  it('keeps one file when two hooks capture the same session at once, without an error', async () => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote);
    const machine = await machineFor();
    const session = await sessionIn(machine, repo);
    const runs = await Promise.all([endSession(machine, repo, session), endSession(machine, repo, session)]);
    for (const run of runs) expectSilentSuccess(run);

    const local = await waitFor(async () => {
      const summaries = await branchSummaries(repo);
      return summaries.size === 1 ? summaries : undefined;
    }, 'the session on the data branch');
    expect([...local.values()][0]!.tokens.total).toBe(session.total);
    // One writes the file, the other finds it written; `deferred` (a loaded machine) is followed by how the capture ended.
    const ends = machine.runs().filter((entry) => entry.event === 'SessionEnd' && entry.outcome !== 'deferred');
    expect(ends).toHaveLength(2);
    for (const end of ends) expect(['captured', 'unchanged']).toContain(end.outcome);
    // Exactly one commit: the loser of the compare-and-swap rebuilt on the winner's tip and found nothing to add.
    expect(await git(repo, ['rev-list', '--count', 'refs/heads/token-data'])).toBe('1');
    await waitForRemoteTip(remote, (await tipOf(repo))!);
    await machine.settle();
    expect((await branchSummaries(remote)).size).toBe(1);
    expect(machine.runs().filter((entry) => entry.outcome === 'failed')).toEqual([]);
  });
});

describe('the SessionStart sweep', () => {
  it('prints nothing, then captures and pushes sessions missed earlier, leaving the starting session alone', async () => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote);
    const machine = await machineFor();
    // Missed (a crash, `claude -p`: no SessionEnd): one kept under the repository's folder with a
    // cwd inside it, one started in a subfolder (Claude Code names the folder after it).
    const n = ++sessionCounter;
    const missed = await writeSession(machine.projectFolder(repo), { sessionId: sessionIdFor(n, 'missed'), cwd: path.join(repo, 'src'), seed: n });
    const inSubfolder = await sessionIn(machine, repo, { cwd: path.join(repo, 'docs') });
    // Starting now: its transcript already has a response, but its own SessionEnd will capture it.
    const starting = await sessionIn(machine, repo);
    expect(existsSync(missed.transcript) && existsSync(inSubfolder.transcript) && existsSync(starting.transcript)).toBe(true);

    const run = await machine.hook(suite.commands.SessionStart, sessionStartInput({ sessionId: starting.sessionId, transcript: starting.transcript, cwd: repo }), {
      cwd: repo,
      env: { ...machine.env, CLAUDE_PROJECT_DIR: repo },
    });
    expectSilentSuccess(run);
    expect(lastRun(machine.runs(), 'SessionStart')).toMatchObject({ outcome: 'sweep-started' });

    const onRemote = await waitForRemoteSessions(remote, 2);
    expect([...onRemote.values()].map((summary) => [summary.tokens.total, summary.capturedBy]).sort()).toEqual(
      [
        [missed.total, 'sweep'],
        [inSubfolder.total, 'sweep'],
      ].sort(),
    );
    await machine.settle();
    expect(lastRun(machine.runs(), 'sync')).toMatchObject({ outcome: 'ok' });
    expect(lastRun(machine.runs(), 'push')).toMatchObject({ outcome: 'pushed' });
    expect([...(await branchSummaries(repo)).values()].map((summary) => summary.tokens.total).sort()).toEqual([missed.total, inSubfolder.total].sort());
  });
});
