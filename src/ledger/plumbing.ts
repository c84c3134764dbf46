/**
 * The git runner every ledger operation goes through: one repository, one deadline, and an
 * environment that keeps the developer out of the data branch and the data branch out of the
 * developer's way. For internal use by `src/ledger/`.
 */
import path from 'node:path';
import { git, gitBuffer, GitError, type GitOptions } from './git.js';

/** Author and committer of every data-branch commit: works without user.name and never carries the developer's e-mail. */
export const LEDGER_IDENTITY = { name: 'tokenledger', email: 'tokenledger@localhost' } as const;

const HOUR_MS = 3_600_000;

/**
 * Commit dates are rounded down to the hour and written in UTC: a commit made at session end
 * would otherwise give the exact minute the developer stopped and their time zone, both of which
 * the summary itself rounds away (DESIGN.md §4).
 */
function commitDate(nowMs: number): string {
  return `${Math.floor(nowMs / HOUR_MS) * (HOUR_MS / 1000)} +0000`;
}

function ledgerEnvironment(nowMs: number): Record<string, string> {
  const date = commitDate(nowMs);
  return {
    GIT_AUTHOR_NAME: LEDGER_IDENTITY.name,
    GIT_AUTHOR_EMAIL: LEDGER_IDENTITY.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: LEDGER_IDENTITY.name,
    GIT_COMMITTER_EMAIL: LEDGER_IDENTITY.email,
    GIT_COMMITTER_DATE: date,
    // The developer's hooks are about their own work: a pre-push hook running the test suite, or a
    // failing reference-transaction/post-index-change hook, must not run for (or block) our branch.
    // GIT_CONFIG_COUNT (git >= 2.31) overrides core.hooksPath without touching any config file.
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'core.hooksPath',
    GIT_CONFIG_VALUE_0: '/dev/null',
  };
}

export class DeadlineError extends Error {
  constructor(
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`timed out after ${timeoutMs} ms${options?.cause instanceof GitError ? ` (git ${options.cause.args[0]} was stopped)` : ''}`, options);
    this.name = 'DeadlineError';
  }
}

export interface Plumbing {
  readonly repoDir: string;
  git(args: readonly string[], options?: Omit<GitOptions, 'timeoutMs'>): Promise<string>;
  gitBuffer(args: readonly string[], options?: Omit<GitOptions, 'timeoutMs'>): Promise<Buffer>;
  /** Absolute git dir (for a linked worktree, its own `.git/worktrees/<name>`); asked once. */
  gitDir(): Promise<string>;
  /** Throws DeadlineError once the time is spent; callers check it before starting a step. */
  checkDeadline(): void;
}

/** `timeoutMs` bounds the whole operation: each git call gets what is left of it. */
export function createPlumbing(repoDir: string, options: { timeoutMs?: number | undefined } = {}): Plumbing {
  const started = Date.now();
  const { timeoutMs } = options;
  const env = ledgerEnvironment(started);
  let gitDir: Promise<string> | undefined;

  const remaining = (): number | undefined => {
    if (timeoutMs === undefined) return undefined;
    const left = timeoutMs - (Date.now() - started);
    if (left <= 0) throw new DeadlineError(timeoutMs);
    return left;
  };
  const withPlumbing = (extra: Omit<GitOptions, 'timeoutMs'> = {}): GitOptions => ({ ...extra, env: { ...env, ...extra.env }, timeoutMs: remaining() });
  /** A git killed at the deadline exits without a code: report the timeout, not a bare "exit null". */
  const bounded = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof GitError && error.exitCode === null && timeoutMs !== undefined && Date.now() - started >= timeoutMs) throw new DeadlineError(timeoutMs, { cause: error });
      throw error;
    }
  };

  const plumbing: Plumbing = {
    repoDir,
    git: (args, extra) => bounded(() => git(repoDir, args, withPlumbing(extra))),
    gitBuffer: (args, extra) => bounded(() => gitBuffer(repoDir, args, withPlumbing(extra))),
    gitDir: () => (gitDir ??= plumbing.git(['rev-parse', '--absolute-git-dir']).then((dir) => path.resolve(repoDir, dir))),
    checkDeadline: () => void remaining(),
  };
  return plumbing;
}
