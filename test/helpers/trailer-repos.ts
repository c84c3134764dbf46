/**
 * Small real git repositories for the trailer, commit-window and key tests: each commit gets a
 * chosen message, author and time (author and committer date alike), so windows and "active at"
 * questions have exact answers. Git runs without the machine's user and system configuration.
 * Temp folders are removed by `removeTempDirs` (call it in `afterEach`).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { git } from '../../src/ledger/git.js';

export interface Person {
  name: string;
  email: string;
}

export const ALICE: Person = { name: 'Alice Example', email: 'alice@example.com' };
export const BOB: Person = { name: 'Bob Example', email: 'bob@example.com' };

/** No global or system configuration: the machine's settings cannot change a test. */
const ISOLATED: Record<string, string> = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(tmpdir(), 'tokenledger-no-such-gitconfig') };

const tempDirs: string[] = [];

export async function makeTempDir(prefix = 'tl-git-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Epoch milliseconds of an ISO-8601 time, or the number as it is. */
export function toMs(at: string | number): number {
  return typeof at === 'number' ? at : Date.parse(at);
}

export interface CommitSpec {
  message: string;
  /** Author and committer date: ISO-8601 or epoch ms. Whole seconds (git keeps no more). */
  at: string | number;
  /** Default ALICE; also the committer. */
  author?: Person;
  /** Files to write (text or bytes) or delete (null) before committing; none gives an empty commit. */
  files?: Record<string, string | Buffer | null>;
}

export class TestRepo {
  constructor(readonly dir: string) {}

  /** `git <args>` in this repository, isolated from the machine's configuration. */
  git(args: readonly string[], env: Record<string, string> = {}, input?: string): Promise<string> {
    return git(this.dir, args, { env: { ...ISOLATED, ...env }, input });
  }

  /** Writes the files, stages everything and commits the message verbatim; returns the SHA. */
  async commit(spec: CommitSpec): Promise<string> {
    for (const [file, content] of Object.entries(spec.files ?? {})) {
      const full = path.join(this.dir, file);
      if (content === null) await rm(full);
      else {
        await mkdir(path.dirname(full), { recursive: true });
        await writeFile(full, content);
      }
    }
    await this.git(['add', '-A']);
    const author = spec.author ?? ALICE;
    const date = `@${Math.floor(toMs(spec.at) / 1000)} +0000`;
    const identity = {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
      GIT_COMMITTER_DATE: date,
    };
    await this.git(['-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '--allow-empty', '--cleanup=strip', '-F', '-'], identity, spec.message);
    return this.git(['rev-parse', 'HEAD']);
  }
}

/** A new repository with `main` checked out and no commits. */
export async function createRepo(branch = 'main'): Promise<TestRepo> {
  const repo = new TestRepo(await makeTempDir('tl-repo-'));
  await repo.git(['init', '-q', '-b', branch]);
  return repo;
}

/** A clone of `source` (through file://, so `depth` makes a real shallow clone). */
export async function cloneRepo(source: TestRepo, options: { depth?: number } = {}): Promise<TestRepo> {
  const dir = path.join(await makeTempDir('tl-clone-'), 'clone');
  const depth = options.depth === undefined ? [] : ['--depth', String(options.depth)];
  await git(path.dirname(dir), ['clone', '-q', ...depth, pathToFileURL(source.dir).href, dir], { env: ISOLATED });
  return new TestRepo(dir);
}
