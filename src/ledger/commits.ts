/** Reading a ref's tip, making a commit from a tree, and moving a ref by compare-and-swap. */
import { describeFailure } from './errors.js';
import { GitError } from './git.js';
import type { Plumbing } from './plumbing.js';

export interface Tip {
  commit: string;
  tree: string;
}

/** Refuses short names: `update-ref token-data …` would create `.git/token-data`, not a branch. */
export function assertFullRef(ref: string): void {
  if (!/^refs\/[^\s]+$/.test(ref)) throw new TypeError(`ref must be a full ref name such as refs/heads/token-data, got ${JSON.stringify(ref)}`);
}

/** The commit `ref` points at and its tree, or null when the ref does not exist. */
export async function readTip(plumbing: Plumbing, ref: string): Promise<Tip | null> {
  // for-each-ref answers "no such ref" with empty output rather than an error, in one process.
  const line = await plumbing.git(['for-each-ref', '--format=%(objectname) %(tree)', ref]);
  if (line === '') return null;
  const [commit, tree] = line.split('\n')[0]!.split(' ');
  if (!commit || !tree) throw new Error(`${ref} does not point at a commit (${line})`);
  return { commit, tree };
}

/** `commit-tree` with the ledger identity; never signed, since a signing prompt or agent would hang a hook. */
export function commitTree(plumbing: Plumbing, tree: string, parent: string | null, message: string): Promise<string> {
  return plumbing.git(['commit-tree', '--no-gpg-sign', tree, ...(parent ? ['-p', parent] : []), '-m', message]);
}

export type SwapResult = { swapped: true } | { swapped: false; reason: string };

/**
 * `update-ref <ref> <new> <old>`: moves the ref only if it still points at `old` (null: only if it
 * does not exist yet). `swapped: false` means another writer got there first (or holds the ref's
 * lock), so the caller rebuilds on the new tip; any other failure is thrown.
 */
export async function swapRef(plumbing: Plumbing, ref: string, next: string, old: string | null, reflogMessage: string): Promise<SwapResult> {
  try {
    await plumbing.git(['update-ref', '-m', reflogMessage, ref, next, old ?? '']);
    return { swapped: true };
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    const reason = describeFailure(error);
    const now = await readTip(plumbing, ref);
    if ((now?.commit ?? null) !== old) return { swapped: false, reason: `${ref} moved to ${now?.commit ?? '(deleted)'}` };
    // A writer that is mid-swap holds the lock while the tip still reads as the old value.
    if (/cannot lock ref|unable to create .*\.lock|file exists/i.test(error.stderr)) return { swapped: false, reason };
    throw error;
  }
}

/**
 * The best common ancestor of two commits, or null when their histories are unrelated (a clone
 * that captured before it ever fetched the branch). Other failures are thrown: taking one for
 * "unrelated" would replay every file of ours, including ones the remote has since removed.
 */
export async function mergeBase(plumbing: Plumbing, a: string, b: string): Promise<string | null> {
  try {
    return await plumbing.git(['merge-base', a, b]);
  } catch (error) {
    if (error instanceof GitError && error.exitCode === 1) return null;
    throw error;
  }
}

/**
 * The commit `ref` (any revision: full ref, short name, id) resolves to, or null when there is no
 * such ref; other failures, such as "not a git repository", are thrown.
 */
export async function resolveCommit(plumbing: Plumbing, ref: string): Promise<string | null> {
  try {
    return await plumbing.git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  } catch (error) {
    // `--verify --quiet` exits 1 without a message for "no such revision"; fatal errors exit 128.
    if (error instanceof GitError && error.exitCode === 1) return null;
    throw error;
  }
}
