/**
 * Strategy experiments from commit trailers (DESIGN.md §7): `Token-Strategy: <slug>` on the
 * default branch starts an experiment at the commit's committer date, `Token-Strategy-End: <slug>`
 * ends it. Git finds the trailers (last paragraph of the message, keys matched
 * case-insensitively); this module reads them with one `git log` and validates the slugs.
 *
 * Squash merges keep only the landed commit's trailers: GitHub's squash message concatenates the
 * inner messages, so a trailer on an inner commit ends up in a middle paragraph and is no longer a
 * trailer. The trailer has to be on the squash or merge commit itself (e.g. in the PR description
 * that becomes its message). With a true merge, an inner commit's trailer does count, at that
 * commit's own committer date, which may be before the merge landed.
 */
import { git, gitMaybe } from './git.js';

export const DEFAULT_STRATEGY_TRAILER = 'Token-Strategy';

/** The summary schema's strategy slug. */
export const STRATEGY_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * A trailer key git can match, and safe inside `%(trailers:key=…)` (no `,` or `)`).
 * Same rule as `strategyTrailer` in config.ts.
 */
const TRAILER_KEY = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

export interface InvalidStrategyValue {
  /** The trailer key as configured, e.g. `Token-Strategy-End`. */
  trailer: string;
  /**
   * The value as written. Free text from a commit message: for diagnostics on this machine,
   * never for a summary.
   */
  value: string;
}

export interface StrategyEvent {
  sha: string;
  /** Committer date, epoch milliseconds. */
  at: number;
  /** Slugs started by this commit, trimmed and lower-cased, in message order. */
  starts: string[];
  /** Slugs ended by this commit. */
  ends: string[];
  /** Trailer values that are not slugs; reported here, never thrown. */
  invalid: InvalidStrategyValue[];
}

export interface ReadStrategyOptions {
  /** Where to read: usually `defaultBranchRef(...)`. */
  ref: string;
  /** Only commits with a committer date at or after this (epoch ms). */
  since?: number;
  /** Start key (default `Token-Strategy`); the end key is this + `-End`. */
  trailer?: string;
}

const FIELD = '\x1e';
const VALUE = '\x1f';

/**
 * Commits on `ref` with strategy trailers, oldest first (by committer date). A ref that does not
 * resolve (e.g. a repository without commits) gives []. `Token-Strategy: a, b` starts both.
 */
export async function readStrategyEvents(repoDir: string, options: ReadStrategyOptions): Promise<StrategyEvent[]> {
  const startKey = options.trailer ?? DEFAULT_STRATEGY_TRAILER;
  if (!TRAILER_KEY.test(startKey)) throw new Error(`strategy trailer key ${JSON.stringify(startKey)}: expected letters, digits and "-"`);
  const endKey = `${startKey}-End`;
  if ((await gitMaybe(repoDir, ['rev-parse', '--quiet', '--verify', `${options.ref}^{commit}`])) === undefined) return [];

  const trailerValues = (key: string) => `%(trailers:key=${key},valueonly,unfold,separator=%x1f)`;
  const args = [
    'log',
    '-z',
    `--format=%H%x1e%ct%x1e${trailerValues(startKey)}%x1e${trailerValues(endKey)}`,
    // A cheap pre-filter so git formats only commits that mention the key at a line start;
    // the trailer parser then decides what really is a trailer.
    '--regexp-ignore-case',
    '--extended-regexp',
    `--grep=^${startKey}(-end)?[[:space:]]*:`,
    ...(options.since === undefined ? [] : [`--since=@${Math.floor(options.since / 1000)}`]),
    options.ref,
    '--',
  ];
  const events: StrategyEvent[] = [];
  for (const record of (await git(repoDir, args)).split('\0')) {
    const fields = record.replace(/^\n/, '').split(FIELD);
    const [sha, seconds, startValues = '', endValues = ''] = fields;
    if (!sha || !seconds) continue;
    const event: StrategyEvent = { sha, at: Number(seconds) * 1000, starts: [], ends: [], invalid: [] };
    if (fields.length === 4) {
      collectSlugs(startValues, startKey, event.starts, event.invalid);
      collectSlugs(endValues, endKey, event.ends, event.invalid);
    } else {
      // A value holding our field separator: which value is which cannot be told, so none counts.
      event.invalid.push({ trailer: startKey, value: fields.slice(2).join(' ').trim() });
    }
    if (event.starts.length + event.ends.length + event.invalid.length > 0) events.push(event);
  }
  // git lists newest first; reversed and then sorted stably by time, so clock skew between
  // committers cannot put an end before its start.
  return events.reverse().sort((a, b) => a.at - b.at);
}

function collectSlugs(values: string, trailer: string, slugs: string[], invalid: InvalidStrategyValue[]): void {
  if (values === '') return;
  for (const value of values.split(VALUE)) {
    const pieces = value.split(',');
    let bad = false;
    for (const piece of pieces) {
      const slug = piece.trim().toLowerCase();
      if (slug === '' && pieces.length > 1) continue; // `a, b,`
      if (!STRATEGY_SLUG.test(slug)) bad = true;
      else if (!slugs.includes(slug)) slugs.push(slug);
    }
    if (bad) invalid.push({ trailer, value: value.trim() });
  }
}

/**
 * Slugs active at `atMs`, sorted: started at or before it and not ended since (an end at
 * exactly `atMs` counts as ended). Within one commit ends apply before starts, so ending and
 * starting the same slug restarts it.
 */
export function activeStrategies(events: readonly StrategyEvent[], atMs: number): string[] {
  const active = new Set<string>();
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    if (event.at > atMs) break;
    for (const slug of event.ends) active.delete(slug);
    for (const slug of event.starts) active.add(slug);
  }
  return [...active].sort();
}

/**
 * The default branch to read trailers from, as a full ref: what `refs/remotes/<remote>/HEAD`
 * points to; else `<remote>/main`, `<remote>/master`, local `main`, `master` (remote-tracking
 * first: it holds what has landed, a local branch may hold unpushed commits); else `HEAD`.
 */
export async function defaultBranchRef(repoDir: string, remote = 'origin'): Promise<string> {
  const remoteHead = await gitMaybe(repoDir, ['symbolic-ref', '--quiet', `refs/remotes/${remote}/HEAD`]);
  const candidates = [remoteHead, `refs/remotes/${remote}/main`, `refs/remotes/${remote}/master`, 'refs/heads/main', 'refs/heads/master'].filter(
    (ref): ref is string => ref !== undefined && ref !== '',
  );
  // for-each-ref lists the ones that exist (a remote HEAD may point to a deleted branch).
  const existing = new Set((await gitMaybe(repoDir, ['for-each-ref', '--format=%(refname)', ...candidates]))?.split('\n') ?? []);
  return candidates.find((ref) => existing.has(ref)) ?? 'HEAD';
}
