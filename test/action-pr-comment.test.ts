/**
 * The Action's `pr-comment` command end to end, run the way GitHub runs it: `node dist/index.mjs`
 * with `INPUT_*` variables, `GITHUB_EVENT_PATH` holding a real `pull_request` `opened` payload
 * from @octokit/webhooks-examples (its repository and number rewritten to the test's), and
 * `GITHUB_API_URL` pointing at a local stand-in of the REST API that records every request.
 *
 * "This repository" is read the way a runner reads it: `GITHUB_REPOSITORY=acme/app` on the server
 * `GITHUB_SERVER_URL`, here a `file://` folder whose `acme/app.git` is a bare remote filled by the
 * real SessionEnd hook. Sessions are linked to the pull request through commits they made.
 */
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import webhookDefinitions from '@octokit/webhooks-examples' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../src/ledger/git.js';
import { PR_COMMENT_MARKER } from '../src/report/pr-comment.js';
import { startGitHubServer, type GitHubServer, type Thread } from './helpers/github-server.js';
import { cloneWorkRepo, makeRemote, makeTempDir } from './helpers/git-repos.js';
import { ROOT, run, sessionEndInput, sessionIdFor, useMachines, waitForRemoteSessions, writeSession, type Machine } from './helpers/hook.js';

const suite = useMachines();
const TOKEN = 'ghs_pr-comment-e2e';
const PR_NUMBER = 42;
const thread: Thread = { owner: 'acme', repo: 'app', issueNumber: PR_NUMBER };

/** The first real `opened` example of the `pull_request` event. */
function openedExample(): Record<string, unknown> {
  const definitions = webhookDefinitions as unknown as { name: string; examples: { action?: string }[] }[];
  const example = definitions.find((definition) => definition.name === 'pull_request')?.examples.find((candidate) => candidate.action === 'opened');
  if (example === undefined) throw new Error('@octokit/webhooks-examples has no pull_request opened example');
  return structuredClone(example) as Record<string, unknown>;
}

interface RepoFields {
  full_name: string;
  name: string;
  owner: { login: string };
}

/** The real payload, moved to acme/app#42 with these commits; `headRepo` other than acme/app makes it a fork's. */
function pullRequestEvent(head: { sha: string; base: string; repo: string }): Record<string, unknown> {
  const event = openedExample() as { number: number; repository: RepoFields; pull_request: { number: number; head: { sha: string; repo: RepoFields }; base: { sha: string; repo: RepoFields } } };
  const move = (repo: RepoFields, fullName: string) => {
    const [owner, name] = fullName.split('/') as [string, string];
    Object.assign(repo, { full_name: fullName, name });
    repo.owner.login = owner;
  };
  expect(event.pull_request.head.repo.full_name).toBe(event.pull_request.base.repo.full_name);
  event.number = PR_NUMBER;
  event.pull_request.number = PR_NUMBER;
  move(event.repository, 'acme/app');
  move(event.pull_request.base.repo, 'acme/app');
  move(event.pull_request.head.repo, head.repo);
  event.pull_request.head.sha = head.sha;
  event.pull_request.base.sha = head.base;
  return event as unknown as Record<string, unknown>;
}

/** `name<<delimiter\nvalue\ndelimiter` records of a GITHUB_OUTPUT file. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1]!] = match[3]!;
  return outputs;
}

/** The day `daysAgo` days before today (UTC), at 00:00:05. */
function dayStart(daysAgo: number): string {
  const today = new Date().toISOString().slice(0, 10);
  return new Date(Date.parse(`${today}T00:00:05.000Z`) - daysAgo * 86_400_000).toISOString();
}

let machine: Machine;
let github: GitHubServer;
let repo: string;
let remote: string;
let serverRoot: string;
const prCommits: string[] = [];
let baseSha: string;

/** A commit inside the session's run (30 s after it starts), so capture links it to the session. */
async function commitDuring(startedAt: string, file: string): Promise<string> {
  const at = new Date(Date.parse(startedAt) + 30_000).toISOString();
  await writeFile(path.join(repo, file), `${file}\n`);
  await git(repo, ['add', '--', file]);
  await git(repo, ['commit', '-q', '-m', `work on ${file}`], { env: { GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at } });
  return git(repo, ['rev-parse', 'HEAD']);
}

/** One session captured by the real hook and pushed to the remote; `total` sessions there afterwards. */
async function captureSession(n: number, startedAt: string, total: number): Promise<void> {
  const session = await writeSession(machine.projectFolder(repo), { sessionId: sessionIdFor(n, 'pr'), cwd: repo, seed: n + 1, startedAt });
  const hooked = await machine.hook(suite.commands.SessionEnd, sessionEndInput({ sessionId: session.sessionId, transcript: session.transcript, cwd: repo }), { cwd: repo, env: { ...machine.env, CLAUDE_PROJECT_DIR: repo } });
  expect([hooked.code, hooked.stderr]).toEqual([0, '']);
  await waitForRemoteSessions(remote, total, 20_000);
  await machine.settle();
}

