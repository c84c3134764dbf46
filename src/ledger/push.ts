/**
 * Pushing the data branch (DESIGN.md §5): never forced. A rejected push means another machine
 * pushed first; since each session is its own file, our changes are rebuilt as one new commit on
 * the remote tip (history stays linear) and pushed again, a bounded number of times.
 */
import { backoffDelay, sleep } from './backoff.js';
import { assertFullRef, commitTree, mergeBase, readTip, swapRef, type Tip } from './commits.js';
import { asLedgerError, describeFailure } from './errors.js';
import { GitError } from './git.js';
import { DATA_REF, remoteTipRef, trackingRef } from './paths.js';
import { createPlumbing, type Plumbing } from './plumbing.js';
import { buildTree, withScratch } from './tree.js';

export type PushOutcome = 'pushed' | 'up-to-date' | 'no-remote' | 'failed';

export interface PushOptions {
  /** Remote name; default `origin`. */
  remote?: string;
  /** Full ref name; default `refs/heads/token-data`. */
  ref?: string;
  /** Pushes to try before giving up (the next run tries again); default 5. */
  attempts?: number;
  /** First backoff between attempts in milliseconds, doubled each time, with jitter; default 200. */
  baseDelayMs?: number;
  /** Bound for the whole push in milliseconds; default none. */
  timeoutMs?: number;
}

export interface PushResult {
  outcome: PushOutcome;
  /** `git push` runs made. */
  attempts: number;
  /** Why it failed, or a note such as "nothing to push". */
  reason?: string;
}

