/**
 * End to end, with real parts only: real git (a bare repository as the remote), the built CLI as
 * a child process with a pinned environment, and the exact hook command `tokenledger hook
 * install` wrote into settings.json, run through `sh -c` with the JSON Claude Code writes on stdin.
 *
 * 1. A real session with a subagent, ended in a checkout a developer left busy (feature branch,
 *    staged file, dirty tree): one exact summary, pushed within seconds, checkout untouched,
 *    nothing private committed, settings.json restored byte for byte by uninstall.
 * 2. Concurrency: eight sessions ending at the same moment in one repository; two clones pushing
 *    to one remote at once.
 */
import { appendFile, chmod, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_IDENTITY } from '../src/ledger/plumbing.js';
import { git } from '../src/ledger/git.js';
import type { SessionSummary } from '../src/summary/schema.js';
import { checkoutFeature, cloneWorkRepo, dirtyTree, leftoverScratch, makeRemote, removeSuiteTempDirs, snapshotCheckout, stageFile, type CheckoutSnapshot } from './helpers/git-repos.js';
import {
  branchFiles,
  branchSummaries,
  ensureBuilt,
  makeMachine,
  remoteTip,
  sessionEndInput,
  sessionIdFor,
  tipOf,
  waitForRemoteSessions,
  waitForRemoteTip,
  useMachines,
  writeSession,
  type HookCommands,
  type Machine,
  type Run,
} from './helpers/hook.js';
import { independentCount } from './helpers/independent-count.js';
import { REAL_FIXTURES } from './helpers/real-fixtures.js';
import { identifyingWords, leakedLeaves, stringLeaves, summaryVocabulary, wordsFound } from './helpers/transcript-text.js';
import { assistantLines } from './helpers/transcripts.js';

/** A real Claude Code 2.1.x session with one nested subagent (Xu-Wentao/dotfile on GitHub). */
const REAL_SESSION = 'dd1cfa99-253c-42ba-aa15-0fcda8a60cb4';
const REAL_PROJECT = path.join(REAL_FIXTURES, 'claude-code/Xu-Wentao__dotfile/.claude/projects/-Users-xuwentao-Projects-github-volcano');
const hasRealSession = existsSync(path.join(REAL_PROJECT, `${REAL_SESSION}.jsonl`));
if (!hasRealSession) console.warn(`skipping the real-session end-to-end test: ${REAL_PROJECT}/${REAL_SESSION}.jsonl is absent`);

/** settings.json as a developer has it before install: other settings and another tool's hooks, in its own layout. */
const SETTINGS_BEFORE = `{
    "model": "opus",
    "permissions": { "allow": ["Bash(npm test)"], "deny": [] },
    "hooks": {
        "SessionEnd": [
            { "hooks": [ { "type": "command", "command": "echo other-tool >/dev/null", "timeout": 5 } ] }
        ],
        "PreToolUse": [
            { "matcher": "Bash", "hooks": [ { "type": "command", "command": "other-tool check" } ] }
        ]
    },
    "statusLine": { "type": "command", "command": "other-tool status" }
}
`;

/** Every file of a folder tree, recursively. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)).sort();
}

/** The fixture files are read-only; the copies must be writable (a session appends) and removable. */
async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    await chmod(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  }
}