async function runAction(event: Record<string, unknown>) {
  const dir = await makeTempDir('tl-pr-runner-');
  const files = { output: path.join(dir, 'output'), summary: path.join(dir, 'summary.md'), event: path.join(dir, 'event.json') };
  await mkdir(path.join(dir, 'workspace'));
  await mkdir(path.join(dir, 'temp'));
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
  await writeFile(files.event, JSON.stringify(event));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: machine.env.HOME,
    GIT_CONFIG_NOSYSTEM: '1',
    INPUT_COMMAND: 'pr-comment',
    INPUT_TOKEN: TOKEN,
    'INPUT_DATA-BRANCH': 'token-data',
    INPUT_REPOSITORIES: '',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_SERVER_URL: `file://${serverRoot}`,
    GITHUB_API_URL: github.url,
    GITHUB_WORKSPACE: path.join(dir, 'workspace'),
    RUNNER_TEMP: path.join(dir, 'temp'),
  };
  const action = await run(process.execPath, [path.join(ROOT, 'dist/index.mjs')], { cwd: path.join(dir, 'workspace'), env });
  expect(action.code, action.stdout + action.stderr).toBe(0);
  expect(action.stdout).not.toContain('::error');
  return { stdout: action.stdout, outputs: parseOutputs(await readFile(files.output, 'utf8')), summary: await readFile(files.summary, 'utf8') };
}

const ourEvent = () => pullRequestEvent({ sha: prCommits.at(-1)!, base: baseSha, repo: 'acme/app' });
const ours = () => github.comments(thread).filter((comment) => comment.body.includes(PR_COMMENT_MARKER));

describe('the pr-comment command, as GitHub runs dist/index.mjs on a pull_request event', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    machine = await suite.machineFor();
    remote = await makeRemote();
    serverRoot = await makeTempDir('tl-server-');
    await mkdir(path.join(serverRoot, 'acme'));
    await symlink(remote, path.join(serverRoot, 'acme', 'app.git'));
    repo = await cloneWorkRepo(remote);
    baseSha = await git(repo, ['rev-parse', 'HEAD']);
    // Last week: a session whose commit is not in the pull request. This week: one whose commit is.
    const lastWeek = dayStart(8);
    await commitDuring(lastWeek, 'old.txt');
    await captureSession(0, lastWeek, 1);
    const thisWeek = dayStart(0);
    prCommits.push(await commitDuring(thisWeek, 'feature.txt'));
    await captureSession(1, thisWeek, 2);

    github = await startGitHubServer();
    github.setPullCommits(thread, () => prCommits);
    github.seedComments(thread, Array.from({ length: 130 }, (_, index) => ({ body: `review comment ${index + 1}` })));
  }, 120_000);

  afterAll(async () => {
    await github?.close();
  });

  it('creates exactly one marked comment on a thread of 130, listing the linked session', async () => {
    const { outputs } = await runAction(ourEvent());
    expect(outputs.comment).toBe('created');
    const writes = github.writes();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'POST', path: `/repos/acme/app/issues/${PR_NUMBER}/comments` });
    expect(writes[0]!.headers.authorization).toBe(`token ${TOKEN}`);
    expect(github.requests.filter((request) => request.path === `/repos/acme/app/pulls/${PR_NUMBER}/commits`)).toHaveLength(1);
    expect(ours()).toHaveLength(1);
    const body = ours()[0]!.body;
    expect(body.startsWith(PR_COMMENT_MARKER)).toBe(true);
    expect(body).toContain('Token usage in acme/app');
    expect(body).toMatch(/Sessions linked to this pull request:\*\* 1 \(/);
    expect(github.comments(thread)).toHaveLength(131);
  });

  it('leaves the comment alone on a rerun with the same data', async () => {
    const before = github.writes().length;
    const { outputs } = await runAction(ourEvent());
    expect(outputs.comment).toBe('unchanged');
    expect(github.writes()).toHaveLength(before);
    expect(github.comments(thread)).toHaveLength(131);
  });

  it('updates the same comment in place after a new session is captured', async () => {
    const before = github.writes().length;
    const [comment] = ours();
    prCommits.push(await commitDuring(dayStart(0).replace('00:00:05', '00:10:05'), 'more.txt'));
    await captureSession(2, dayStart(0).replace('00:00:05', '00:10:05'), 3);

    const { outputs } = await runAction(ourEvent());
    expect(outputs.comment).toBe('updated');
    const writes = github.writes().slice(before);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'PATCH', path: `/repos/acme/app/issues/comments/${comment!.id}` });
    expect(writes[0]!.headers.authorization).toBe(`token ${TOKEN}`);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body).toMatch(/Sessions linked to this pull request:\*\* 2 \(/);
    expect(github.comments(thread)).toHaveLength(131);
  });

  it('makes no write call for a fork, showing the body in the job summary instead', async () => {
    const before = github.writes().length;
    const fork = pullRequestEvent({ sha: prCommits.at(-1)!, base: baseSha, repo: 'mallory/app' });
    const { outputs, summary } = await runAction(fork);
    expect(outputs.comment).toBe('skipped-fork');
    expect(github.writes()).toHaveLength(before);
    expect(summary).toContain('comes from a fork (mallory/app)');
    expect(summary).toContain(PR_COMMENT_MARKER);
    expect(summary).toMatch(/Sessions linked to this pull request:\*\* 2 \(/);
  });
});