const LOST_REMOTE_RACE = /^\[remote rejected\] \((failed to update ref|failed to lock|cannot lock ref|incorrect old value)/;

/** git failing to lock a ref of this repository because another process is updating it. */
const LOST_LOCAL_RACE = /cannot lock ref|unable to create '.*\.lock'|is at [0-9a-f]+ but expected [0-9a-f]+/;

/** Swallows (returns undefined for) a lost local ref-lock race; rethrows anything else. */
function unlessLostLocalRace(error: unknown): undefined {
  if (error instanceof GitError && LOST_LOCAL_RACE.test(error.stderr)) return undefined;
  throw error;
}

type PushAnswer = { status: 'pushed' | 'up-to-date' | 'rejected' } | { status: 'failed'; reason: string };

/**
 * Pushes `ref` to `remote`. Never throws for a git or network failure: that is `failed` with the
 * reason, and the local commits stay for the next run. No such remote is `no-remote`.
 */
export async function pushLedger(repoDir: string, options: PushOptions = {}): Promise<PushResult> {
  const { remote = 'origin', ref = DATA_REF, attempts = 5, baseDelayMs = 200, timeoutMs } = options;
  assertFullRef(ref);
  const plumbing = createPlumbing(repoDir, { timeoutMs });
  let pushes = 0;
  try {
    if (!(await hasRemote(plumbing, remote))) return { outcome: 'no-remote', attempts: 0, reason: `no remote named ${remote} in ${repoDir}` };
    for (let round = 1; round <= attempts; round++) {
      if (round > 1) await sleep(backoffDelay(round - 1, baseDelayMs));
      plumbing.checkDeadline();
      const local = await readTip(plumbing, ref);
      if (!local) return { outcome: 'up-to-date', attempts: pushes, reason: `nothing to push: ${ref} does not exist` };
      pushes++;
      const answer = await pushCommit(plumbing, remote, local.commit, ref);
      if (answer.status === 'failed') return { outcome: 'failed', attempts: pushes, reason: answer.reason };
      if (answer.status !== 'rejected') {
        // Only our record of the remote tip: a racing push of this repository holding its lock
        // records a tip itself, and must not turn a push that landed into a failure.
        await plumbing.git(['update-ref', '-m', 'tokenledger: pushed', remoteTipRef(remote, ref), local.commit]).catch(unlessLostLocalRace);
        return { outcome: answer.status, attempts: pushes };
      }
      // Another push of this repository fetching at the same moment (hooks of sessions that ended
      // together) holds the lock of the fetched refs: no tip this round, the next round retries.
      const remoteTip = await fetchRemoteTip(plumbing, remote, ref).catch((error: unknown) => unlessLostLocalRace(error) ?? null);
      if (remoteTip && (await rebuildOnto(plumbing, ref, local, remoteTip)) === 'up-to-date') return { outcome: 'up-to-date', attempts: pushes };
    }
    return { outcome: 'failed', attempts: pushes, reason: `push of ${ref} to ${remote} was still rejected after ${pushes} attempts` };
  } catch (error) {
    return { outcome: 'failed', attempts: pushes, reason: `cannot push ${ref} from ${repoDir} to ${remote}: ${describeFailure(error)}` };
  }
}

/**
 * Local data commits not yet on the remote, as far as this repository knows (for `doctor`):
 * commits of `ref` that neither our record of the remote tip nor the remote-tracking ref has.
 */
export async function pendingCommits(repoDir: string, remote = 'origin', ref = DATA_REF): Promise<number> {
  assertFullRef(ref);
  try {
    const plumbing = createPlumbing(repoDir);
    const local = await readTip(plumbing, ref);
    if (!local) return 0;
    const known = (await plumbing.git(['for-each-ref', '--format=%(objectname)', remoteTipRef(remote, ref), trackingRef(remote, ref)])).split('\n').filter(Boolean);
    return Number(await plumbing.git(['rev-list', '--count', local.commit, '--not', ...known]));
  } catch (error) {
    throw asLedgerError(error, 'read', repoDir, ref);
  }
}

async function hasRemote(plumbing: Plumbing, remote: string): Promise<boolean> {
  return (await plumbing.git(['remote'])).split('\n').includes(remote);
}

/**
 * Pushes exactly `commit` (not whatever the ref holds by then, so we know what the remote got).
 * The developer's push settings are overridden: no pre-push hook (`--no-verify`), no tags, no
 * submodules, no push certificate.
 */
async function pushCommit(plumbing: Plumbing, remote: string, commit: string, ref: string): Promise<PushAnswer> {
  let stdout: string;
  try {
    stdout = await plumbing.git(['push', '--porcelain', '--no-verify', '--no-follow-tags', '--no-signed', '--recurse-submodules=no', remote, `${commit}:${ref}`]);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    const answer = readPorcelain(error.stdout, ref);
    return answer ?? { status: 'failed', reason: describeFailure(error) };
  }
  return readPorcelain(stdout, ref) ?? { status: 'failed', reason: `git push printed no status for ${ref}` };
}

/** The status line `<flag>\t<from>:<to>\t<summary>` for our ref (git-push.adoc, OUTPUT). */
function readPorcelain(stdout: string, ref: string): PushAnswer | undefined {
  for (const line of stdout.split('\n')) {
    const [flag, refs, summary = ''] = line.split('\t');
    if (!refs?.endsWith(`:${ref}`)) continue;
    if (flag === '=') return { status: 'up-to-date' };
    if (flag === ' ' || flag === '*' || flag === '+') return { status: 'pushed' };
    // `[rejected] (fetch first)` / `(non-fast-forward)`: someone pushed first. `[remote rejected]
    // (failed to update ref)` or `(cannot lock ref …)`: someone was pushing at the same moment and
    // held the remote's ref lock. Anything else, such as `(pre-receive hook declined)`, will not
    // change by retrying.
    if (flag === '!' && (summary.startsWith('[rejected]') || LOST_REMOTE_RACE.test(summary))) return { status: 'rejected' };
    return { status: 'failed', reason: `${ref}: ${summary}` };
  }
  return undefined;
}

/**
 * Fetches the remote's tip into our private ref (see `remoteTipRef`). `--no-write-fetch-head`:
 * FETCH_HEAD belongs to the developer's own fetches; `--no-auto-gc`: no maintenance in their repo.
 */
async function fetchRemoteTip(plumbing: Plumbing, remote: string, ref: string): Promise<Tip | null> {
  const tipRef = remoteTipRef(remote, ref);
  await plumbing.git(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--no-auto-gc', '--recurse-submodules=no', remote, `+${ref}:${tipRef}`]);
  return readTip(plumbing, tipRef);
}

/**
 * Replays what our local commits changed since the common ancestor (every file, also removals of
 * a re-captured session's old path) onto the remote tip as one commit, then moves the local ref
 * there by compare-and-swap. Ours wins for a path both sides changed: it is the newer capture.
 * 'moved': a local writer moved the ref meanwhile; the caller starts the round again.
 */
async function rebuildOnto(plumbing: Plumbing, ref: string, local: Tip, remote: Tip): Promise<'rebuilt' | 'up-to-date' | 'moved'> {
  const base = (await mergeBase(plumbing, local.commit, remote.commit)) ?? (await emptyTree(plumbing));
  const changes = await diffFiles(plumbing, base, local.commit);
  return withScratch(plumbing, async (scratch) => {
    const tree = await buildTree(plumbing, scratch, { base: remote, put: changes.put, drop: changes.drop });
    // Nothing of ours is missing there (we were only behind): catch up with the remote instead.
    const next = tree === remote.tree ? remote.commit : await commitTree(plumbing, tree, remote.commit, `tokenledger: ${changes.put.size + changes.drop.length} files rebuilt on ${remote.commit.slice(0, 12)}`);
    const swap = await swapRef(plumbing, ref, next, local.commit, 'tokenledger: rebuilt on the remote tip');
    if (!swap.swapped) return 'moved';
    return next === remote.commit ? 'up-to-date' : 'rebuilt';
  });
}

async function emptyTree(plumbing: Plumbing): Promise<string> {
  return plumbing.git(['hash-object', '-t', 'tree', '--stdin']);
}

/** Files added or changed (path -> blob) and removed between two commits or trees. */
async function diffFiles(plumbing: Plumbing, from: string, to: string): Promise<{ put: Map<string, string>; drop: string[] }> {
  const out = await plumbing.git(['diff-tree', '-r', '-z', '--no-renames', from, to]);
  const fields = out.split('\0');
  const put = new Map<string, string>();
  const drop: string[] = [];
  // `:<old mode> <new mode> <old oid> <new oid> <status>` NUL `<path>` NUL, repeated.
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [, , , newOid, status] = fields[i]!.split(' ');
    const file = fields[i + 1]!;
    if (status === 'D') drop.push(file);
    else if (newOid) put.set(file, newOid);
  }
  return { put, drop };
}