describe.skipIf(!hasRealSession)('the installed SessionEnd hook, on a real session with a subagent in a busy checkout', () => {
  let machine: Machine;
  let remote: string;
  let repo: string;
  let commands: HookCommands;
  let transcript: string;
  let subagentFiles: string[];
  let before: CheckoutSnapshot;
  let first: Run;
  let firstTip: string | undefined;
  let input: Record<string, unknown>;
  let hookEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    await ensureBuilt();
    remote = await makeRemote();
    repo = await cloneWorkRepo(remote);
    await checkoutFeature(repo);
    await stageFile(repo);
    await dirtyTree(repo);
    machine = await makeMachine();
    await writeFile(machine.settingsFile, SETTINGS_BEFORE);
    commands = await machine.installHooks();

    const projectDir = path.join(machine.claudeDir, 'projects', path.basename(REAL_PROJECT));
    await mkdir(projectDir, { recursive: true });
    await cp(path.join(REAL_PROJECT, `${REAL_SESSION}.jsonl`), path.join(projectDir, `${REAL_SESSION}.jsonl`));
    await cp(path.join(REAL_PROJECT, REAL_SESSION), path.join(projectDir, REAL_SESSION), { recursive: true });
    await makeWritable(projectDir);
    transcript = path.join(projectDir, `${REAL_SESSION}.jsonl`);
    subagentFiles = await filesBelow(path.join(projectDir, REAL_SESSION, 'subagents'));

    before = await snapshotCheckout(repo);
    input = sessionEndInput({ sessionId: REAL_SESSION, transcript, cwd: repo });
    // Claude Code runs hooks in the project folder and tells them where it is.
    hookEnv = { ...machine.env, CLAUDE_PROJECT_DIR: repo };
    first = await machine.hook(commands.SessionEnd, input, { cwd: repo, env: hookEnv });
    firstTip = await tipOf(repo);
  }, 60_000);

  afterAll(async () => {
    await machine?.close();
    await removeSuiteTempDirs();
  });

  const sessionTexts = async () => Promise.all([transcript, ...subagentFiles].map((file) => readFile(file, 'utf8')));

  it('keeps the other settings and the other tool\'s hook when installing', async () => {
    const settings = JSON.parse(await readFile(machine.settingsFile, 'utf8'));
    expect(settings.model).toBe('opus');
    expect(settings.statusLine).toEqual({ type: 'command', command: 'other-tool status' });
    expect(settings.hooks.PreToolUse).toEqual(JSON.parse(SETTINGS_BEFORE).hooks.PreToolUse);
    expect(settings.hooks.SessionEnd.flatMap((group: any) => group.hooks.map((hook: any) => hook.command))).toEqual(['echo other-tool >/dev/null', commands.SessionEnd]);
    expect(commands.SessionEnd).toMatch(/^".+" ".+bin\/tokenledger\.js" hook run$/);
  });

  it('exits 0 and prints nothing, on stdout or stderr', () => {
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toBe('');
  });

  it('commits one summary whose token total is the exact count of the session and its subagent', async () => {
    const summaries = await branchSummaries(repo);
    expect([...summaries.keys()]).toHaveLength(1);
    const [file, summary] = [...summaries][0]!;
    expect(file).toBe(`sessions/${summary.startedAt.slice(0, 4)}/${summary.startedAt.slice(5, 7)}/${summary.startedAt.slice(8, 10)}/${summary.id}.json`);
    const texts = await sessionTexts();
    const all = independentCount(texts);
    const mainOnly = independentCount(texts.slice(0, 1));
    expect(summary.tokens.total).toBe(all.total);
    expect(summary.tokens).toMatchObject(all.tokens);
    expect(summary.requests).toBe(all.responses);
    // The subagent's tokens are really in: without its file the count is lower.
    expect(mainOnly.total).toBeLessThan(all.total);
    expect(summary.subagents.count).toBe(subagentFiles.length);
    expect(summary.subagents.tokens.total).toBe(all.total - mainOnly.total);
    expect(summary.capturedBy).toBe('hook');
    expect(summary.developer).toMatch(/^dev_[0-9a-f]{12}$/);
  });

  it('pushes the summary to the bare remote within seconds', async () => {
    expect(firstTip).toBeDefined();
    await waitForRemoteTip(remote, firstTip!, 10_000);
    expect(await branchFiles(remote)).toEqual(await branchFiles(repo));
  });

  it('logs the capture with its duration, and the detached push', async () => {
    const runs = await machine.waitForRuns((all) => all.some((run) => run.event === 'push'), 'the detached push');
    // `deferred` first only on a loaded machine, when the capture passed the hook's deadline.
    const captured = runs.filter((run) => run.event === 'SessionEnd' && run.outcome !== 'deferred');
    expect(captured).toHaveLength(1);
    expect(captured[0]).toMatchObject({ repo, summaryId: [...(await branchSummaries(repo)).values()][0]!.id });
    // `unchanged` only when the hook passed its deadline and the background sync it handed the
    // session to wrote the same summary first.
    if (captured[0]!.outcome !== 'captured') expect(captured[0]).toMatchObject({ outcome: 'unchanged', reason: expect.stringContaining('finished after the deadline') });
    expect(captured[0]!.durationMs).toBeGreaterThan(0);
    expect(captured[0]!.durationMs).toBeLessThan(60_000);
    expect(runs.find((run) => run.event === 'push')).toMatchObject({ outcome: 'pushed', repo });
  });

  it('leaves git status, HEAD, the index, every other ref and the working files byte-identical', async () => {
    await waitForRemoteTip(remote, firstTip!, 10_000);
    await machine.settle();
    const after = await snapshotCheckout(repo);
    expect(after).toEqual(before);
    // The snapshot really shows a busy checkout: feature branch, staged, modified and untracked files.
    expect(before.head).toBe('ref: refs/heads/feature/login\n');
    expect(before.status).toMatch(/^1 AM .* src\/staged\.ts$/m);
    expect(before.status).toMatch(/^1 \.M .* README\.md$/m);
    expect(before.status).toMatch(/^\? scratch\.txt$/m);
    expect(await leftoverScratch(repo)).toEqual([]);
  });

  it('reports the hooks installed and nothing left to push in doctor --json', async () => {
    await machine.waitForRuns((all) => all.some((run) => run.event === 'push'), 'the detached push');
    const doctor = await machine.cli(['doctor', '--json', '--repo', repo], { cwd: repo });
    expect(doctor.code, doctor.stderr).toBe(0);
    const report = JSON.parse(doctor.stdout);
    expect(report.hooks.find((hook: any) => hook.scope === 'user')).toMatchObject({ installed: true, broken: false, file: machine.settingsFile });
    expect(report.repository).toMatchObject({ unpushedCommits: 0, remoteReachable: true, dataBranch: 'token-data', keySource: 'env' });
    expect(report.runs.map((run: any) => run.outcome)).toContain('captured');
  });

  it('keeps one file when the hook runs again: unchanged, then replaced when the session grew', async () => {
    await machine.settle();
    const again = await machine.hook(commands.SessionEnd, input, { cwd: repo, env: hookEnv });
    expect([again.code, again.stdout, again.stderr]).toEqual([0, '', '']);
    expect(await tipOf(repo)).toBe(firstTip);
    expect((await branchSummaries(repo)).size).toBe(1);

    // The session is resumed and one more response is billed: the same file, a new total.
    const [oldSummary] = (await branchSummaries(repo)).values();
    await appendFile(
      transcript,
      assistantLines({
        sessionId: REAL_SESSION,
        cwd: '/Users/xuwentao/Projects/github/volcano',
        gitBranch: 'feat-capacity-dra',
        version: '2.1.96',
        entrypoint: 'cli',
        timestamp: '2026-04-08T15:30:00.000Z',
        messageId: 'msg_e2e_resumed',
        requestId: 'req_e2e_resumed',
        model: 'claude-opus-4-6',
        usage: { input: 7, output: 70, cacheRead: 700 },
        blocks: [{ type: 'text', text: 'Resumed and finished the remaining work.' }],
      })
        .map((line) => `${JSON.stringify(line)}\n`)
        .join(''),
    );
    const grown = await machine.hook(commands.SessionEnd, input, { cwd: repo, env: hookEnv });
    expect([grown.code, grown.stdout, grown.stderr]).toEqual([0, '', '']);
    const summaries = await branchSummaries(repo);
    expect(summaries.size).toBe(1);
    const [newSummary] = summaries.values();
    expect(newSummary!.id).toBe(oldSummary!.id);
    expect(newSummary!.tokens.total).toBe(oldSummary!.tokens.total + 777);
    expect(newSummary!.tokens.total).toBe(independentCount(await sessionTexts()).total);
    const grownTip = await tipOf(repo);
    expect(grownTip).not.toBe(firstTip);
    await waitForRemoteTip(remote, grownTip!, 10_000);
    expect((await branchSummaries(remote)).size).toBe(1);
    await machine.settle();
    expect(await snapshotCheckout(repo)).toEqual(before);
  });

  it('commits no transcript text, path, branch, e-mail or user name, as the ledger identity', async () => {
    await machine.settle();
    const texts = await sessionTexts();
    for (const where of [repo, remote]) {
      const files = await branchFiles(where);
      const tree = [...files.entries()].map(([file, content]) => `${file}\n${content}`).join('\n');
      const summaries = [...(await branchSummaries(where)).values()];
      expect(summaries.length).toBe(1);
      expect(leakedLeaves(stringLeaves(texts), tree, summaryVocabulary(summaries))).toEqual([]);
      expect(wordsFound(identifyingWords(texts), tree)).toEqual([]);
      for (const secret of ['dev@example.com', 'Dev Eloper', 'feature/login', repo, path.basename(path.dirname(repo)), machine.root, 'xuwentao', 'volcano']) expect(tree).not.toContain(secret);

      const commits = (await git(where, ['rev-list', 'refs/heads/token-data'])).split('\n');
      expect(commits.length).toBeGreaterThanOrEqual(2);
      for (const commit of commits) {
        const raw = await git(where, ['cat-file', 'commit', commit]);
        const identity = `${LEDGER_IDENTITY.name} <${LEDGER_IDENTITY.email}>`;
        expect(raw).toMatch(new RegExp(`^author ${identity} \\d+ \\+0000$`, 'm'));
        expect(raw).toMatch(new RegExp(`^committer ${identity} \\d+ \\+0000$`, 'm'));
        for (const secret of ['dev@example.com', 'Dev Eloper', 'feature/login', repo, 'xuwentao']) expect(raw).not.toContain(secret);
        expect(leakedLeaves(stringLeaves(texts), raw, summaryVocabulary(summaries))).toEqual([]);
      }
    }
  });

  it('restores settings.json byte for byte on hook uninstall', async () => {
    const uninstall = await machine.cli(['hook', 'uninstall']);
    expect(uninstall.code, uninstall.stderr).toBe(0);
    expect(await readFile(machine.settingsFile, 'utf8')).toBe(SETTINGS_BEFORE);
  });
});

