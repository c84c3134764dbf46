/**
 * Real git repositories for ledger tests: a bare remote, clones with an identity and a commit on
 * main, ways to put a checkout in the states developers leave it in, and a snapshot of everything
 * the developer can see, to prove the ledger left it byte-identical. Every folder made here is
 * removed when the test finishes.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished, TestRunner } from 'vitest';
import { git } from '../../src/ledger/git.js';
import type { SessionSummary } from '../../src/summary/schema.js';
import { summarizeSession } from '../../src/summary/summarize.js';
import { event, tool } from './events.js';

/** Folders made outside a test (in a `beforeAll`), for `removeSuiteTempDirs` to remove. */
const suiteTempDirs: string[] = [];

/**
 * A temporary folder, removed after the current test; made in a `beforeAll`, it is removed by
 * `removeSuiteTempDirs()`, which that suite's `afterAll` must call.
 */
export async function makeTempDir(prefix = 'tl-git-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  if (TestRunner.getCurrentTest()) onTestFinished(() => rm(dir, { recursive: true, force: true }));
  else suiteTempDirs.push(dir);
  return dir;
}

/** Removes the folders `makeTempDir` made outside a test. */
export async function removeSuiteTempDirs(): Promise<void> {
  const dirs = suiteTempDirs.splice(0);
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

async function setIdentity(repo: string): Promise<void> {
  await git(repo, ['config', 'user.name', 'Dev Eloper']);
  await git(repo, ['config', 'user.email', 'dev@example.com']);
}

async function commitFile(repo: string, file: string, content: string, message: string): Promise<void> {
  await writeFile(path.join(repo, file), content);
  await git(repo, ['add', '--', file]);
  await git(repo, ['commit', '-q', '-m', message]);
}

/** A bare repository to push to; `main` gets one commit so clones (also shallow ones) have history. */
export async function makeRemote(): Promise<string> {
  const root = await makeTempDir('tl-remote-');
  const remote = path.join(root, 'remote.git');
  await git(root, ['init', '-q', '--bare', '-b', 'main', remote]);
  const seed = path.join(root, 'seed');
  await git(root, ['clone', '-q', remote, seed]);
  await setIdentity(seed);
  await commitFile(seed, 'README.md', '# project\n', 'first');
  await commitFile(seed, 'app.txt', 'v1\n', 'second');
  await git(seed, ['push', '-q', 'origin', 'HEAD:refs/heads/main']);
  return remote;
}

/** A clone of `remote` with user.name/email set and one local commit on main. */
export async function cloneWorkRepo(remote: string, options: { shallow?: boolean } = {}): Promise<string> {
  const repo = path.join(await makeTempDir('tl-clone-'), 'work');
  // --depth only applies to a URL, not a plain path (which clones by hard links).
  const args = options.shallow ? ['clone', '-q', '--depth', '1', `file://${remote}`, repo] : ['clone', '-q', remote, repo];
  await git(tmpdir(), args);
  await setIdentity(repo);
  await commitFile(repo, 'notes.txt', 'local work\n', 'local commit');
  return repo;
}

/** A repository with one commit on main and no remote. */
export async function makeWorkRepo(): Promise<string> {
  const repo = await makeEmptyRepo();
  await commitFile(repo, 'README.md', '# project\n', 'first');
  return repo;
}

/** `git init` and nothing else: no commits, HEAD on an unborn main. */
export async function makeEmptyRepo(): Promise<string> {
  const repo = path.join(await makeTempDir('tl-repo-'), 'work');
  await git(tmpdir(), ['init', '-q', '-b', 'main', repo]);
  await setIdentity(repo);
  return repo;
}

/** Modifies a tracked file (when there is one) and adds an untracked file. */
export async function dirtyTree(repo: string): Promise<void> {
  const tracked = (await git(repo, ['ls-files'])).split('\n').filter(Boolean)[0];
  if (tracked) await writeFile(path.join(repo, tracked), 'edited, not staged\n');
  await writeFile(path.join(repo, 'scratch.txt'), 'untracked\n');
}

/** Stages a new file and a change to it that is not staged (so index and tree differ). */
export async function stageFile(repo: string): Promise<void> {
  await mkdir(path.join(repo, 'src'), { recursive: true });
  await writeFile(path.join(repo, 'src', 'staged.ts'), 'export const staged = 1;\n');
  await git(repo, ['add', '--', 'src/staged.ts']);
  await writeFile(path.join(repo, 'src', 'staged.ts'), 'export const staged = 2;\n');
}

export async function checkoutFeature(repo: string, branch = 'feature/login'): Promise<void> {
  await git(repo, ['checkout', '-q', '-b', branch]);
  await commitFile(repo, 'feature.txt', 'feature\n', 'feature work');
}

export async function detachHead(repo: string): Promise<void> {
  await git(repo, ['checkout', '-q', '--detach', 'HEAD']);
}

/** A linked worktree of `repo` on a new branch; returns its folder. */
export async function addWorktree(repo: string, branch = 'wt-branch'): Promise<string> {
  const dir = path.join(await makeTempDir('tl-worktree-'), 'wt');
  await git(repo, ['worktree', 'add', '-q', '-b', branch, dir]);
  return dir;
}

/**
 * Points core.hooksPath at hooks that each leave a marker file and fail; returns the marker
 * folder, which stays empty if no hook ran.
 */
export async function installFailingHooks(repo: string): Promise<string> {
  const root = await makeTempDir('tl-hooks-');
  const hooks = path.join(root, 'hooks');
  const markers = path.join(root, 'ran');
  await mkdir(hooks);
  await mkdir(markers);
  const names = ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'pre-push', 'reference-transaction', 'post-index-change', 'post-checkout', 'pre-auto-gc', 'post-rewrite'];
  for (const name of names) await writeFile(path.join(hooks, name), `#!/bin/sh\ntouch "${markers}/${name}"\nexit 1\n`, { mode: 0o755 });
  await git(repo, ['config', 'core.hooksPath', hooks]);
  return markers;
}

