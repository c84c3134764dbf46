/**
 * The commits a session made: commits by this developer whose committer date falls within the
 * session, with lines added and removed (counts only; paths are read by git and dropped here).
 * A rebase or amend during the session gives new commits with new committer dates, so they
 * count as the session's work, as they would in `git log --since`.
 */
import { git, gitMaybe } from './git.js';
import type { Commit } from '../summary/schema.js';

/** A session that "made" more commits than this rewrote history; the newest are kept. */
export const MAX_SESSION_COMMITS = 500;

export interface SessionCommitOptions {
  /** Session start, epoch ms (inclusive, to the second). */
  sinceMs: number;
  /** Session end, epoch ms (inclusive, to the second). */
  untilMs: number;
  /** The developer's git e-mail (`git config user.email`), matched exactly, ignoring case. */
  authorEmail: string;
  /** Branch whose commits are the ledger's own, never the session's (default `token-data`). */
  dataBranch?: string;
  /** Default MAX_SESSION_COMMITS. */
  maxCommits?: number;
}

const RECORD = '\x1e';

/**
 * Commits by `authorEmail` committed within [sinceMs, untilMs], oldest first, merges left out.
 * Binary files count 0 lines. A repository without commits gives []; a shallow clone gives what
 * its history holds.
 *
 * Searched: every local branch, remote-tracking branch and tag, and HEAD (commits on a detached
 * HEAD). Not `--all`: that would also count the index commit of a `git stash` (the developer's,
 * made in the window), commits under refs/notes, and the `token-data` branch's own commits.
 */
export async function commitsDuring(repoDir: string, options: SessionCommitOptions): Promise<Commit[]> {
  const email = options.authorEmail.trim();
  if (email === '' || options.untilMs < options.sinceMs) return [];
  const dataBranch = options.dataBranch ?? 'token-data';
  // An unborn HEAD (no commits yet) cannot be named; the ref options alone then list nothing.
  const hasHead = (await gitMaybe(repoDir, ['rev-parse', '--quiet', '--verify', 'HEAD^{commit}'])) !== undefined;

  const args = [
    'log',
    '--no-merges',
    `--max-count=${options.maxCommits ?? MAX_SESSION_COMMITS}`,
    // Fixed string, not a regex: an e-mail is full of regex characters (`.`, `+`); the angle
    // brackets make it whole, so bob@x.io does not match jimbob@x.io.
    '--fixed-strings',
    '--regexp-ignore-case',
    `--author=<${email}>`,
    `--since=@${Math.floor(options.sinceMs / 1000)}`,
    `--until=@${Math.floor(options.untilMs / 1000)}`,
    '--numstat',
    // Same counts whatever the user's diff.renames setting: a moved file is not a rewrite.
    '--find-renames',
    `--format=${RECORD}%H`,
    `--exclude=${dataBranch}`,
    '--branches',
    `--exclude=*/${dataBranch}`,
    '--remotes',
    '--tags',
    ...(hasHead ? ['HEAD'] : []),
    '--',
  ];
  const commits: Commit[] = [];
  for (const record of (await git(repoDir, args)).split(RECORD)) {
    const [sha = '', ...lines] = record.split('\n');
    if (!/^[0-9a-f]{40,64}$/.test(sha)) continue;
    let added = 0;
    let removed = 0;
    for (const line of lines) {
      const match = /^(\d+|-)\t(\d+|-)\t/.exec(line);
      if (!match) continue;
      // Binary files show as `-\t-`: no lines to count.
      if (match[1] !== '-') added += Number(match[1]);
      if (match[2] !== '-') removed += Number(match[2]);
    }
    commits.push({ sha, added, removed });
  }
  return commits.reverse();
}