describe('hooks started at the same moment', () => {
  const suite = useMachines();
  const { machineFor } = suite;

  it('commits eight summaries for eight sessions ending at once, and all eight reach the remote', async () => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote);
    const machine = await machineFor();
    const sessions = await Promise.all(Array.from({ length: 8 }, (_, i) => writeSession(machine.projectFolder(repo), { sessionId: sessionIdFor(i, 'eight'), cwd: repo, seed: i + 1 })));
    const env = { ...machine.env, CLAUDE_PROJECT_DIR: repo };
    // Spawned without waiting in between: all eight read their tip before any has swapped it.
    const runs = await Promise.all(sessions.map((session) => machine.hook(suite.commands.SessionEnd, sessionEndInput({ sessionId: session.sessionId, transcript: session.transcript, cwd: repo }), { cwd: repo, env })));
    for (const run of runs) expect([run.code, run.stdout, run.stderr]).toEqual([0, '', '']);

    const expectedTotals = sessions.map((session) => session.total).sort();
    // A hook past its deadline hands its session to a background sync: wait for that too.
    const local = await waitForSessions(repo, 8);
    expect([...local.values()].map((summary) => summary.tokens.total).sort()).toEqual(expectedTotals);
    // On a loaded machine a hook may pass its deadline: it logs `deferred`, then how its capture ended.
    const ends = machine.runs().filter((run) => run.event === 'SessionEnd' && run.outcome !== 'deferred');
    expect(ends).toHaveLength(8);
    // `unchanged` only if the background sync of a deferred hook wrote that session first.
    for (const end of ends) expect(['captured', 'unchanged']).toContain(end.outcome);

    const onRemote = await waitForRemoteSessions(remote, 8, 15_000);
    expect([...onRemote.values()].map((summary) => summary.tokens.total).sort()).toEqual(expectedTotals);
    await machine.settle();
    expect(await remoteTip(remote)).toBe(await tipOf(repo));
    expect(machine.runs().filter((run) => run.outcome === 'failed')).toEqual([]);
  });

  it('hands a session too large for the foreground to a background sync, which captures and pushes it', async () => {
    const remote = await makeRemote();
    const repo = await cloneWorkRepo(remote);
    const machine = await machineFor();
    const session = await writeSession(machine.projectFolder(repo), { sessionId: sessionIdFor(1, 'large'), cwd: repo, seed: 9 });
    // 9 MiB of blank lines: over the 8 MiB foreground limit, and nothing a parser would count.
    await appendFile(session.transcript, `${' '.repeat(9 << 20)}\n`);
    const env = { ...machine.env, CLAUDE_PROJECT_DIR: repo };
    const run = await machine.hook(suite.commands.SessionEnd, sessionEndInput({ sessionId: session.sessionId, transcript: session.transcript, cwd: repo }), { cwd: repo, env });
    expect([run.code, run.stdout, run.stderr]).toEqual([0, '', '']);
    expect(machine.runs().filter((entry) => entry.event === 'SessionEnd').map((entry) => entry.outcome)).toEqual(['handed-over']);
    const onRemote = await waitForRemoteSessions(remote, 1, 15_000);
    expect([...onRemote.values()][0]!.tokens.total).toBe(session.total);
    expect([...onRemote.values()][0]!.capturedBy).toBe('hook');
    await machine.settle();
    expect(machine.runs().filter((entry) => entry.outcome === 'failed')).toEqual([]);
  });

  it('gets both clones\' sessions to the remote when two clones capture and push at once', async () => {
    const remote = await makeRemote();
    const clones = [await cloneWorkRepo(remote), await cloneWorkRepo(remote)];
    const setups = await Promise.all(
      clones.map(async (repo, c) => {
        const machine = await machineFor();
        const sessions = await Promise.all(Array.from({ length: 3 }, (_, i) => writeSession(machine.projectFolder(repo), { sessionId: sessionIdFor(i, `clone${c}`), cwd: repo, seed: 10 * (c + 1) + i })));
        return { repo, machine, sessions };
      }),
    );
    const runs = await Promise.all(
      setups.flatMap(({ repo, machine, sessions }) =>
        sessions.map((session) => machine.hook(suite.commands.SessionEnd, sessionEndInput({ sessionId: session.sessionId, transcript: session.transcript, cwd: repo }), { cwd: repo, env: { ...machine.env, CLAUDE_PROJECT_DIR: repo } })),
      ),
    );
    for (const run of runs) expect([run.code, run.stdout, run.stderr]).toEqual([0, '', '']);

    const onRemote = await waitForRemoteSessions(remote, 6, 20_000);
    const expectedTotals = setups.flatMap(({ sessions }) => sessions.map((session) => session.total)).sort();
    expect([...onRemote.values()].map((summary) => summary.tokens.total).sort()).toEqual(expectedTotals);
    // Never forced, never merged: the remote's history is one line of commits.
    for (const { machine } of setups) await machine.settle();
    const history = (await git(remote, ['rev-list', '--parents', 'refs/heads/token-data'])).split('\n');
    for (const line of history) expect(line.split(' ').length).toBeLessThanOrEqual(2);
    for (const { machine } of setups) expect(machine.runs().filter((run) => run.outcome === 'failed')).toEqual([]);
  });
});

/** Polls the local data branch until it holds `count` summaries (a deferred capture lands a little later). */
async function waitForSessions(repo: string, count: number): Promise<Map<string, SessionSummary>> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const summaries = await branchSummaries(repo);
    if (summaries.size === count || Date.now() > deadline) return summaries;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