/** Everything the developer can see of a checkout; equal snapshots mean we left it alone. */
export interface CheckoutSnapshot {
  /** SHA-256 of the index file bytes (this worktree's index), or `absent`. */
  index: string;
  /** The HEAD file as written (symbolic ref or detached id). */
  head: string;
  /** `git status --porcelain=v2 --branch`, untracked files included. */
  status: string;
  /** Every ref with its id, except the ledger's own (see LEDGER_REFS). */
  refs: string[];
  /** Every working-tree file (outside .git) with the SHA-256 of its bytes. */
  files: string[];
  /** FETCH_HEAD, ORIG_HEAD and the config file, as bytes hashed. */
  gitFiles: Record<string, string>;
}

/**
 * The refs the ledger may move: the data branch, our private refs, and the remote-tracking copy
 * of the data branch (git itself updates that one after any successful push of the branch).
 */
const LEDGER_REFS = /^(refs\/heads\/token-data|refs\/tokenledger\/.*|refs\/remotes\/[^/]+\/token-data) /;

function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function hashFileAt(file: string): Promise<string> {
  try {
    return sha256(await readFile(file));
  } catch {
    return 'absent';
  }
}

async function gitPath(repo: string, name: string): Promise<string> {
  return path.resolve(repo, await git(repo, ['rev-parse', '--git-path', name]));
}

async function listFiles(root: string, dir = root, out: string[] = []): Promise<string[]> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (dir === root && entry.name === '.git') continue;
    const full = path.join(dir, entry.name);
    const stat = await lstat(full);
    if (entry.isDirectory()) await listFiles(root, full, out);
    else if (entry.isSymbolicLink()) out.push(`${path.relative(root, full)} -> ${await readlink(full)}`);
    else out.push(`${path.relative(root, full)} ${stat.mode.toString(8)} ${sha256(await readFile(full))}`);
  }
  return out.sort();
}

export async function snapshotCheckout(repo: string): Promise<CheckoutSnapshot> {
  // The index first, and status with --no-optional-locks: a plain status may refresh (rewrite) the index.
  const index = await hashFileAt(await gitPath(repo, 'index'));
  const head = await readFile(await gitPath(repo, 'HEAD'), 'utf8');
  const status = await git(repo, ['--no-optional-locks', 'status', '--porcelain=v2', '--branch', '--untracked-files=all']);
  const refs = (await git(repo, ['for-each-ref', '--format=%(refname) %(objectname) %(symref)'])).split('\n').filter((line) => line && !LEDGER_REFS.test(line));
  const gitFiles: Record<string, string> = {};
  for (const name of ['FETCH_HEAD', 'ORIG_HEAD', 'config']) gitFiles[name] = await hashFileAt(await gitPath(repo, name));
  return { index, head, status, refs, files: await listFiles(repo), gitFiles };
}

/** Files in the git dir left behind by tokenledger (its scratch folders); should always be empty. */
export async function leftoverScratch(repo: string): Promise<string[]> {
  const gitDir = path.resolve(repo, await git(repo, ['rev-parse', '--absolute-git-dir']));
  return (await readdir(gitDir)).filter((name) => name.startsWith('tokenledger-'));
}

let sessionCounter = 0;

/**
 * A valid summary from hand-made events (two responses, a tool call), for session `sessionId`
 * started at `startedAt`. Different `output` values make different file contents.
 */
export function makeSummary(options: { sessionId?: string; startedAt?: string; output?: number } = {}): SessionSummary {
  const { sessionId = `session-${++sessionCounter}`, startedAt = '2026-05-04T10:00:00.000Z', output = 100 } = options;
  const later = new Date(Date.parse(startedAt) + 90_000).toISOString();
  const events = [
    event({ sessionId, timestamp: startedAt, tokens: { input: 1200, output, cacheRead: 5000 }, tools: [tool('Read')] }),
    event({ sessionId, timestamp: later, turn: 2, tokens: { input: 300, output: 50, cacheWrite5m: 800 }, tools: [tool('Edit')] }),
  ];
  return summarizeSession(events, { agent: 'claude-code', sessionId, parser: '0.1.0', capturedBy: 'hook', developer: null, branch: null });
}

/** Puts `files` (path -> content) on the remote's token-data branch with plumbing (what other writers leave there). */
export async function plantBranch(remote: string, files: Record<string, string>): Promise<void> {
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
